import { describe, expect, it } from 'vitest';
import { generateDemoRecords } from './demo-source';
import { METRIC_KEYS, computeMetrics, correlationMatrix, modelMetrics, rowOf } from './metrics';
import { baselineMetrics, toBaselineModels } from './metrics-baseline';
import { handSet } from './test-support/hand-sets';

const NMR = 10n ** 18n;

describe('metrics of one model, by hand', () => {
  // Returns 1 %, −2 %, 3 %, −1 %, 0 % on rounds 1..5, resolved 400, 200, 80, 30 and 0 days before asOf.
  const set = handSet([
    {
      name: 'a',
      returns: [100, -200, 300, -100, 0],
      daysAgo: [400, 200, 80, 30, 0],
      corr20: [0.01, 0.02, Number.NaN, 0.03, 0.04],
      mmc: [0.001, -0.001, 0.002, 0, 0.003],
      tc: [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      feeBps: 1500,
      stakeWei: 1234n * NMR + NMR / 2n,
    },
  ]);
  const m = modelMetrics(set, 0);

  it('compounds returns over all time, the last 20 rounds and the calendar windows', () => {
    // V: 1 → 1.01 → 1.01·0.98 = 0.9898 → ·1.03 = 1.019494 → ·0.99 = 1.00929906 → ·1 = 1.00929906
    expect(m.returnAllPct).toBeCloseTo(0.929906, 10);
    // Fewer than 20 rounds: the last 20 are all of them.
    expect(m.return20Pct).toBeCloseTo(0.929906, 10);
    // 3 months = 91.3125 days: rounds 3, 4, 5 (80, 30, 0 days ago): 1.03 · 0.99 · 1 = 1.0197
    expect(m.return3mPct).toBeCloseTo(1.97, 10);
    expect(m.rounds3m).toBe(3);
    // 1 year = 365.25 days: rounds 2..5: 0.98 · 1.03 · 0.99 · 1 = 0.999306
    expect(m.return1yPct).toBeCloseTo(-0.0694, 10);
    expect(m.rounds1y).toBe(4);
  });

  it('mean, sample standard deviation, Sharpe-like ratio, hit rate', () => {
    // mean = (100 − 200 + 300 − 100 + 0) / 5 = 20 bps
    expect(m.meanReturnBps).toBe(20);
    // deviations 80, −220, 280, −120, −20; squares 6400 + 48400 + 78400 + 14400 + 400 = 148000;
    // / (5 − 1) = 37000; √37000 = 192.35384061671346
    expect(m.stdevReturnBps).toBeCloseTo(192.35384061671346, 10);
    // 20 / 192.35384 · √260 (16.1245) = 1.6765472885698185
    expect(m.sharpe).toBeCloseTo(1.6765472885698185, 10);
    // 2 of 5 rounds > 0 (0 is not a hit)
    expect(m.hitRatePct).toBe(40);
  });

  it('max drawdown and its length', () => {
    // Peak 1.01 after round 1 (p = 1); trough 0.9898: 1 − 0.9898 / 1.01 = 0.02 → 2 %;
    // recovered by 1.019494 at p = 3 → length 3 − 1 = 2 rounds. The later fall (1 %) is smaller.
    expect(m.maxDrawdownPct).toBeCloseTo(2, 10);
    expect(m.maxDrawdownRounds).toBe(2);
  });

  it('score means skip missing values; stake and fee come through', () => {
    // corr20: (0.01 + 0.02 + 0.03 + 0.04) / 4 = 0.025 (stored as Float32, hence 7 digits)
    expect(m.corr20Mean).toBeCloseTo(0.025, 7);
    // mmc: (0.001 − 0.001 + 0.002 + 0 + 0.003) / 5 = 0.001
    expect(m.mmcMean).toBeCloseTo(0.001, 7);
    expect(m.tcMean).toBeNaN();
    expect(m.currentStakeNmr).toBe(1234.5);
    expect(m.feeBps).toBe(1500);
    expect([m.rounds, m.firstRound, m.lastRound]).toEqual([5, 1, 5]);
  });
});

describe('metrics edge cases, by hand', () => {
  const set = handSet([
    // −1 %, −1 %, +2 %: 0.99, 0.9801, 0.9801 · 1.02 = 0.999702 — never back to the start (peak p = 0)
    { name: 'unrecovered', returns: [-100, -100, 200] },
    { name: 'single', returns: [250] },
    { name: 'empty', returns: [] },
    { name: 'rising', returns: [10, 20, 30] },
    // Two equal 1 % falls: −1 %, then back up by exactly what recovers (1/0.99 − 1 is not whole bps,
    // so: +2 % recovers), then −1 % again: the first episode counts: p = 0 → recovered at p = 2.
    { name: 'ties', returns: [-100, 200, -100] },
    // Resolved long ago (its own tournament's calendar): no rounds in either window.
    { name: 'retired', rounds: [1, 2], returns: [100, 100], daysAgo: [900, 899], tournament: 'signals' },
  ]);
  const table = computeMetrics(set);
  const row = (i: number) => rowOf(table.columns, i);

  it('an unrecovered drawdown lasts to the end', () => {
    // worst point 0.9801 against the start 1: 1.99 %; from p = 0 to the end n = 3
    expect(row(0).maxDrawdownPct).toBeCloseTo(1.99, 10);
    expect(row(0).maxDrawdownRounds).toBe(3);
    expect(row(0).returnAllPct).toBeCloseTo(-0.0298, 10);
  });

  it('one round: a return, no spread', () => {
    expect(row(1).returnAllPct).toBeCloseTo(2.5, 12);
    expect(row(1).stdevReturnBps).toBeNaN();
    expect(row(1).sharpe).toBeNaN();
  });

  it('no rounds: no figures, zero counts', () => {
    const e = row(2);
    expect(e.rounds).toBe(0);
    expect(e.returnAllPct).toBeNaN();
    expect(e.maxDrawdownPct).toBeNaN();
    expect(e.rounds1y).toBe(0);
  });

  it('never below a peak: no drawdown, every round a hit', () => {
    expect(row(3).maxDrawdownPct).toBe(0);
    expect(row(3).maxDrawdownRounds).toBe(0);
    expect(row(3).hitRatePct).toBe(100);
  });

  it('equal drawdowns: the first episode is reported', () => {
    // episode 1: 1 → 0.99 (1 %) → 1.0098 ≥ 1 at p = 2, length 2. episode 2: 1.0098 → 0.999702 (1 %), open.
    expect(row(4).maxDrawdownPct).toBeCloseTo(1, 10);
    expect(row(4).maxDrawdownRounds).toBe(2);
  });

  it('a model with no recent rounds has no 3-month or 1-year return', () => {
    expect(row(5).return3mPct).toBeNaN();
    expect(row(5).return1yPct).toBeNaN();
    expect(row(5).return20Pct).toBeCloseTo(2.01, 10); // 1.01² − 1
  });
});

describe('correlation', () => {
  const set = handSet([
    { name: 'x', rounds: [1, 2, 3, 4], returns: [100, 200, 300, 400] },
    { name: 'y', rounds: [2, 3, 4, 5], returns: [10, 30, 20, 99] },
    { name: 'z', rounds: [1, 2, 3, 4], returns: [-100, -200, -300, -400] },
    { name: 'w', rounds: [7, 8, 9], returns: [1, 2, 3] },
  ]);

  it('Pearson over overlapping rounds only', () => {
    const c = correlationMatrix(set, [0, 1, 2, 3], { minOverlap: 3 });
    const at = (p: number, q: number) => c.matrix[p * 4 + q];
    // x vs y on rounds 2, 3, 4: x = 200, 300, 400 (mean 300), y = 10, 30, 20 (mean 20)
    // dx = −100, 0, 100; dy = −10, 10, 0; Σdxdy = 1000; Σdx² = 20000; Σdy² = 200
    // ρ = 1000 / √(20000 · 200) = 1000 / 2000 = 0.5
    expect(at(0, 1)).toBeCloseTo(0.5, 12);
    expect(at(1, 0)).toBeCloseTo(0.5, 12);
    expect(c.overlap[1]).toBe(3);
    expect(at(0, 2)).toBeCloseTo(-1, 12);
    expect(at(0, 0)).toBe(1);
    // w shares no round with x: no figure
    expect(at(0, 3)).toBeNaN();
    expect(c.overlap[3]).toBe(0);
  });

  it('needs minOverlap rounds', () => {
    const c = correlationMatrix(set, [0, 1], { minOverlap: 4 });
    expect(c.matrix[1]).toBeNaN();
    expect(c.matrix[0]).toBe(1);
  });
});

describe('columnar metrics agree with the naive baseline', () => {
  it('on 300 demo models, every metric', () => {
    const set = generateDemoRecords({ models: 300, seed: 7 });
    const fast = computeMetrics(set);
    const slow = baselineMetrics(toBaselineModels(set), set.asOfMs);
    let compared = 0;
    slow.forEach((expected, i) => {
      const got = rowOf(fast.columns, i);
      for (const k of METRIC_KEYS) {
        const e = expected[k];
        const g = got[k];
        if (Number.isNaN(e)) expect(g, `${k} of model ${i}`).toBeNaN();
        else expect(Math.abs(g - e), `${k} of model ${i}: ${g} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
        compared++;
      }
    });
    expect(compared).toBe(300 * METRIC_KEYS.length);
    // The demo world has every kind of model: long and short, in and out of the windows.
    expect(Math.min(...fast.columns.rounds)).toBeLessThan(100);
    expect(Math.max(...fast.columns.rounds)).toBeGreaterThan(1000);
    expect(fast.columns.return3mPct.some(Number.isNaN)).toBe(true);
  });
});

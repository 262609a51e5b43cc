import { describe, expect, it } from 'vitest';
import type { DetailPoint } from '../../../../shared/api';
import { niceScale, rangeOf, rebased, resolveStart, roundBars, scorePoints, summarize, thin, windowOf, windowReturnPct } from './series';

const DAY = 86_400_000;

/** n daily rounds from `first`, each returning `ret(k)` percent, the last resolving on day 1000. */
function record(n: number, ret: (k: number) => number, first = 100): DetailPoint[] {
  let v = 1;
  return Array.from({ length: n }, (_, k) => {
    v *= 1 + ret(k) / 100;
    return {
      round: first + k,
      timeMs: (1000 - (n - 1 - k)) * DAY,
      returnPct: ret(k),
      cumulativePct: (v - 1) * 100,
      corr20: k % 2 ? 0.02 : null,
      mmc: 0.01,
      tc: null,
      stakeNmr: 100 + k,
    };
  });
}

describe('windowOf', () => {
  it('keeps the rows that resolved after latest − window, with the row before as the baseline', () => {
    const s = record(400, () => 1);
    const w = windowOf(s, rangeOf('3m'));
    // 91.3125 days: rows resolved on days 908.6875 < t ≤ 1000, i.e. days 909..1000, the last 92 rows.
    expect(w.points).toHaveLength(92);
    expect(w.baseline?.round).toBe(w.points[0]!.round - 1);
    expect(w.shorter).toBe(false);
    expect(windowOf(s, rangeOf('all')).points).toHaveLength(400);
  });

  it('says when the record is shorter than the window', () => {
    const w = windowOf(
      record(50, () => 1),
      rangeOf('1y'),
    );
    expect(w.shorter).toBe(true);
    expect(w.baseline).toBeNull();
    expect(w.points).toHaveLength(50);
  });

  it('falls back to a count of rounds without dates', () => {
    const s = record(300, () => 1).map((p) => ({ ...p, timeMs: null }));
    expect(windowOf(s, rangeOf('3m')).points).toHaveLength(65);
  });
});

describe('rebased return', () => {
  it('starts at 0 and ends at the compounded return of the window', () => {
    const s = record(200, (k) => (k % 3 === 0 ? -2 : 1.5));
    const w = windowOf(s, rangeOf('3m'));
    const r = rebased(w);
    expect(r[0]).toEqual({ round: w.baseline!.round, cumulativePct: 0 });
    const expected = (w.points.reduce((v, p) => v * (1 + p.returnPct / 100), 1) - 1) * 100;
    expect(r.at(-1)!.cumulativePct).toBeCloseTo(expected, 9);
    expect(windowReturnPct(w)).toBeCloseTo(expected, 9);
  });
});

describe('roundBars', () => {
  it('is one bar per round, coloured by sign, up to the limit', () => {
    const { bars, roundsPerBar } = roundBars(record(10, (k) => k - 5));
    expect(roundsPerBar).toBe(1);
    expect(bars[0]).toMatchObject({ returnPct: -5, gain: null, loss: -5 });
    expect(bars[5]).toMatchObject({ returnPct: 0, gain: null, loss: null });
    expect(bars[9]).toMatchObject({ returnPct: 4, gain: 4, loss: null });
  });

  it('groups consecutive rounds with their compounded return past the limit, so no round is dropped', () => {
    const s = record(1000, (k) => (k % 2 ? 2 : -1));
    const { bars, roundsPerBar } = roundBars(s, 260);
    expect(roundsPerBar).toBe(4);
    expect(bars).toHaveLength(250);
    expect(bars[0]).toMatchObject({ round: 100, toRound: 103 });
    expect(bars[0]!.returnPct).toBeCloseTo((0.99 * 1.02 * 0.99 * 1.02 - 1) * 100, 9);
    const total = bars.reduce((v, b) => v * (1 + b.returnPct / 100), 1);
    expect((total - 1) * 100).toBeCloseTo(s.at(-1)!.cumulativePct, 6);
  });
});

describe('scores, thinning, summary', () => {
  it('averages the reported scores over groups and keeps null where none was reported', () => {
    const { points, roundsPerPoint } = scorePoints(
      record(10, () => 1),
      5,
    );
    expect(roundsPerPoint).toBe(2);
    expect(points[0]).toMatchObject({ round: 100, toRound: 101, corr20: 0.02, mmc: 0.01, tc: null });
  });

  it('picks round-number axis ticks that cover the data', () => {
    expect(niceScale(0, 3712).ticks).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceScale(-1.17, 1.14).ticks).toEqual([-2, -1, 0, 1, 2]);
    expect(niceScale(-0.9, 0.7).ticks).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceScale(250, 285.02).ticks).toEqual([250, 260, 270, 280, 290]);
    expect(niceScale(5, 5).domain[0]).toBeLessThan(5);
  });

  it('thins to the limit keeping the first and last', () => {
    const t = thin(
      Array.from({ length: 1000 }, (_, i) => i),
      400,
    );
    expect(t).toHaveLength(400);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(999);
  });

  it('summarizes gains, best and worst', () => {
    expect(summarize(record(5, (k) => [1, -3, 0, 4, 2][k]!))).toEqual({
      rounds: 5,
      gains: 3,
      best: { round: 103, returnPct: 4 },
      worst: { round: 101, returnPct: -3 },
    });
  });
});

describe('resolveStart', () => {
  const s = record(400, () => 1, 1101); // rounds 1101..1500

  it('maps "3 months ago" to the round just before the 3-month window', () => {
    const w = windowOf(s, rangeOf('3m'));
    expect(resolveStart({ kind: '3m' }, s, 'm')).toEqual({ fromRound: w.baseline!.round });
    expect(resolveStart({ kind: 'first' }, s, 'm')).toEqual({ fromRound: 1101 });
    expect(resolveStart({ kind: 'round', text: ' 1200 ' }, s, 'm')).toEqual({ fromRound: 1200 });
  });

  it('refuses a start before the first round, at or after the last, or not a number, saying what to do', () => {
    expect(resolveStart({ kind: 'round', text: '1000' }, s, 'm')).toEqual({
      error: "Round 1000 is before m's first round. Its record starts at round 1101: choose a round from 1101 to 1499.",
    });
    expect(resolveStart({ kind: 'round', text: '1500' }, s, 'm')).toHaveProperty('error', expect.stringContaining('nothing to replay'));
    expect(resolveStart({ kind: 'round', text: '12.5' }, s, 'm')).toHaveProperty('error', expect.stringContaining('not a round number'));
    expect(resolveStart({ kind: 'round', text: '' }, s, 'm')).toHaveProperty('error', expect.stringContaining('Enter a round number'));
    expect(
      resolveStart(
        { kind: '1y' },
        record(100, () => 1),
        'm',
      ),
    ).toHaveProperty('error', expect.stringContaining('shorter than 1 year'));
  });
});

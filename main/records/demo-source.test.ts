import { describe, expect, it } from 'vitest';
import {
  DEMO_AS_OF_MS,
  DEMO_WEEKLY_UNTIL_ROUND,
  DEMO_LATEST_ROUND,
  demoChainModels,
  demoModelReturnAt,
  demoModelRoundResult,
  demoModels,
  demoModelTraits,
  demoRoundResolveTimeMs,
  generateDemoRecords,
} from './demo-source';
import { correlationMatrix } from './metrics';
import { getModelRecord, type TrackRecordSet } from './types';

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function sameWorld(x: TrackRecordSet, y: TrackRecordSet): boolean {
  return (
    JSON.stringify(x.models) === JSON.stringify(y.models) &&
    x.currentStakeWei.every((v, i) => v === y.currentStakeWei[i]) &&
    (['offsets', 'rounds', 'returnBps', 'corr20', 'mmc', 'tc', 'stakeNmr'] as const).every((k) => bytes(x[k]).equals(bytes(y[k])))
  );
}

describe('demo world: determinism', () => {
  const a = generateDemoRecords({ models: 400, seed: 42 });

  it('same seed → bit-identical output', () => {
    expect(sameWorld(a, generateDemoRecords({ models: 400, seed: 42 }))).toBe(true);
  });

  it('another seed → another world', () => {
    const b = generateDemoRecords({ models: 400, seed: 43 });
    expect(sameWorld(a, b)).toBe(false);
    expect(bytes(a.returnBps.subarray(0, 1000)).equals(bytes(b.returnBps.subarray(0, 1000)))).toBe(false);
  });

  it('the first N models do not depend on how many are generated', () => {
    const small = generateDemoRecords({ models: 50, seed: 42 });
    expect(small.models).toEqual(a.models.slice(0, 50));
    const end = small.offsets[50]!;
    expect(bytes(small.returnBps).equals(bytes(a.returnBps.subarray(0, end)))).toBe(true);
    expect(bytes(small.stakeNmr).equals(bytes(a.stakeNmr.subarray(0, end)))).toBe(true);
  });

  it('names look like Numerai model names and are unique', () => {
    const names = generateDemoRecords({ models: 5000 }).models.map((m) => m.name);
    expect(new Set(names).size).toBe(5000);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]{1,29}$/);
  });

  it('every model is labelled demo and has a sane fee, track and rounds', () => {
    const problems: string[] = [];
    for (let i = 0; i < a.models.length; i++) {
      const m = a.models[i]!;
      const r = getModelRecord(a, i);
      const n = r.rounds.length;
      if (!m.isDemo) problems.push(`${m.name}: not labelled demo`);
      if (m.operatorFeeBps < 0 || m.operatorFeeBps > 2000) problems.push(`${m.name}: fee ${m.operatorFeeBps}`);
      if (n < 19 || n > 1500) problems.push(`${m.name}: ${n} rounds`); // 20 minus the odd missed round
      if (r.rounds[0] !== m.startRound) problems.push(`${m.name}: first row is not the start round`);
      if (r.rounds[n - 1]! > DEMO_LATEST_ROUND) problems.push(`${m.name}: rounds after the latest`);
      for (let k = 1; k < n; k++) if (r.rounds[k]! <= r.rounds[k - 1]!) problems.push(`${m.name}: rounds not increasing`);
    }
    expect(problems).toEqual([]);
  });
});

describe('demo world: single rounds for the local chain', () => {
  const world = generateDemoRecords({ models: 300 });

  it('demoModelReturnAt gives exactly the stored results, null where there is no row', () => {
    let checked = 0;
    let nulls = 0;
    for (const i of [0, 1, 17, 123, 299]) {
      const r = getModelRecord(world, i);
      const have = new Map(Array.from(r.rounds, (round, k) => [round, k]));
      for (let round = r.startRound - 3; round <= DEMO_LATEST_ROUND; round++) {
        const got = demoModelRoundResult(r.name, round);
        const k = have.get(round);
        if (k === undefined) {
          expect(got).toBeNull();
          nulls++;
        } else {
          expect(got).toEqual({ returnBps: r.returnBps[k], corr20: r.corr20[k], mmc: r.mmc[k], tc: r.tc[k] });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(nulls).toBeGreaterThan(0);
  });

  it('demoModels(n) are the first n models of the world', () => {
    const specs = demoModels(200);
    expect(specs.map((s) => s.name)).toEqual(world.models.slice(0, 200).map((m) => m.name));
    expect(specs.map((s) => s.operatorFeeBps)).toEqual(world.models.slice(0, 200).map((m) => m.operatorFeeBps));
  });

  it('demoChainModels: active models with long records, a deterministic subset of the world', () => {
    const chain = demoChainModels(20, { minTrackRounds: 300 });
    expect(chain).toHaveLength(20);
    expect(chain).toEqual(demoChainModels(20, { minTrackRounds: 300 }));
    for (const s of chain) {
      const i = world.index.get(s.name);
      if (i === undefined) continue; // beyond the 300-model world
      const r = getModelRecord(world, i);
      expect(r.rounds.at(-1)).toBeGreaterThanOrEqual(DEMO_LATEST_ROUND - 3);
      expect(DEMO_LATEST_ROUND - r.startRound + 1).toBeGreaterThanOrEqual(300);
    }
    expect(chain.filter((s) => world.index.has(s.name)).length).toBeGreaterThan(10);
  });

  it('active models keep producing whole-bps results after the history ends', () => {
    const active = demoModels(200).filter((s) => s.endRound === null);
    expect(active.length).toBeGreaterThan(100);
    for (const s of active.slice(0, 20)) {
      const results = [1501, 1502, 1600].map((r) => demoModelReturnAt(s.name, r));
      for (const x of results) if (x !== null) expect(Number.isInteger(x) && Math.abs(x) <= 500).toBe(true);
      expect(results.filter((x) => x !== null).length).toBeGreaterThan(1);
    }
    expect(() => demoModelReturnAt('no_such_model_xyz', 1000)).toThrow(/not a demo model/);
  });
});

describe('demo world: calendar', () => {
  it('daily on weekdays ending Friday 2025-06-27, weekly before round 301', () => {
    const day = (r: number) => new Date(demoRoundResolveTimeMs(r)).toISOString().slice(0, 10);
    expect(demoRoundResolveTimeMs(1500)).toBe(DEMO_AS_OF_MS);
    expect(day(1500)).toBe('2025-06-27');
    expect(day(1496)).toBe('2025-06-23'); // Monday
    expect(day(1495)).toBe('2025-06-20'); // previous Friday
    expect(day(1501)).toBe('2025-06-30'); // next Monday
    for (let r = 301; r <= 1600; r++) expect([1, 2, 3, 4, 5]).toContain(new Date(demoRoundResolveTimeMs(r)).getUTCDay());
    expect(demoRoundResolveTimeMs(301) - demoRoundResolveTimeMs(300)).toBe(7 * 86_400_000);
    expect(demoRoundResolveTimeMs(2) - demoRoundResolveTimeMs(1)).toBe(7 * 86_400_000);
  });
});

describe('demo world: statistics look like Numerai payouts', () => {
  const world = generateDemoRecords({ models: 3000 });
  const ret = world.returnBps;

  it('mean near +50 bps per weekly round and a fraction of it per daily round, heavy tails, a small share of clipped rounds', () => {
    const stats = (weekly: boolean) => {
      const xs: number[] = [];
      for (let j = 0; j < ret.length; j++) if (world.rounds[j]! <= DEMO_WEEKLY_UNTIL_ROUND === weekly) xs.push(ret[j]!);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      let m2 = 0;
      let m4 = 0;
      for (const x of xs) {
        m2 += (x - mean) ** 2;
        m4 += (x - mean) ** 4;
      }
      m2 /= xs.length;
      m4 /= xs.length;
      return { n: xs.length, mean, clipped: xs.filter((x) => Math.abs(x) === 500).length / xs.length, kurtosis: m4 / (m2 * m2) - 3 };
    };
    const weekly = stats(true);
    const daily = stats(false);
    expect(weekly.n).toBeGreaterThan(50_000);
    expect(daily.n).toBeGreaterThan(1_000_000);
    expect(weekly.mean).toBeGreaterThan(40);
    expect(weekly.mean).toBeLessThan(60);
    expect(weekly.clipped).toBeGreaterThan(0.002);
    expect(weekly.clipped).toBeLessThan(0.06);
    // Daily: 0.12 of the weekly drift, so a typical model compounds to well under +50 %/year.
    expect(daily.mean).toBeGreaterThan(0.12 * 40);
    expect(daily.mean).toBeLessThan(0.12 * 60);
    expect((1 + daily.mean / 10_000) ** 260 - 1).toBeLessThan(0.3);
    // Excess kurtosis of a normal is 0; these returns are fat-tailed even after the clip.
    expect(weekly.kurtosis).toBeGreaterThan(0.5);
    expect(daily.kurtosis).toBeGreaterThan(0.5);
  });

  it('some models lose money persistently', () => {
    const drifts = world.models.slice(0, 500).map((m) => demoModelTraits(m.name).driftBps);
    const negative = drifts.filter((d) => d < 0).length / drifts.length;
    expect(negative).toBeGreaterThan(0.03);
    expect(negative).toBeLessThan(0.25);
  });

  it('models in one cluster are correlated 0.2–0.8, across clusters much less', () => {
    const full = generateDemoRecords({ models: 200, fullTracks: true });
    const classic = full.models.map((m, i) => ({ i, m })).filter(({ m }) => m.tournament === 'classic');
    const idx = classic.map(({ i }) => i);
    const cl = classic.map(({ m }) => demoModelTraits(m.name, { fullTracks: true }).cluster);
    const c = correlationMatrix(full, idx);
    const within: number[] = [];
    const across: number[] = [];
    for (let p = 0; p < idx.length; p++)
      for (let q = p + 1; q < idx.length; q++) (cl[p] === cl[q] ? within : across).push(c.matrix[p * idx.length + q]!);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(within.length).toBeGreaterThan(100);
    expect(avg(within)).toBeGreaterThan(0.2);
    expect(avg(within)).toBeLessThan(0.8);
    expect(avg(across)).toBeLessThan(avg(within) - 0.15);
    expect(avg(across)).toBeGreaterThan(0);
  });

  it('scores and returns follow the demo payout rule 0.5·CORR20 + 2·MMC, clipped at ±5 %', () => {
    let worst = 0;
    for (let j = 0; j < 200_000; j++) {
      const implied = Math.max(-500, Math.min(500, 5000 * world.corr20[j]! + 20000 * world.mmc[j]!));
      worst = Math.max(worst, Math.abs(implied - ret[j]!));
    }
    // Rounding to whole bps moves it ≤ 0.5; Float32 storage of the scores far less than that.
    expect(worst).toBeLessThanOrEqual(0.501);
    expect(worst).toBeGreaterThan(0.4);
  });

  it('stakes stay positive and finite, and move with returns', () => {
    for (let j = 0; j < world.stakeNmr.length; j += 97) {
      expect(world.stakeNmr[j]!).toBeGreaterThan(0);
      expect(Number.isFinite(world.stakeNmr[j]!)).toBe(true);
    }
    expect(world.currentStakeWei.every((w) => w > 0n)).toBe(true);
  });
});

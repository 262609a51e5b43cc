import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumeraiApiError } from './numerai-client';
import { mapRoundPerformances, roundPayoutWei, createNumeraiSource, type NumeraiSourceOptions } from './numerai-source';
import type { RoundPerformance } from './numerai-queries';
import {
  CORR_MULTIPLIER,
  MMC_MULTIPLIER,
  PAYOUT_FACTOR,
  decimalToWei,
  fakeRound,
  makeFakeWorld,
  startFakeNumerai,
  type FakeNumerai,
} from './test-support/fake-numerai';

const FAST: NumeraiSourceOptions = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 400, maxRetries: 1 };

describe('Numerai source against a local Numerai', () => {
  let api: FakeNumerai;
  beforeAll(async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 7, signals: 2, crypto: 2, currentRound: 60 }), { maxPageSize: 3 });
  });
  afterAll(() => api.close());
  const fresh = () => {
    api.fault = undefined;
    api.requests.length = 0;
    return createNumeraiSource({ ...FAST, url: api.url });
  };

  it('pages the leaderboard: a capped (partial) page advances by what was received', async () => {
    const src = fresh();
    const p1 = await src.leaderboard({ tournament: 'classic', limit: 5, offset: 0 });
    expect(p1.received).toBe(3); // the server caps pages at 3
    expect(p1.entries.map((e) => e.name)).toEqual(['classic_0', 'classic_1', 'classic_2']);
    expect(p1.entries[0]!.stakeWei).toBe(decimalToWei('1000.000000000123456789'));
    expect(p1.entries[0]!.rank).toBe(1);
    const p3 = await src.leaderboard({ tournament: 'classic', limit: 5, offset: 6 });
    expect(p3.entries.map((e) => e.name)).toEqual(['classic_6']);
    expect((await src.leaderboard({ tournament: 'classic', limit: 5, offset: 7 })).received).toBe(0);
    // Each tournament has its own field (none takes a tournament argument).
    expect((await src.leaderboard({ tournament: 'signals', limit: 5, offset: 0 })).entries.map((e) => e.name)).toEqual([
      'signals_0',
      'signals_1',
    ]);
    expect((await src.leaderboard({ tournament: 'crypto', limit: 5, offset: 0 })).entries).toHaveLength(2);
    expect(api.requests.map((r) => r.rootField)).toEqual([
      'v2Leaderboard',
      'v2Leaderboard',
      'v2Leaderboard',
      'signalsLeaderboard',
      'cryptosignalsLeaderboard',
    ]);
  });

  it('skips a malformed leaderboard entry and says which field, keeping the rest of the page', async () => {
    const src = fresh();
    api.fault = () => ({
      mutate: (d) => {
        const rows = d.v2Leaderboard as Record<string, unknown>[];
        rows[1] = { ...rows[1], nmrStaked: { amount: 5 } };
        return d;
      },
    });
    const p = await src.leaderboard({ tournament: 'classic', limit: 3, offset: 0 });
    expect(p.received).toBe(3);
    expect(p.entries.map((e) => e.name)).toEqual(['classic_0', 'classic_2']);
    expect(p.issues).toEqual([{ index: 1, name: 'classic_1', field: 'v2Leaderboard[1].nmrStaked', message: expect.any(String) }]);
  });

  it('maps a model history: exact stake, return = payout / at risk, scores by display name, resolved rounds only', async () => {
    const src = fresh();
    const h = await src.modelHistory('classic_1', { tournament: 'classic' });
    const spec = api.world.models.find((m) => m.name === 'classic_1')!;
    expect(api.requests.map((r) => r.rootField)).toEqual(['v3UserProfile', 'v2RoundModelPerformances']);
    expect(api.requests[0]!.variables).toEqual({ modelName: 'classic_1', tournament: 8 });
    expect(api.requests[1]!.variables).toEqual({ modelId: h.sourceId, tournament: 8 }); // no lastNRounds: everything
    expect(h.currentStakeWei).toBe(decimalToWei(spec.stake));
    // Rounds 8..56 are resolved (60 is current, 4 in flight).
    expect(h.rounds[0]).toBe(spec.startRound);
    expect(h.rounds[h.rounds.length - 1]).toBe(56);
    expect(h.rounds.length).toBe(56 - spec.startRound + 1);
    expect(h.startRound).toBe(spec.startRound);
    for (let k = 0; k < h.rounds.length; k++) {
      const x = fakeRound(api.world, spec, h.rounds[k]!)!;
      expect(h.returnBps[k]).toBeCloseTo(Math.fround(Number((x.payoutWei * 10n ** 12n) / x.atRiskWei) / 1e8), 6);
      expect(h.corr20![k]).toBe(Math.fround(x.corr));
      expect(h.mmc![k]).toBe(Math.fround(x.mmc));
      expect(h.tc![k]).toBe(Math.fround(x.tc));
      expect(h.resolveTimeMs[k]).toBe(x.resolveTimeMs);
    }
    expect(h.isDemo).toBe(false);
    expect(h.skippedRounds).toBe(0);
  });

  it('estimates the return of an unstaked model ("0E-18" at risk) from its scores and the round multipliers', async () => {
    const src = fresh();
    const h = await src.modelHistory('classic_6', { tournament: 'classic' });
    const spec = api.world.models.find((m) => m.name === 'classic_6')!;
    expect(h.currentStakeWei).toBe(0n);
    const x = fakeRound(api.world, spec, h.rounds[3]!)!;
    const expected = Math.max(-500, Math.min(500, Number(PAYOUT_FACTOR) * (CORR_MULTIPLIER * x.corr + MMC_MULTIPLIER * x.mmc) * 10_000));
    expect(h.returnBps[3]).toBeCloseTo(expected, 3);
    expect(h.stakeNmr![3]).toBe(0);
  });

  it('reads the score names Signals and Crypto use', async () => {
    const src = fresh();
    const s = await src.modelHistory('signals_0', { tournament: 'signals' });
    const c = await src.modelHistory('crypto_0', { tournament: 'crypto' });
    expect(Number.isNaN(s.corr20![0]!)).toBe(false);
    expect(Number.isNaN(c.corr20![0]!)).toBe(false);
    expect(Number.isNaN(c.mmc![0]!)).toBe(false);
    expect(api.requests.filter((r) => r.rootField === 'v3UserProfile').map((r) => r.variables.tournament)).toEqual([11, 12]);
  });

  it('fetches only rounds after sinceRound, with lastNRounds from the current round, and no profile when the id is known', async () => {
    const src = fresh();
    const first = await src.modelHistory('classic_0', { tournament: 'classic' });
    api.requests.length = 0;
    const h = await src.modelHistory('classic_0', { tournament: 'classic', sinceRound: 50, sourceId: first.sourceId! });
    expect(api.requests.map((r) => r.rootField)).toEqual(['rounds', 'v2RoundModelPerformances']);
    expect(api.requests[1]!.variables).toEqual({ modelId: first.sourceId, tournament: 8, lastNRounds: 11 });
    expect(Array.from(h.rounds)).toEqual([51, 52, 53, 54, 55, 56]);
    expect(h.startRound).toBe(51);
    expect(h.currentStakeWei).toBeUndefined(); // the leaderboard's figure is used
    // The current round is reused for the next model.
    api.requests.length = 0;
    await src.modelHistory('classic_1', { tournament: 'classic', sinceRound: 50, sourceId: 'x' }).catch(() => {});
    expect(api.requests.map((r) => r.rootField)).toEqual(['v2RoundModelPerformances']);
  });

  it('reports an unknown model as not_found, naming it', async () => {
    const src = fresh();
    const e = await src.modelHistory('nobody', { tournament: 'classic' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NumeraiApiError);
    expect((e as NumeraiApiError).code).toBe('not_found');
    expect((e as NumeraiApiError).model).toBe('nobody');
  });

  it('a partial round (no roundNumber) fails that model with the field named', async () => {
    const src = fresh();
    api.fault = (r) =>
      r.rootField === 'v2RoundModelPerformances'
        ? {
            mutate: (d) => {
              const rows = d.v2RoundModelPerformances as Record<string, unknown>[];
              delete rows[2]!.roundNumber;
              return d;
            },
          }
        : undefined;
    const e = (await src.modelHistory('classic_2', { tournament: 'classic' }).catch((x: unknown) => x)) as NumeraiApiError;
    expect([e.code, e.model, e.field]).toEqual(['invalid_response', 'classic_2', 'data.v2RoundModelPerformances[2].roundNumber']);
    expect(e.message).toContain('classic_2');
  });
});

describe('round mapping rules', () => {
  const base: RoundPerformance = {
    atRisk: 100n * 10n ** 18n,
    corrMultiplier: 0.5,
    mmcMultiplier: 2,
    roundPayoutFactor: 1,
    roundNumber: 10,
    roundResolveTime: 1000,
    roundResolved: true,
    submissionScores: [],
  };
  const score = (displayName: string, value: number, payout?: bigint) => ({
    displayName,
    value,
    payoutSettled: payout ?? null,
    payoutPending: null,
  });

  it('a payout repeated on every score counts once; differing parts are summed', () => {
    expect(roundPayoutWei([score('corr20', 0.1, 5n), score('mmc', 0.1, 5n)], true)).toBe(5n);
    expect(roundPayoutWei([score('corr20', 0.1, 3n), score('mmc', 0.1, 2n)], true)).toBe(5n);
    expect(roundPayoutWei([score('corr20', 0.1)], true)).toBeNull();
  });

  it('clips returns at ±500 bps, drops unresolved rounds and duplicates, skips rounds with nothing to compute from', () => {
    const m = mapRoundPerformances([
      { ...base, roundNumber: 12, submissionScores: [score('CORR20', 0.02, 7n * 10n ** 18n)] }, // +7 % → +500
      { ...base, roundNumber: 11, submissionScores: [score('v2_corr20', 0.02, -(10n ** 18n))] }, // −1 %
      { ...base, roundNumber: 11, submissionScores: [score('v2_corr20', 0.03, 10n ** 18n)] }, // duplicate
      { ...base, roundNumber: 13, roundResolved: false, submissionScores: [score('corr20', 0.02, 10n ** 18n)] },
      { ...base, roundNumber: 14, atRisk: 0n, corrMultiplier: null, submissionScores: [score('corr20', 0.02)] }, // no stake, no multiplier
      { ...base, roundNumber: 15, atRisk: 0n, roundPayoutFactor: 0.5, submissionScores: [score('corr20', 0.02), score('mmc', 0.01)] },
    ]);
    expect(Array.from(m.rounds)).toEqual([11, 12, 15]);
    expect(Array.from(m.returnBps)).toEqual([-100, 500, Math.fround(0.5 * (0.5 * 0.02 + 2 * 0.01) * 10_000)]);
    expect(m.corr20[1]).toBe(Math.fround(0.02)); // "CORR20" read case-insensitively
    expect(Number.isNaN(m.tc[0]!)).toBe(true);
    expect(m.skipped).toBe(2);
  });
});

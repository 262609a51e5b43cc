import { afterEach, describe, expect, it } from 'vitest';
import { createRecordsService, type ModelListRow } from './index';
import { createNumeraiSource, type NumeraiSourceOptions } from './numerai-source';
import { refreshTrackRecords } from './sync';
import { decimalToWei, fakeLeaderboardReturn, makeFakeWorld, startFakeNumerai, type FakeNumerai } from './test-support/fake-numerai';
import { parseNmrWei } from './nmr-decimal';

const FAST: NumeraiSourceOptions = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 2000, maxRetries: 1 };

describe("a first load lists every model with the leaderboards' figures before any history", () => {
  let api: FakeNumerai;
  afterEach(() => api.close());

  it('rank, exact stake and Numerai’s returns at once, the rest marked loading; sorting by them works at once', async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 6, signals: 3, crypto: 3, currentRound: 40 }), { maxPageSize: 4 });
    // Histories are slow: the first set shown must not wait for them.
    api.fault = (r) => (r.rootField === 'v2RoundModelPerformances' ? { delayMs: 100 } : undefined);
    const shown: { rows: ModelListRow[]; historiesAsked: number }[] = [];
    const r = await refreshTrackRecords({
      source: createNumeraiSource({ ...FAST, url: api.url }),
      onPartial: (c, listing) => {
        const service = createRecordsService({ set: c.set, listing: { listing, fetched: c.partial.fetched } });
        shown.push({
          rows: service.list({ sortBy: 'return3mPct', sortDir: 'desc', limit: 100 }).rows,
          historiesAsked: api.requests.filter((x) => x.rootField === 'v2RoundModelPerformances').length,
        });
      },
    });
    const first = shown[0]!;
    expect(first.historiesAsked).toBe(0);
    expect(first.rows).toHaveLength(12);
    for (const row of first.rows) {
      const spec = api.world.models.find((m) => m.name === row.name)!;
      expect(row.historyLoading).toBe(true);
      expect(row.rounds).toBe(0);
      expect(row.sharpe).toBeNull();
      // Exact to the wei (the Signals board sends a float, as the real one has).
      if (row.tournament !== 'signals') expect(parseNmrWei(row.currentStakeNmr)).toBe(decimalToWei(spec.stake));
      else expect(Number(row.currentStakeNmr)).toBeCloseTo(Number(spec.stake), 6);
      expect(row.numeraiRank).toBeGreaterThan(0);
      // Numerai's Signals leaderboard has no returns (numerapi selects none); the others do.
      if (row.tournament === 'signals') expect(row.return3mPct).toBeNull();
      else {
        expect(row.return3mPct).toBeCloseTo(fakeLeaderboardReturn(row.name, 13) * 100, 9);
        expect(row.return1yPct).toBeCloseTo(fakeLeaderboardReturn(row.name, 52) * 100, 9);
      }
    }
    // Sorted by Numerai's 3-month figure, highest first; the models without one last.
    const figures = first.rows.map((x) => x.return3mPct).filter((v): v is number => v !== null);
    expect(figures).toEqual([...figures].sort((a, b) => b - a));
    expect(first.rows.slice(figures.length).every((x) => x.return3mPct === null)).toBe(true);
    expect(first.rows.find((x) => x.name === 'classic_0')!.numeraiRank).toBe(1);

    // Finished: every model has its own history and figures, nothing is loading.
    const done = createRecordsService({ set: r.set, listing: { listing: r.listing } });
    const rows = done.list({ limit: 100 }).rows;
    expect(rows).toHaveLength(12);
    expect(rows.every((x) => !x.historyLoading && x.rounds > 0)).toBe(true);
    expect(rows.find((x) => x.name === 'crypto_0')!.numeraiRank).toBe(1);
  });

  it('a model whose history fails stays listed, not loading once the load is over', async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 3, currentRound: 40 }));
    api.fault = (r) => (r.rootField === 'v3UserProfile' && r.variables.modelName === 'classic_1' ? { status: 404 } : undefined);
    const r = await refreshTrackRecords({ source: createNumeraiSource({ ...FAST, url: api.url }), tournaments: ['classic'] });
    expect(r.errors.map((e) => e.name)).toEqual(['classic_1']);
    expect(r.stats.listedOnly).toBe(1);
    const row = createRecordsService({ set: r.set, listing: { listing: r.listing } }).list({ sortBy: 'name', sortDir: 'asc' }).rows[1]!;
    expect(row).toMatchObject({ name: 'classic_1', rounds: 0, historyLoading: false, numeraiRank: 2 });
  });
});

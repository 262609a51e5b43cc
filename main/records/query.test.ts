import { describe, expect, it, vi } from 'vitest';
import { computeMetrics } from './metrics';
import { formatNmr } from '../../shared/money';
import { generateDemoRecords } from './demo-source';
import {
  downsample,
  downsampleIndices,
  listRow,
  MAX_PAGE,
  prepareListSortsLater,
  queryModels,
  queryRows,
  sortedOrder,
  QueryError,
  type ModelFilter,
} from './query';
import { mulberry32 } from './random';
import { handSet } from './test-support/hand-sets';

const NMR = 10n ** 18n;

// returnAllPct: alpha +3.02 % (1.01·1.02), Beta −1 %, gamma +3.02 % (tie with alpha), delta: no rounds,
// epsilon +5 %. Drawdowns: alpha 0, Beta 1 %, gamma 1 % (0.99 then up), delta none, epsilon 0.
const set = handSet([
  { name: 'alpha', returns: [100, 200], feeBps: 0, stakeWei: 1234n * NMR + NMR / 2n },
  { name: 'Beta_model', returns: [-100], feeBps: 500 },
  { name: 'gamma', returns: [-100, 200, 100, 100], feeBps: 2000 },
  { name: 'delta', returns: [], feeBps: 100 },
  { name: 'epsilon_alpha', returns: [500], feeBps: 1000, stakeWei: 1n },
]);
const table = computeMetrics(set);
const names = (p: { rows: { name: string }[] }) => p.rows.map((r) => r.name);

describe('queryModels', () => {
  it('sorts descending and ascending; models without a figure last either way; ties by name', () => {
    // gamma: 0.99 · 1.02 · 1.01 · 1.01 = 1.0301...; alpha 1.0302: not a tie, gamma is lower.
    expect(names(queryModels(table, { sortBy: 'returnAllPct', sortDir: 'desc' }))).toEqual([
      'epsilon_alpha',
      'alpha',
      'gamma',
      'Beta_model',
      'delta',
    ]);
    expect(names(queryModels(table, { sortBy: 'returnAllPct', sortDir: 'asc' }))).toEqual([
      'Beta_model',
      'gamma',
      'alpha',
      'epsilon_alpha',
      'delta',
    ]);
    // feeBps has no NaN; maxDrawdownPct ties alpha = epsilon_alpha = 0 → name order (code units: 'B' < 'a').
    expect(names(queryModels(table, { sortBy: 'feeBps', sortDir: 'asc' }))).toEqual([
      'alpha',
      'delta',
      'Beta_model',
      'epsilon_alpha',
      'gamma',
    ]);
    expect(names(queryModels(table, { sortBy: 'maxDrawdownPct', sortDir: 'asc' }))).toEqual([
      'alpha',
      'epsilon_alpha',
      'Beta_model',
      'gamma',
      'delta',
    ]);
    expect(names(queryModels(table, { sortBy: 'name', sortDir: 'asc' }))).toEqual([
      'Beta_model',
      'alpha',
      'delta',
      'epsilon_alpha',
      'gamma',
    ]);
  });

  it('filters: name substring (any case), min rounds, max drawdown, max fee — combined with AND', () => {
    expect(names(queryModels(table, { sortBy: 'name', sortDir: 'asc', filter: { nameContains: 'ALPHA' } }))).toEqual([
      'alpha',
      'epsilon_alpha',
    ]);
    expect(names(queryModels(table, { sortBy: 'name', sortDir: 'asc', filter: { minRounds: 2 } }))).toEqual(['alpha', 'gamma']);
    // 'delta' has no drawdown figure: it fails a drawdown limit.
    expect(names(queryModels(table, { sortBy: 'name', sortDir: 'asc', filter: { maxDrawdownPct: 0.5 } }))).toEqual([
      'alpha',
      'epsilon_alpha',
    ]);
    expect(names(queryModels(table, { sortBy: 'name', sortDir: 'asc', filter: { maxFeeBps: 500 } }))).toEqual([
      'Beta_model',
      'alpha',
      'delta',
    ]);
    const both = queryModels(table, { sortBy: 'name', sortDir: 'asc', filter: { nameContains: 'a', maxFeeBps: 500, minRounds: 1 } });
    expect(names(both)).toEqual(['Beta_model', 'alpha']);
    expect(both.total).toBe(2);
  });

  it('paginates: total counts every match, the page is the slice', () => {
    const p = queryModels(table, { sortBy: 'name', sortDir: 'asc', offset: 1, limit: 2 });
    expect(p.total).toBe(5);
    expect(names(p)).toEqual(['alpha', 'delta']);
    expect(queryModels(table, { offset: 10, limit: 2 }).rows).toEqual([]);
    expect(queryModels(table, { offset: 10, limit: 2 }).total).toBe(5);
  });

  it('rows are plain JSON: numbers as numbers (null for no figure), money as exact decimal strings', () => {
    const p = queryModels(table, { sortBy: 'name', sortDir: 'asc' });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    const alpha = p.rows.find((r) => r.name === 'alpha')!;
    expect(alpha.currentStakeNmr).toBe('1234.5');
    expect(alpha.returnAllPct).toBeCloseTo(3.02, 10);
    expect(alpha.rounds).toBe(2);
    expect(alpha.modelId).toBeNull();
    const delta = p.rows.find((r) => r.name === 'delta')!;
    expect(delta.returnAllPct).toBeNull();
    expect(delta.sharpe).toBeNull();
    expect(p.rows.find((r) => r.name === 'epsilon_alpha')!.currentStakeNmr).toBe('0.000000000000000001');
    expect(formatNmr(100n * NMR)).toBe('100');
  });

  it('rejects what it cannot do', () => {
    expect(() => queryModels(table, { sortBy: 'nope' as never })).toThrow(QueryError);
    expect(() => queryModels(table, { limit: 0 })).toThrow(QueryError);
    expect(() => queryModels(table, { limit: 5000 })).toThrow(QueryError);
    expect(() => queryModels(table, { offset: -1 })).toThrow(QueryError);
    expect(() => queryModels(table, { filter: { maxFeeBps: Number.NaN } })).toThrow(QueryError);
  });

  it('a record with no fee (Numerai’s) fails a fee filter and sorts last; the pool’s fees stand for the records’', () => {
    // 'numerai_a' and 'numerai_b' are Numerai's records (no fee given: not demo ones).
    const mixed = computeMetrics(
      handSet([
        { name: 'demo_cheap', returns: [100], feeBps: 100 },
        { name: 'demo_dear', returns: [100], feeBps: 900 },
        { name: 'numerai_a', returns: [100] },
        { name: 'numerai_b', returns: [100] },
      ]),
    );
    const byFee = (q: Parameters<typeof queryModels>[1]) => names(queryModels(mixed, { sortBy: 'feeBps', ...q }));
    expect(queryModels(mixed, { sortBy: 'name', sortDir: 'asc' }).rows.map((r) => r.feeBps)).toEqual([100, 900, null, null]);
    expect(byFee({ sortDir: 'asc' })).toEqual(['demo_cheap', 'demo_dear', 'numerai_a', 'numerai_b']);
    expect(byFee({ sortDir: 'desc' })).toEqual(['demo_dear', 'demo_cheap', 'numerai_a', 'numerai_b']);
    expect(byFee({ filter: { maxFeeBps: 10_000 } })).toEqual(['demo_dear', 'demo_cheap']);

    // In the pool, numerai_b charges 5 % and demo_dear 0 %: the filter and the sort go by that.
    const fees = new Map([
      ['numerai_b', 500],
      ['demo_dear', 0],
      ['not_a_record', 50],
    ]);
    expect(byFee({ sortDir: 'asc', fees })).toEqual(['demo_dear', 'demo_cheap', 'numerai_b', 'numerai_a']);
    expect(byFee({ sortDir: 'desc', fees })).toEqual(['numerai_b', 'demo_cheap', 'demo_dear', 'numerai_a']);
    expect(byFee({ sortDir: 'asc', filter: { maxFeeBps: 200 }, fees })).toEqual(['demo_dear', 'demo_cheap']);
    // Other sorts and an empty map are untouched by it; the records' own column is not changed.
    expect(byFee({ sortDir: 'asc', fees: new Map() })).toEqual(['demo_cheap', 'demo_dear', 'numerai_a', 'numerai_b']);
    expect(names(queryModels(mixed, { sortBy: 'name', sortDir: 'asc', filter: { maxFeeBps: 600 }, fees }))).toEqual([
      'demo_cheap',
      'demo_dear',
      'numerai_b',
    ]);
    // Fees changed in the pool: the next query reads the new ones, not an order made for the old.
    const changed = new Map([['numerai_a', 1]]);
    expect(byFee({ sortDir: 'asc', fees: changed })).toEqual(['numerai_a', 'demo_cheap', 'demo_dear', 'numerai_b']);
  });

  it('a filter’s kept models, remembered for the next sorts, answer as a fresh walk would: every page, every fee map', () => {
    const demo = computeMetrics(generateDemoRecords({ models: 300 }));
    // What queryModels must answer, worked out here the long way over every row.
    const expected = (filter: ModelFilter, sortBy: 'sharpe' | 'rounds', fees?: ReadonlyMap<string, number>) => {
      const rows = Array.from({ length: demo.size }, (_, i) => listRow(demo, i)).map((r) => ({
        ...r,
        feeBps: fees?.get(r.name) ?? r.feeBps,
      }));
      return queryRows(rows, { sortBy: (r) => r[sortBy], sortDir: 'desc', filter, limit: MAX_PAGE });
    };
    const pageOf = (filter: ModelFilter, sortBy: 'sharpe' | 'rounds', offset: number, fees?: ReadonlyMap<string, number>) =>
      queryModels(demo, { sortBy, sortDir: 'desc', filter, offset, limit: 7, fees });
    // Nine filters, one more than are remembered, twice over: the first is made again, not stale.
    const filters: ModelFilter[] = [
      ...Array.from({ length: 8 }, (_, k) => ({ minRounds: 20 * k })),
      { nameContains: ' A ', maxDrawdownPct: 25 },
    ];
    for (let round = 0; round < 2; round++)
      for (const filter of filters)
        for (const sortBy of ['sharpe', 'rounds'] as const) {
          const all = expected(filter, sortBy);
          for (const offset of [0, 7, all.total - 3, all.total + 1]) {
            const page = pageOf(filter, sortBy, Math.max(0, offset));
            expect(page.total, JSON.stringify(filter)).toBe(all.total);
            expect(names(page)).toEqual(names(all).slice(Math.max(0, offset), Math.max(0, offset) + 7));
          }
        }
    // The same words in another case and with blanks keep the same models.
    expect(pageOf({ nameContains: 'a', maxDrawdownPct: 25 }, 'sharpe', 0)).toEqual(pageOf(filters[8]!, 'sharpe', 0));
    // A fee limit follows the pool's fees as they change, not the models kept under the old ones.
    const cheap = demo.set.models.map((m) => m.name).slice(0, 40);
    const feesA = new Map(cheap.map((name) => [name, 0]));
    const feesB = new Map(cheap.map((name) => [name, 9_000]));
    for (const fees of [feesA, feesB, feesA]) {
      const all = expected({ maxFeeBps: 100 }, 'sharpe', fees);
      const page = pageOf({ maxFeeBps: 100 }, 'sharpe', 0, fees);
      expect(page.total).toBe(all.total);
      expect(names(page)).toEqual(names(all).slice(0, 7));
    }
    expect(pageOf({ maxFeeBps: 100 }, 'sharpe', 0, feesA).total).not.toBe(pageOf({ maxFeeBps: 100 }, 'sharpe', 0, feesB).total);
  });

  it('reuses a column’s sorted order across queries', () => {
    expect(sortedOrder(table, 'sharpe')).toBe(sortedOrder(table, 'sharpe'));
  });

  it('orders the other columns as soon as the list of all models is asked for, not only after its delay', async () => {
    const fresh = computeMetrics(generateDemoRecords({ models: 30 }));
    const steps = vi.fn(() => true);
    prepareListSortsLater(fresh, steps);
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).not.toHaveBeenCalled(); // waiting for its delay: nobody looks at the list yet
    queryModels(fresh, { limit: 5 });
    await new Promise((r) => setTimeout(r, 20));
    expect(steps.mock.calls.length).toBeGreaterThan(1); // one column a turn
  });
});

describe('radix sort of columns', () => {
  it('matches a reference stable sort on awkward values', () => {
    const u = mulberry32(9);
    const specials = [0, -0, Infinity, -Infinity, 1e-300, -1e-300, 5, 5, 5, -5, Number.NaN, Number.NaN];
    const values = Array.from({ length: 3000 }, (_, i) =>
      i < specials.length ? specials[i]! : Math.round((u() - 0.5) * 200) / (u() < 0.5 ? 1 : 7),
    );
    const big = handSet(values.map((_, i) => ({ name: `m${String(i).padStart(5, '0')}`, returns: [0] })));
    const t = computeMetrics(big);
    t.columns.sharpe.set(values);
    const { order, finite } = sortedOrder(t, 'sharpe');
    const reference = values
      .map((v, i) => ({ v, i }))
      .filter(({ v }) => !Number.isNaN(v))
      .sort((a, b) => a.v - b.v || a.i - b.i) // names are in slot order here, so slot = name order
      .map(({ i }) => i);
    expect(finite).toBe(values.length - 2);
    expect(Array.from(order.subarray(0, finite)).map((i) => values[i]! + 0)).toEqual(reference.map((i) => values[i]! + 0));
    expect(Array.from(order.subarray(0, finite))).toEqual(reference);
    expect(Array.from(order.subarray(finite)).map((i) => values[i])).toEqual([Number.NaN, Number.NaN]);
  });
});

describe('downsample (LTTB)', () => {
  it('returns every point of a short series', () => {
    expect(Array.from(downsampleIndices([0, 1, 2], [5, 6, 7], 10))).toEqual([0, 1, 2]);
  });

  it('by hand: 5 points into 3 keeps the spike', () => {
    // every = (5 − 2) / (3 − 2) = 3: one bucket, points 1..3; next-bucket average = point 4 (4, 0).
    // Triangle with a = (0, 0): area ∝ |(0 − 4)(y − 0) − (0 − x)(0 − 0)| = 4|y| → y = 5 at index 3 wins.
    const s = downsample({ x: [0, 1, 2, 3, 4], y: [0, 1, 0, 5, 0] }, 3);
    expect(s).toEqual({ x: [0, 3, 4], y: [0, 5, 0] });
  });

  it('keeps first and last, the requested count, increasing indices, and isolated spikes', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 300) + (i === 4321 ? -40 : 0));
    const idx = downsampleIndices(x, y, 200);
    expect(idx.length).toBe(200);
    expect(idx[0]).toBe(0);
    expect(idx[199]).toBe(n - 1);
    for (let k = 1; k < idx.length; k++) expect(idx[k]!).toBeGreaterThan(idx[k - 1]!);
    expect(Array.from(idx)).toContain(4321);
  });

  it('rejects fewer than 2 points', () => {
    expect(() => downsampleIndices([1, 2, 3], [1, 2, 3], 1)).toThrow(RangeError);
  });
});

describe('queryRows: the same rules for rows held in memory (the pool, the watchlist)', () => {
  const demo = computeMetrics(generateDemoRecords({ models: 400 }));
  const rows = Array.from({ length: demo.size }, (_, i) => listRow(demo, i));
  const keys = ['rounds', 'return20Pct', 'return1yPct', 'returnAllPct', 'sharpe', 'maxDrawdownPct', 'feeBps', 'hitRatePct'] as const;
  const filters: ModelFilter[] = [{}, { minRounds: 100 }, { maxDrawdownPct: 20, maxFeeBps: 1000 }, { nameContains: 'A' }];

  it('orders and filters exactly as the index sort of the whole table does, every key, both directions', () => {
    for (const key of keys)
      for (const sortDir of ['asc', 'desc'] as const)
        for (const filter of filters) {
          const all = queryModels(demo, { sortBy: key, sortDir, filter, limit: MAX_PAGE });
          const held = queryRows(rows, { sortBy: (r) => r[key], sortDir, filter, limit: MAX_PAGE });
          expect(held.total, `${key} ${sortDir} ${JSON.stringify(filter)}`).toBe(all.total);
          expect(names(held), `${key} ${sortDir} ${JSON.stringify(filter)}`).toEqual(names(all));
        }
    for (const sortDir of ['asc', 'desc'] as const)
      expect(names(queryRows(rows, { sortBy: 'name', sortDir, limit: MAX_PAGE }))).toEqual(
        names(queryModels(demo, { sortBy: 'name', sortDir, limit: MAX_PAGE })),
      );
  });

  it('compares wei as bigint exactly, and a model without a figure fails a limit on it', () => {
    const row = (name: string, wei: bigint | null, maxDrawdownPct: number | null) => ({
      name,
      rounds: 10,
      maxDrawdownPct,
      feeBps: 0,
      tournament: 'classic' as const,
      wei,
    });
    const r = [row('a', 2n ** 53n + 1n, 5), row('b', 2n ** 53n, null), row('c', null, 1)];
    expect(names(queryRows(r, { sortBy: (x) => x.wei, sortDir: 'desc' }))).toEqual(['a', 'b', 'c']);
    expect(names(queryRows(r, { sortBy: (x) => x.wei, sortDir: 'asc' }))).toEqual(['b', 'a', 'c']);
    expect(names(queryRows(r, { sortBy: 'name', sortDir: 'asc', filter: { maxDrawdownPct: 10 } }))).toEqual(['a', 'c']);
  });
});

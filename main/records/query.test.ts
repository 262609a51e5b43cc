import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics';
import { formatNmr } from '../../shared/money';
import { downsample, downsampleIndices, queryModels, sortedOrder, QueryError } from './query';
import { mulberry32 } from './random';
import { handSet } from './test-helpers';

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

  it('reuses a column’s sorted order across queries', () => {
    expect(sortedOrder(table, 'sharpe')).toBe(sortedOrder(table, 'sharpe'));
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

/**
 * The model list's one sort and filter engine, for every scope. Its rules, defined once here:
 * ascending by (figure, name) with models that have no figure last in both directions, descending
 * the reverse of that (those without a figure still last); names in code-unit order; filters
 * combined with AND, a model without the figure a filter limits failing it.
 *
 * Two walks apply these rules. `queryModels` sorts a whole metrics table (every model with a track
 * record, ~15,000) by an index sort (Uint32Array of model slots ordered by a Float64Array column);
 * each column's ascending order is computed once per table and cached, and descending walks it
 * backwards; a filter's kept models are remembered too, so after the first query on a column a page
 * costs a walk of its order until the page is full. `queryRows` sorts a few hundred rows held in
 * memory (the pool's models, the watchlist), where a figure may come from the chain (exact wei as
 * bigint) rather than a metrics column.
 *
 * Also `downsample` for chart series.
 */
import { RECORD_SORT_KEYS, type ModelRow, type SortDir } from '../../shared/api/models';
import { formatNmr } from '../../shared/money';
import { METRIC_KEYS, rowOf, type MetricKey, type MetricValues, type MetricsTable } from './metrics';
import { recordFeeBps, type Tournament, type TrackRecordSet } from './types';
import type { ListedColumns } from './listing';

export type SortKey = MetricKey | 'name';
export const SORT_KEYS: readonly SortKey[] = ['name', ...METRIC_KEYS];

export interface ModelFilter {
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  /** At least this many resolved rounds. */
  minRounds?: number;
  /** Keep models whose worst drawdown is at most this (percent, positive: 30 = a 30 % fall). */
  maxDrawdownPct?: number;
  /** Keep models whose operator fee is at most this (bps). */
  maxFeeBps?: number;
  tournament?: Tournament;
}

export interface ModelQuery {
  sortBy?: SortKey;
  sortDir?: SortDir;
  filter?: ModelFilter;
  offset?: number;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /**
   * Fees known outside the records, by model name: the pool's. They stand for the record's fee in
   * the fee filter and sort, as they do in the rows the list shows (main/app/model-rows.ts).
   */
  fees?: ReadonlyMap<string, number>;
}

/**
 * One list row: JSON-safe. The figures the model list shows have the list row's own types
 * (shared/api/models.ts); the rest are the records' extra columns. Ratios are numbers (null when
 * there is no figure); money is a decimal string: `currentStakeNmr` is the exact stake in NMR, e.g. "1234.5".
 */
export type ModelListRow = Pick<
  ModelRow,
  | 'name'
  | 'modelId'
  | 'tournament'
  | 'isDemo'
  | 'feeBps'
  | 'rounds'
  | 'return20Pct'
  | 'return3mPct'
  | 'return1yPct'
  | 'sharpe'
  | 'maxDrawdownPct'
  | 'maxDrawdownRounds'
  | 'hitRatePct'
  | 'numeraiRank'
  | 'historyLoading'
> & {
  firstRound: number | null;
  lastRound: number | null;
  returnAllPct: number | null;
  rounds3m: number;
  rounds1y: number;
  meanReturnBps: number | null;
  stdevReturnBps: number | null;
  corr20Mean: number | null;
  mmcMean: number | null;
  tcMean: number | null;
  currentStakeNmr: string;
};

export interface ModelPage {
  /** Models matching the filter (all pages). */
  total: number;
  offset: number;
  limit: number;
  rows: ModelListRow[];
}

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

export const MAX_PAGE = 1000;

/** The list's name order: code-unit order, since names are [a-z0-9_], where that is what a reader calls alphabetical. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The list's filter as a test of one model's fields (a missing figure as NaN), or null when nothing
 * is filtered. `nameLower` is the name in lower case.
 */
export type FilterTest = (nameLower: string, rounds: number, maxDrawdownPct: number, feeBps: number, tournament: Tournament) => boolean;

export function filterTest(f: ModelFilter): FilterTest | null {
  const kept = filterWithKey(f);
  return kept && kept.test;
}

/**
 * `filterTest` and a key naming what it keeps: two filters with the same key keep the same models
 * (the name's case and surrounding blanks do not count).
 */
function filterWithKey(f: ModelFilter): { test: FilterTest; key: string } | null {
  checkNumber('minRounds', f.minRounds);
  checkNumber('maxDrawdownPct', f.maxDrawdownPct);
  checkNumber('maxFeeBps', f.maxFeeBps);
  const needle = f.nameContains?.trim().toLowerCase() ?? '';
  const { minRounds, maxDrawdownPct: maxDd, maxFeeBps: maxFee, tournament } = f;
  if (!needle && minRounds === undefined && maxDd === undefined && maxFee === undefined && tournament === undefined) return null;
  // The needle last: it is the only part that may hold the separator.
  const key = [minRounds, maxDd, maxFee, tournament, needle].map(String).join('\u0000');
  // Comparisons written so that NaN (no figure) fails them.
  const test: FilterTest = (nameLower, rounds, dd, fee, t) =>
    (!needle || nameLower.includes(needle)) &&
    (minRounds === undefined || rounds >= minRounds) &&
    (maxDd === undefined || dd <= maxDd) &&
    (maxFee === undefined || fee <= maxFee) &&
    (tournament === undefined || t === tournament);
  return { test, key };
}

/** Which models of a table a filter keeps (1 = kept), and how many. */
interface KeptModels {
  key: string;
  /** The fee column it was made with: the pool's fees may stand for the records'. */
  fee: Float64Array;
  kept: Uint8Array;
  count: number;
}

/**
 * The last few filters' kept models per table, newest first. A person sorts the same filtered list
 * by one column after another and types a filter a character at a time: each sort then walks the
 * column's order only until its page is full, where testing every model took 8–25 ms at 20,000 on
 * a busy machine (npm run bench's sorts, timed in main).
 */
const keptByTable = new WeakMap<MetricsTable, KeptModels[]>();
const KEPT_FILTERS = 8;

function keptModels(table: MetricsTable, filter: { test: FilterTest; key: string }, fee: Float64Array): KeptModels {
  let recent = keptByTable.get(table);
  if (!recent) keptByTable.set(table, (recent = []));
  const at = recent.findIndex((k) => k.key === filter.key && k.fee === fee);
  if (at >= 0) {
    const hit = recent[at]!;
    recent.splice(at, 1);
    recent.unshift(hit);
    return hit;
  }
  const names = lowerNames(table.set);
  const rounds = table.columns.rounds;
  const dd = table.columns.maxDrawdownPct;
  const models = table.set.models;
  const n = models.length;
  const kept = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++)
    if (filter.test(names[i]!, rounds[i]!, dd[i]!, fee[i]!, models[i]!.tournament)) {
      kept[i] = 1;
      count++;
    }
  const made = { key: filter.key, fee, kept, count };
  recent.unshift(made);
  if (recent.length > KEPT_FILTERS) recent.pop();
  return made;
}

interface SortedOrder {
  /** Model slots in ascending order; NaN values at the end. */
  order: Uint32Array;
  /** How many leading entries of `order` are not NaN. */
  finite: number;
}

const orderCache = new WeakMap<MetricsTable, Map<SortKey, SortedOrder>>();
// Name order and lower-case names depend only on the set, so every table of a set shares them.
const nameOrderCache = new WeakMap<TrackRecordSet, SortedOrder>();
const lowerNameCache = new WeakMap<TrackRecordSet, string[]>();

function lowerNames(set: TrackRecordSet): string[] {
  let names = lowerNameCache.get(set);
  if (!names) {
    names = set.models.map((m) => m.name.toLowerCase());
    lowerNameCache.set(set, names);
  }
  return names;
}

function nameOrder(set: TrackRecordSet): SortedOrder {
  let hit = nameOrderCache.get(set);
  if (!hit) {
    const models = set.models;
    const n = models.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => compareNames(models[x]!.name, models[y]!.name) || x - y);
    hit = { order, finite: n };
    nameOrderCache.set(set, hit);
  }
  return hit;
}

/**
 * Ascending order of a column, NaNs last, ties in name order. Cached per table. Metric columns use
 * a stable LSD radix sort (4 passes of 16 bits over the IEEE-754 bits made order-preserving) of
 * the slots taken in name order — O(n), ~1-2 ms for 20,000 models where a comparator sort takes
 * tens of milliseconds.
 */
export function sortedOrder(table: MetricsTable, key: SortKey): SortedOrder {
  let byKey = orderCache.get(table);
  if (!byKey) orderCache.set(table, (byKey = new Map<SortKey, SortedOrder>()));
  const hit = byKey.get(key);
  if (hit) return hit;

  let out: SortedOrder;
  if (key === 'name') {
    out = nameOrder(table.set);
  } else {
    const col = table.columns[key];
    if (!col) throw new QueryError(`unknown sort column "${String(key)}"`);
    out = columnOrder(table.set, col);
  }
  byKey.set(key, out);
  return out;
}

/** Ascending order of one column of a set's models (NaNs last, ties in name order). */
function columnOrder(set: TrackRecordSet, col: Float64Array): SortedOrder {
  const byName = nameOrder(set).order;
  const n = byName.length;
  const finiteSlots = new Uint32Array(n);
  const nanSlots: number[] = [];
  let finite = 0;
  for (let p = 0; p < n; p++) {
    const i = byName[p]!;
    if (Number.isNaN(col[i]!)) nanSlots.push(i);
    else finiteSlots[finite++] = i;
  }
  const order = new Uint32Array(n);
  order.set(radixSortSlots(col, finiteSlots.subarray(0, finite)));
  order.set(nanSlots, finite);
  return { order, finite };
}

/**
 * The fee column with fees known outside the records (the pool's, by name) in place of the
 * records', and its order (made in the background, or at the first fee sort if that comes sooner).
 * The last one per table is kept: the pool's fees change rarely, and a page of the list should not
 * copy 15,000 fees.
 */
interface FeeColumn {
  fees: ReadonlyMap<string, number>;
  key: string;
  col: Float64Array;
  order: SortedOrder | null;
}
const feeColumns = new WeakMap<MetricsTable, FeeColumn>();

function feeColumn(table: MetricsTable, fees: ReadonlyMap<string, number> | undefined): FeeColumn | null {
  if (!fees || fees.size === 0) return null;
  const hit = feeColumns.get(table);
  // The catalog hands in the same map while the pool's fees stay; another map with the same fees is the same column too.
  if (hit?.fees === fees) return hit;
  const key = [...fees].map(([name, fee]) => `${name}:${fee}`).join(',');
  if (hit?.key === key) {
    hit.fees = fees;
    return hit;
  }
  const col = Float64Array.from(table.columns.feeBps);
  for (const [name, fee] of fees) {
    const i = table.set.index.get(name);
    if (i !== undefined) col[i] = fee;
  }
  const made: FeeColumn = { fees, key, col, order: null };
  feeColumns.set(table, made);
  // Its order before a click on the fee column asks for it, as prepareListSortsLater does for the others.
  setImmediate(() => {
    if (feeColumns.get(table) === made) made.order ??= columnOrder(table.set, col);
  });
  return made;
}

/** Stable ascending sort of `slots` by `col[slot]` (finite values or ±Infinity). */
function radixSortSlots(col: Float64Array, slots: Uint32Array): Uint32Array {
  const n = slots.length;
  // Order-preserving keys: flip all bits of negatives, only the sign bit of the rest.
  const keyF = new Float64Array(n);
  for (let p = 0; p < n; p++) keyF[p] = col[slots[p]!]! + 0; // + 0 turns -0 into +0
  const bits = new Uint32Array(keyF.buffer); // little-endian: [lo, hi] per key
  for (let p = 0; p < n; p++) {
    const hi = bits[2 * p + 1]!;
    if (hi & 0x80000000) {
      bits[2 * p + 1] = ~hi >>> 0;
      bits[2 * p] = ~bits[2 * p]! >>> 0;
    } else bits[2 * p + 1] = (hi | 0x80000000) >>> 0;
  }
  let src = Uint32Array.from({ length: n }, (_, p) => p); // positions into keyF/slots
  let dst = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1; // 0 = lo, 1 = hi
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let p = 0; p < n; p++) count[(bits[2 * src[p]! + word]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let p = 0; p < n; p++) {
      const s = src[p]!;
      dst[count[(bits[2 * s + word]! >>> shift) & 0xffff]!++] = s;
    }
    [src, dst] = [dst, src];
  }
  const sorted = new Uint32Array(n);
  for (let p = 0; p < n; p++) sorted[p] = slots[src[p]!]!;
  return sorted;
}

/**
 * Does a table's one-time query work up front: the set's name order (~20 ms for 20,000 names: string
 * comparisons) and lower-case names, plus the order of the default sort column. The records service
 * calls it when it builds the table, so the first list query does not pay for it.
 */
export function prepareQueries(table: MetricsTable, sortBy: SortKey = 'return1yPct'): void {
  nameOrder(table.set);
  lowerNames(table.set);
  sortedOrder(table, sortBy);
}

/**
 * Orders every column the model list can be sorted by, one column per turn of the event loop
 * (2–5 ms each at 20,000 models), so that a person's first click on a column finds its order
 * ready instead of paying for it (npm run bench: renderer.sort_filter_20k_ms times first sorts).
 * The first turn does prepareQueries' work, where a caller left it for later (the demo world's:
 * a start's first screen lists the pool's models, which need no order of all models).
 * Stops early when `stillWanted` says the table was replaced.
 */
export function prepareListSortsLater(table: MetricsTable, stillWanted: () => boolean = () => true): void {
  const keys = SORT_KEYS.filter((k) => (RECORD_SORT_KEYS as readonly string[]).includes(k));
  const next = (k: number) => {
    if (k > keys.length || !stillWanted()) return;
    if (k === 0) prepareQueries(table);
    else sortedOrder(table, keys[k - 1]!);
    setImmediate(() => next(k + 1));
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    clearTimeout(timer);
    sortsWanted.delete(table);
    next(0);
  };
  // Not at once: a start has more urgent work (the first page of the list) than orders nobody asked
  // for yet; but as soon as the list of all models is asked for (queryModels), its sorts are next.
  const timer = setTimeout(start, SORTS_AFTER_MS);
  timer.unref();
  sortsWanted.set(table, () => setImmediate(start));
}

/** Starts a table's prepareListSortsLater now, where it still waits for its timer. */
const sortsWanted = new WeakMap<MetricsTable, () => void>();

/** How long after a table is built its list sorts are prepared. */
const SORTS_AFTER_MS = 1500;

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The row of model slot `i`. */
export function listRow(table: MetricsTable, i: number): ModelListRow {
  return rowFromValues(table.set, i, rowOf(table.columns, i), table.listed);
}

/** A list row from model `i`'s info and its metric values (and a leaderboard's columns, listing.ts). */
export function rowFromValues(set: TrackRecordSet, i: number, v: MetricValues, listed?: ListedColumns): ModelListRow {
  const m = set.models[i]!;
  return {
    numeraiRank: listed ? num(listed.rank[i]!) : null,
    historyLoading: listed?.historyLoading[i] === 1,
    name: m.name,
    modelId: m.modelId ?? null,
    tournament: m.tournament,
    isDemo: m.isDemo,
    feeBps: recordFeeBps(m),
    rounds: v.rounds,
    firstRound: num(v.firstRound),
    lastRound: num(v.lastRound),
    return20Pct: num(v.return20Pct),
    return3mPct: num(v.return3mPct),
    return1yPct: num(v.return1yPct),
    returnAllPct: num(v.returnAllPct),
    rounds3m: v.rounds3m,
    rounds1y: v.rounds1y,
    meanReturnBps: num(v.meanReturnBps),
    stdevReturnBps: num(v.stdevReturnBps),
    sharpe: num(v.sharpe),
    maxDrawdownPct: num(v.maxDrawdownPct),
    maxDrawdownRounds: num(v.maxDrawdownRounds),
    hitRatePct: num(v.hitRatePct),
    corr20Mean: num(v.corr20Mean),
    mmcMean: num(v.mmcMean),
    tcMean: num(v.tcMean),
    currentStakeNmr: formatNmr(set.currentStakeWei[i] ?? 0n),
  };
}

function checkNumber(name: string, v: number | undefined): void {
  if (v !== undefined && Number.isNaN(v)) throw new QueryError(`${name} is not a number`);
}

/**
 * Sorted, filtered page of the list. Models without a figure in the sort column come last in both
 * directions. Filters combine with AND; a model with no drawdown figure fails `maxDrawdownPct`.
 */
export function queryModels(table: MetricsTable, q: ModelQuery = {}): ModelPage {
  const sortBy = q.sortBy ?? 'return1yPct';
  const dir = q.sortDir ?? 'desc';
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 100;
  if (!SORT_KEYS.includes(sortBy)) throw new QueryError(`unknown sort column "${String(sortBy)}"`);
  if (dir !== 'asc' && dir !== 'desc') throw new QueryError('sortDir must be "asc" or "desc"');
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset must be a whole number ≥ 0');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new QueryError(`limit must be 1..${MAX_PAGE}`);
  const filter = filterWithKey(q.filter ?? {});

  const fees = feeColumn(table, q.fees);
  const { order, finite } = fees && sortBy === 'feeBps' ? (fees.order ??= columnOrder(table.set, fees.col)) : sortedOrder(table, sortBy);
  const kept = filter ? keptModels(table, filter, fees?.col ?? table.columns.feeBps) : null;

  const n = order.length;
  const total = kept ? kept.count : n;
  const end = Math.min(total, offset + limit);
  const pageSlots: number[] = [];
  // Walk positions in display order (desc = finite part backwards, then the NaN tail) until the page is full.
  for (let p = 0, seen = 0; p < n && seen < end; p++) {
    const pos = dir === 'asc' || p >= finite ? p : finite - 1 - p;
    const i = order[pos]!;
    if (kept && kept.kept[i] === 0) continue;
    if (seen >= offset) pageSlots.push(i);
    seen++;
  }
  // Someone is looking at the list of all models: the other columns' orders, before a click asks.
  sortsWanted.get(table)?.();
  return { total, offset, limit, rows: pageSlots.map((i) => listRow(table, i)) };
}

/** A row's figure in the sort column: null (no figure) sorts last either way; bigint for exact wei. */
export type SortValue = number | bigint | null;

/** What the filter reads of a row held in memory. */
export interface FilterableRow {
  name: string;
  rounds: number;
  maxDrawdownPct: number | null;
  /** null: not known (fails a fee filter, as a missing figure does). */
  feeBps: number | null;
  tournament: Tournament;
}

export interface RowQuery<R> {
  /** The figure to sort by, or 'name'. */
  sortBy: ((row: R) => SortValue) | 'name';
  sortDir: 'asc' | 'desc';
  filter?: ModelFilter;
  offset?: number;
  limit?: number;
}

/** `queryModels`' rules applied to rows held in memory (a few hundred: a comparator sort is enough). */
export function queryRows<R extends FilterableRow>(rows: readonly R[], q: RowQuery<R>): { total: number; rows: R[] } {
  const passes = filterTest(q.filter ?? {});
  const kept = passes
    ? rows.filter((r) => passes(r.name.toLowerCase(), r.rounds, r.maxDrawdownPct ?? NaN, r.feeBps ?? NaN, r.tournament))
    : [...rows];
  const sign = q.sortDir === 'asc' ? 1 : -1;
  const { sortBy } = q;
  if (sortBy === 'name') kept.sort((a, b) => sign * compareNames(a.name, b.name));
  else {
    const keyed = kept.map((row) => ({ row, v: figure(sortBy(row)) }));
    keyed.sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? compareNames(a.row.name, b.row.name) : a.v === null ? 1 : -1;
      return sign * ((a.v < b.v ? -1 : a.v > b.v ? 1 : 0) || compareNames(a.row.name, b.row.name));
    });
    kept.splice(0, kept.length, ...keyed.map((k) => k.row));
  }
  const offset = q.offset ?? 0;
  return { total: kept.length, rows: kept.slice(offset, offset + (q.limit ?? 100)) };
}

/** NaN is "no figure", as in the metrics columns. */
const figure = (v: SortValue): number | bigint | null => (typeof v === 'number' && Number.isNaN(v) ? null : v);

// ---------------------------------------------------------------------------------------------

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * Indices of the points Largest-Triangle-Three-Buckets keeps (Steinarsson 2013): the first and
 * last point always; the points between are cut into maxPoints − 2 equal buckets and from each
 * bucket the point forming the largest triangle with the previously kept point and the average of
 * the next bucket is kept. It keeps a line's visual shape, including isolated spikes (a −5 % round
 * makes a large triangle), with no new points invented. Non-finite y values are never chosen unless
 * a bucket has nothing else. Returns every index when the series is short enough.
 */
export function downsampleIndices(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): Uint32Array {
  const n = Math.min(x.length, y.length);
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError('maxPoints must be an integer ≥ 2');
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  const out = new Uint32Array(maxPoints);
  const every = (n - 2) / (maxPoints - 2);
  let a = 0;
  out[0] = 0;
  for (let b = 0; b < maxPoints - 2; b++) {
    // Average of the next bucket (the last point for the final bucket).
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let cnt = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      const yj = y[j]!;
      if (!Number.isFinite(yj)) continue;
      avgX += x[j]!;
      avgY += yj;
      cnt++;
    }
    if (cnt === 0) {
      avgX = x[n - 1]!;
      avgY = y[n - 1]!;
    } else {
      avgX /= cnt;
      avgY /= cnt;
    }
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const ax = x[a]!;
    const ay = y[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const yj = y[j]!;
      const area = Number.isFinite(yj) ? Math.abs((ax - avgX) * (yj - ay) - (ax - x[j]!) * (avgY - ay)) : -0.5;
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[b + 1] = best;
    a = best;
  }
  out[maxPoints - 1] = n - 1;
  return out;
}

/** `downsampleIndices` applied: plain arrays, ready for JSON/recharts. */
export function downsample(series: Series, maxPoints: number): { x: number[]; y: number[] } {
  const idx = downsampleIndices(series.x, series.y, maxPoints);
  return { x: Array.from(idx, (i) => series.x[i]!), y: Array.from(idx, (i) => series.y[i]!) };
}

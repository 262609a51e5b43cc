/**
 * Track records: the public surface of main/records.
 *
 *   const set = createDemoRecords({ seed, models });        // or buildTrackRecordSet(...) from a real source
 *   const table = computeMetrics(set);                       // all metrics, all models, columnar
 *   queryModels(table, { sortBy: 'return1yPct', sortDir: 'desc', filter, offset, limit });
 *   modelDetail(table, name, { maxPoints: 400 });            // metrics + downsampled chart series
 *   correlation(set, names);                                  // Pearson matrix over overlapping rounds
 *   backtest(set, { fromRound, allocations });               // "what if", in wei, under the pool's rules
 *
 * Or `createRecordsService({ set })`, which holds the set and its metrics table and answers the same
 * questions by model name (what the IPC handlers call).
 *
 * Where a set comes from (README.md): a `TrackRecordSource` — `createDemoSource()` or
 * `createNumeraiSource({ url })` — driven by `refreshTrackRecords({ source, cachePath })`, which
 * reads the disk cache (`readTrackRecordCache`, near disk speed), fetches only what is new, and
 * writes the cache back; `fetchedAtMs` and `stale.message` say how old the data is. Everything returned by the `…Json`/service
 * functions is JSON-safe: ratios as numbers or null, money as decimal strings.
 */
import type { DetailPoint } from '../../shared/api/models';
import { formatNmr } from '../../shared/money';
import { backtest, type BacktestInput, type BacktestResult } from './backtest';
import { generateDemoRecords, type DemoWorldOptions } from './demo-source';
import { computeMetrics, correlationMatrix, modelMetrics, type MetricsTable } from './metrics';
import {
  downsampleIndices,
  prepareQueries,
  prepareListSortsLater,
  queryModels,
  rowFromValues,
  listRow,
  type ModelListRow,
  type ModelPage,
  type ModelQuery,
} from './query';
import { findModel, getModelRecord, type TrackRecordSet } from './types';
import { applyListing, type ListingInput } from './listing';

export * from './types';
export { METRIC_KEYS, computeMetrics, correlationMatrix, modelMetrics, ROUNDS_PER_YEAR, WINDOW_1Y_MS, WINDOW_3M_MS } from './metrics';
export type { CorrelationMatrix, MetricKey, MetricValues, MetricsTable, MetricsOptions } from './metrics';
export {
  queryModels,
  queryRows,
  compareNames,
  prepareQueries,
  downsample,
  downsampleIndices,
  SORT_KEYS,
  QueryError,
  MAX_PAGE,
} from './query';
export type { FilterableRow, ModelFilter, ModelListRow, ModelPage, ModelQuery, RowQuery, Series, SortKey, SortValue } from './query';
export { backtest, applyRound, postedBps } from './backtest';
export type { BacktestAllocation, BacktestInput, BacktestModelResult, BacktestResult } from './backtest';
export {
  DEFAULT_DEMO_MODELS,
  DEFAULT_DEMO_SEED,
  DEMO_AS_OF_MS,
  DEMO_LATEST_ROUND,
  demoChainModels,
  demoModelReturnAt,
  demoModelRoundResult,
  demoModels,
  demoRoundResolveTimeMs,
} from './demo-source';
export type { DemoModelSpec, DemoRoundResult, DemoWorldOptions } from './demo-source';

// Sources (demo, Numerai's GraphQL API), the disk cache, and the refresh that ties them together.
export { createDemoSource } from './source';
export type {
  DemoSource,
  EntryIssue,
  HistoryQuery,
  LeaderboardEntry,
  LeaderboardPage,
  LeaderboardQuery,
  ModelHistory,
  SourceKind,
  TrackRecordSource,
} from './source';
export { createNumeraiSource, mapRoundPerformances, roundPayoutWei, SCORE_NAMES } from './numerai-source';
export type { MappedRounds, NumeraiSource, NumeraiSourceOptions } from './numerai-source';
export { NUMERAI_API_URL, NumeraiApiError, createNumeraiClient, parseRetryAfter } from './numerai-client';
export type { ClientStats, GraphqlRequest, NumeraiClient, NumeraiClientOptions, NumeraiErrorCode } from './numerai-client';
export { TOURNAMENT_IDS } from './numerai-queries';
export { DecimalError, parseNmrWei } from './nmr-decimal';
export { TokenBucket } from './rate-limit';
export { CACHE_VERSION, CacheFormatError, encodeTrackRecords, readTrackRecordCache, writeTrackRecordCache } from './cache';
export type { CacheReadResult, CachedTrackRecords, LeaderboardColumns, PartialLoad } from './cache';
export { checkHistory, describeAge, formatUtc, harmonizeResolveTimes, refreshTrackRecords, sourceProblem, staleMessage } from './sync';
export { leaderboardColumns, listingFromColumns } from './listing';
export type { ListedColumns, ListingInput } from './listing';
export type { Listing, ModelLoadError, RefreshOptions, RefreshProgress, RefreshResult } from './sync';

// The app's demo records: the same world's figures without its rows in memory (demo-records.ts).
export { createDemoRecordsService } from './demo-records';

/** The embedded demo world (default 15,000 models, seed DEFAULT_DEMO_SEED). Deterministic. */
export function createDemoRecords(opts: DemoWorldOptions = {}): TrackRecordSet {
  return generateDemoRecords(opts);
}

export interface ModelDetail {
  model: ModelListRow;
  /** Downsampled (LTTB on the cumulative return) to at most maxPoints, first and last kept. */
  series: DetailPoint[];
  /** Rounds in the full record (the series may hold fewer points). */
  totalPoints: number;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Cumulative return path in percent, one value per row. */
function cumulativePct(ret: Float32Array): Float64Array {
  const out = new Float64Array(ret.length);
  let v = 1;
  for (let k = 0; k < ret.length; k++) {
    v *= 1 + ret[k]! * 1e-4;
    out[k] = (v - 1) * 100;
  }
  return out;
}

/** Metrics row plus chart series of one model. Throws TrackRecordError for an unknown name. */
export function modelDetail(source: MetricsTable | TrackRecordSet, name: string, opts: { maxPoints?: number } = {}): ModelDetail {
  const isTable = 'columns' in source;
  const set = isTable ? source.set : source;
  const i = findModel(set, name);
  const model = isTable ? listRow(source, i) : rowFromValues(set, i, modelMetrics(set, i));
  const r = getModelRecord(set, i);
  const cum = cumulativePct(r.returnBps);
  const idx = downsampleIndices(r.rounds, cum, Math.max(2, opts.maxPoints ?? 400));
  const series = Array.from(idx, (k) => ({
    round: r.rounds[k]!,
    timeMs: finiteOrNull(r.resolveTimeMs[k]!),
    returnPct: r.returnBps[k]! / 100,
    cumulativePct: cum[k]!,
    corr20: finiteOrNull(r.corr20[k]!),
    mmc: finiteOrNull(r.mmc[k]!),
    tc: finiteOrNull(r.tc[k]!),
    stakeNmr: r.stakeNmr[k]!,
  }));
  return { model, series, totalPoints: r.rounds.length };
}

/** Cumulative return in percent, downsampled to `points`, for a list row's sparkline. */
export function sparkline(set: TrackRecordSet, name: string, points = 60): number[] {
  // Straight from the columns: a whole ModelRecord also works out every round's date, which a
  // sparkline does not draw (a sort of 20,000 models builds 100 of these).
  const i = findModel(set, name);
  const a = set.offsets[i]!;
  const b = set.offsets[i + 1]!;
  const cum = cumulativePct(set.returnBps.subarray(a, b));
  return Array.from(downsampleIndices(set.rounds.subarray(a, b), cum, Math.max(2, points)), (k) => cum[k]!);
}

export interface CorrelationResult {
  names: string[];
  /** matrix[p][q]: Pearson correlation of round returns; null when too few rounds overlap. */
  matrix: (number | null)[][];
  overlap: number[][];
}

export function correlation(set: TrackRecordSet, names: readonly string[], opts: { minOverlap?: number } = {}): CorrelationResult {
  const c = correlationMatrix(
    set,
    names.map((n) => findModel(set, n)),
    opts,
  );
  const k = names.length;
  const rows = <T>(f: (p: number, q: number) => T): T[][] =>
    Array.from({ length: k }, (_, p) => Array.from({ length: k }, (_, q) => f(p, q)));
  return {
    names: [...names],
    matrix: rows((p, q) => finiteOrNull(c.matrix[p * k + q]!)),
    overlap: rows((p, q) => c.overlap[p * k + q]!),
  };
}

/** `BacktestResult` with every amount as a decimal string of wei and in NMR. */
export interface BacktestJson {
  fromRound: number;
  atRiskFromRound: number;
  toRound: number;
  rounds: number[];
  totalValueWei: string[];
  totalPrincipalWei: string;
  totalFinalWei: string;
  totalFinalNmr: string;
  models: {
    name: string;
    feeBps: number;
    principalWei: string;
    valueWei: string[];
    appliedBps: (number | null)[];
    rewardWei: string;
    feeWei: string;
    burnedWei: string;
    finalWei: string;
  }[];
}

export function backtestJson(r: BacktestResult): BacktestJson {
  const s = (v: bigint) => v.toString(10);
  return {
    fromRound: r.fromRound,
    atRiskFromRound: r.atRiskFromRound,
    toRound: r.toRound,
    rounds: r.rounds,
    totalValueWei: r.totalValueWei.map(s),
    totalPrincipalWei: s(r.totalPrincipalWei),
    totalFinalWei: s(r.totalFinalWei),
    totalFinalNmr: formatNmr(r.totalFinalWei),
    models: r.models.map((m) => ({
      name: m.name,
      feeBps: m.feeBps,
      principalWei: s(m.principalWei),
      valueWei: m.valueWei.map(s),
      appliedBps: m.appliedBps,
      rewardWei: s(m.rewardWei),
      feeWei: s(m.feeWei),
      burnedWei: s(m.burnedWei),
      finalWei: s(m.finalWei),
    })),
  };
}

/** What the app's list rows need from a record (matches main/app/track-records.ts). */
export interface RecordSummary {
  rounds: number;
  return20Pct: number | null;
  return1yPct: number | null;
  sharpe: number | null;
  maxDrawdownPct: number | null;
  spark: number[];
}

/** A list row's summary; `spark` is asked for only when the model has rows. */
export function recordSummary(row: ModelListRow, spark: () => number[]): RecordSummary {
  return {
    rounds: row.rounds,
    return20Pct: row.return20Pct,
    return1yPct: row.return1yPct,
    sharpe: row.sharpe,
    maxDrawdownPct: row.maxDrawdownPct,
    spark: row.rounds > 0 ? spark() : [],
  };
}

/** Points of a list row's sparkline (the model list asks for this many; the demo records keep them ready). */
export const LIST_SPARK_POINTS = 40;

export interface RecordsService {
  readonly set: TrackRecordSet;
  readonly table: MetricsTable;
  has(name: string): boolean;
  list(query: ModelQuery): ModelPage;
  /** One model's list row (its figures), or null for an unknown name. */
  row(name: string): ModelListRow | null;
  summary(name: string, sparkPoints?: number): RecordSummary | null;
  /** Chart series in the shape of the shared API's SeriesPoint. */
  series(name: string, maxPoints: number): { round: number; returnPct: number; cumulativePct: number }[];
  detail(name: string, opts?: { maxPoints?: number }): ModelDetail;
  correlation(names: readonly string[], opts?: { minOverlap?: number }): CorrelationResult;
  backtest(input: BacktestInput): BacktestJson;
}

/**
 * Holds one set and its metrics (computed once, with the list's name order: ~0.2 s for the demo
 * world) and answers by name.
 * Dependencies come in as arguments: pass a demo set, or one built from the Numerai API cache.
 */
export function createRecordsService(deps: { set: TrackRecordSet; asOfMs?: number; listing?: ListingInput }): RecordsService {
  const { set } = deps;
  const computed = deps.asOfMs === undefined ? computeMetrics(set) : computeMetrics(set, { asOfMs: deps.asOfMs });
  const table: MetricsTable = deps.listing ? { ...computed, listed: applyListing(computed, deps.listing) } : computed;
  prepareQueries(table);
  prepareListSortsLater(table);
  return recordsServiceOver(table, { detail: () => table, rows: () => set, many: () => set });
}

/** Where a records service finds rows: the whole set, or (demo-records.ts) sets generated for the models asked about. */
export interface RowsFor {
  /** A model's sparkline of `points` points when it is kept ready (no rows to read), else undefined. */
  spark?(i: number, points: number): number[] | undefined;
  /** What a model page reads: the table (its rows are in the table's set), or a set holding the model. */
  detail(name: string): MetricsTable | TrackRecordSet;
  /** A set holding the model's rows, read at once and not kept. */
  rows(name: string): TrackRecordSet;
  /** A set holding these models' rows (a comparison, a "what if"). */
  many(names: readonly string[]): TrackRecordSet;
}

/** The service's answers over a prepared table (its `set` lists every model) and where its rows are. */
export function recordsServiceOver(table: MetricsTable, rowsFor: RowsFor): RecordsService {
  const { set } = table;
  return {
    set,
    table,
    has: (name) => set.index.has(name),
    list: (query) => queryModels(table, query),
    row(name) {
      const i = set.index.get(name);
      return i === undefined ? null : listRow(table, i);
    },
    summary(name, sparkPoints = 60) {
      const i = set.index.get(name);
      if (i === undefined) return null;
      return recordSummary(listRow(table, i), () => rowsFor.spark?.(i, sparkPoints) ?? sparkline(rowsFor.rows(name), name, sparkPoints));
    },
    series(name, maxPoints) {
      if (!set.index.has(name)) return [];
      return modelDetail(rowsFor.detail(name), name, { maxPoints }).series.map((p) => ({
        round: p.round,
        returnPct: p.returnPct,
        cumulativePct: p.cumulativePct,
      }));
    },
    detail: (name, opts) => modelDetail(rowsFor.detail(name), name, opts),
    correlation: (names, opts) => correlation(rowsFor.many(names), names, opts),
    backtest: (input) => backtestJson(backtest(rowsFor.many(input.allocations.map((a) => a.name)), input)),
  };
}

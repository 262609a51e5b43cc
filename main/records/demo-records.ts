/**
 * The app's demo track records without their rows in memory. The 15,000-model demo world is 8.8 M
 * rows, 200 MB of columns — most of main's memory — yet the list needs only each model's figures,
 * and only a model page, a comparison or a "what if" needs rows, of a few models. The world is
 * deterministic, so this service generates it once, a model at a time, keeping the metrics (the
 * same numbers computeMetrics gives on the whole set) and dropping the rows; a question about a
 * model generates its rows again (≈0.1 ms for one model), the same bits as generateDemoRecords.
 *
 * `set` is the world's models without rows (names, tournaments, stakes, calendar): there is nothing
 * to read rows from in it; everything else answers exactly as createRecordsService on the whole set.
 */
import { demoWorld, type DemoWorldOptions } from './demo-source';
import { METRIC_KEYS, computeMetrics, type MetricKey, type MetricsTable } from './metrics';
import { prepareListSortsLater, prepareQueries } from './query';
import { runToEnd } from '../async/slices';
import { findModel, type RoundColumns, type TrackRecordSet } from './types';
import { LIST_SPARK_POINTS, recordsServiceOver, sparkline, type RecordsService } from './index';

export function createDemoRecordsService(opts: DemoWorldOptions = {}): RecordsService {
  return runToEnd(demoRecordsServiceSteps(opts));
}

/** Models between two steps of `demoRecordsServiceSteps` (a few ms of work). */
const MODELS_PER_STEP = 100;

/** `createDemoRecordsService` as steps, for main to build in slices while it starts (the same service). */
export function* demoRecordsServiceSteps(opts: DemoWorldOptions = {}): Generator<undefined, RecordsService> {
  const world = demoWorld(opts);
  const n = world.size;
  let widest = 0;
  for (let i = 0; i < n; i++) widest = Math.max(widest, world.maxRows(i));
  const scratch = ownColumns(widest);
  const stakes: bigint[] = new Array<bigint>(n);
  // The stakes are known only once each model is generated: the skeleton takes the array, filled below.
  const skeleton = world.skeleton(stakes);
  const set: TrackRecordSet = { ...skeleton, offsets: new Uint32Array(n + 1), ...ownColumns(0) };
  const columns = {} as Record<MetricKey, Float64Array>;
  for (const k of METRIC_KEYS) columns[k] = new Float64Array(n);

  /** Model `i` alone as a set, its rows in `cols` (the scratch columns, or its own when kept). */
  const alone = (i: number, cols: RoundColumns): TrackRecordSet => {
    const { end, stakeWei } = world.fill(i, cols, 0);
    stakes[i] = stakeWei;
    return {
      ...skeleton,
      models: [skeleton.models[i]!],
      index: new Map([[skeleton.models[i]!.name, 0]]),
      currentStakeWei: [stakeWei],
      offsets: Uint32Array.of(0, end),
      rounds: cols.rounds.subarray(0, end),
      returnBps: cols.returnBps.subarray(0, end),
      corr20: cols.corr20.subarray(0, end),
      mmc: cols.mmc.subarray(0, end),
      tc: cols.tc.subarray(0, end),
      stakeNmr: cols.stakeNmr.subarray(0, end),
    };
  };
  // Each list row's sparkline is kept ready too (40 numbers a model): a page of the list then reads
  // no rows at all, so a new sort costs what it costs on the whole set.
  const sparks: Float64Array[] = new Array<Float64Array>(n);
  for (let i = 0; i < n; i++) {
    const one = alone(i, scratch);
    const m = computeMetrics(one);
    for (const k of METRIC_KEYS) columns[k][i] = m.columns[k][0]!;
    sparks[i] = m.columns.rounds[0]! > 0 ? Float64Array.from(sparkline(one, one.models[0]!.name, LIST_SPARK_POINTS)) : new Float64Array(0);
    if (i % MODELS_PER_STEP === MODELS_PER_STEP - 1) yield;
  }
  const table: MetricsTable = { set, asOfMs: set.asOfMs, size: n, columns };
  yield;
  prepareQueries(table);
  prepareListSortsLater(table);

  /**
   * One model with its rows, in the scratch columns: only for an answer computed and copied out at
   * once (a summary, a series, a model page), never kept — the next call writes over them.
   */
  const oneWithRows = (name: string): TrackRecordSet => alone(findModel(set, name), scratch);
  /** The named models with their rows, each in its own columns, as one set (a comparison, a "what if"). */
  const withRows = (names: readonly string[]): TrackRecordSet =>
    merge(names.map((name) => findModel(set, name)).map((i) => alone(i, ownColumns(world.maxRows(i)))));

  return recordsServiceOver(table, {
    spark: (i, points) => (points === LIST_SPARK_POINTS ? Array.from(sparks[i]!) : undefined),
    detail: oneWithRows,
    rows: oneWithRows,
    many: withRows,
  });
}

function ownColumns(rows: number): RoundColumns {
  return {
    rounds: new Int32Array(rows),
    returnBps: new Float32Array(rows),
    corr20: new Float32Array(rows),
    mmc: new Float32Array(rows),
    tc: new Float32Array(rows),
    stakeNmr: new Float32Array(rows),
  };
}

/** One set of several one-model sets (distinct models of one world: same calendars). */
function merge(sets: TrackRecordSet[]): TrackRecordSet {
  if (sets.length === 1) return sets[0]!;
  const total = sets.reduce((a, s) => a + s.rounds.length, 0);
  const out = { ...ownColumns(total) };
  const offsets = new Uint32Array(sets.length + 1);
  let row = 0;
  sets.forEach((s, k) => {
    offsets[k] = row;
    for (const c of ['rounds', 'returnBps', 'corr20', 'mmc', 'tc', 'stakeNmr'] as const) out[c].set(s[c], row);
    row += s.rounds.length;
  });
  offsets[sets.length] = row;
  return {
    ...sets[0]!,
    ...out,
    offsets,
    models: sets.map((s) => s.models[0]!),
    index: new Map(sets.map((s, k) => [s.models[0]!.name, k])),
    currentStakeWei: sets.map((s) => s.currentStakeWei[0]!),
  };
}

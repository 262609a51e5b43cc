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
import { demoWorld, type DemoWorld, type DemoWorldOptions } from './demo-source';
import { METRIC_KEYS, computeMetrics, type MetricKey, type MetricsTable } from './metrics';
import { prepareListSortsLater } from './query';
import { runToEnd } from '../async/slices';
import type { CachedTrackRecords, ListFigures } from './cache';
import { findModel, type RoundColumns, type TrackRecordSet } from './types';
import { LIST_SPARK_POINTS, recordsServiceOver, sparkline, type RecordsService } from './index';

/** What the list needs of the demo world: its models without rows, and each one's figures and sparkline. */
export interface DemoFigures extends ListFigures {
  /** The world's models, stakes and calendar; no rows. */
  set: TrackRecordSet;
}

export function createDemoRecordsService(opts: DemoWorldOptions = {}): RecordsService {
  const world = demoWorld(opts);
  return demoServiceOver(runToEnd(demoFiguresSteps(world)), () => world);
}

/** Models between two steps of `demoFiguresSteps` (a few ms of work). */
const MODELS_PER_STEP = 100;

/** The world's figures, a model at a time, as steps (main builds them in slices while it starts). */
export function* demoFiguresSteps(world: DemoWorld): Generator<undefined, DemoFigures> {
  const n = world.size;
  const scratch = ownColumns(widestTrack(world));
  const stakes: bigint[] = new Array<bigint>(n);
  // The stakes are known only once each model is generated: the skeleton takes the array, filled below.
  const skeleton = world.skeleton(stakes);
  const set: TrackRecordSet = { ...skeleton, offsets: new Uint32Array(n + 1), ...ownColumns(0) };
  const columns = {} as Record<MetricKey, Float64Array>;
  for (const k of METRIC_KEYS) columns[k] = new Float64Array(n);
  // Each list row's sparkline is kept ready too (40 numbers a model): a page of the list then reads
  // no rows at all, so a new sort costs what it costs on the whole set.
  const sparks: Float64Array[] = new Array<Float64Array>(n);
  for (let i = 0; i < n; i++) {
    const one = modelAlone(world, set, i, scratch);
    stakes[i] = one.currentStakeWei[0]!;
    const m = computeMetrics(one);
    for (const k of METRIC_KEYS) columns[k][i] = m.columns[k][0]!;
    sparks[i] = m.columns.rounds[0]! > 0 ? Float64Array.from(sparkline(one, one.models[0]!.name, LIST_SPARK_POINTS)) : new Float64Array(0);
    if (i % MODELS_PER_STEP === MODELS_PER_STEP - 1) yield;
  }
  return { set, columns, sparks };
}

/**
 * The records service over the figures; rows are generated when asked for, by the world `world()`
 * gives (made on first use: figures read from a file need no world until a model page opens).
 */
export function demoServiceOver(figures: DemoFigures, world: () => DemoWorld): RecordsService {
  const { set } = figures;
  const table: MetricsTable = { set, asOfMs: set.asOfMs, size: set.models.length, columns: figures.columns };
  // The list's orders of all models come after the first screen (the pool's models, sorted on their own).
  prepareListSortsLater(table);
  let rowsOf: { world: DemoWorld; scratch: RoundColumns } | null = null;
  const rowsWorld = () => {
    if (!rowsOf) {
      const w = world();
      rowsOf = { world: w, scratch: ownColumns(widestTrack(w)) };
    }
    return rowsOf;
  };
  /**
   * One model with its rows, in the scratch columns: only for an answer computed and copied out at
   * once (a summary, a series, a model page), never kept — the next call writes over them.
   */
  const oneWithRows = (name: string): TrackRecordSet => {
    const { world: w, scratch } = rowsWorld();
    return modelAlone(w, set, findModel(set, name), scratch);
  };
  /** The named models with their rows, each in its own columns, as one set (a comparison, a "what if"). */
  const withRows = (names: readonly string[]): TrackRecordSet => {
    const { world: w } = rowsWorld();
    return merge(names.map((name) => findModel(set, name)).map((i) => modelAlone(w, set, i, ownColumns(w.maxRows(i)))));
  };
  return recordsServiceOver(table, {
    spark: (i, points) => (points === LIST_SPARK_POINTS ? Array.from(figures.sparks[i]!) : undefined),
    detail: oneWithRows,
    rows: oneWithRows,
    many: withRows,
  });
}

/** What the demo world's figures are saved as (cache.ts's format: a set without rows, with its figures). */
export function demoFiguresToCache(f: DemoFigures, key: string): CachedTrackRecords {
  return {
    set: f.set,
    fetchedAtMs: f.set.asOfMs,
    sourceIds: f.set.models.map(() => undefined),
    figures: { columns: f.columns, sparks: f.sparks },
    key,
  };
}

/** The figures a file holds, if it was saved for `key` with figures and no rows. */
export function demoFiguresFromCache(c: CachedTrackRecords, key: string): DemoFigures | null {
  if (c.key !== key || !c.figures || c.set.source !== 'demo' || c.set.rounds.length !== 0) return null;
  return { set: c.set, ...c.figures };
}

/**
 * Models whose figures, generated again by `world`, differ from `f`'s (bit for bit: names, stakes,
 * every figure, the sparkline). A file saved by another version of the generator differs on
 * nearly every model, so a few spread over the world tell.
 */
export function demoFiguresDiffer(f: DemoFigures, world: DemoWorld, sample: readonly number[]): number[] {
  const scratch = ownColumns(widestTrack(world));
  const skeleton = world.skeleton([]);
  return sample.filter((i) => {
    if (i >= world.size || skeleton.models[i]?.name !== f.set.models[i]?.name) return true;
    const one = modelAlone(world, f.set, i, scratch);
    if (one.currentStakeWei[0] !== f.set.currentStakeWei[i]) return true;
    const m = computeMetrics(one);
    if (METRIC_KEYS.some((k) => !Object.is(m.columns[k][0], f.columns[k][i]))) return true;
    const spark = m.columns.rounds[0]! > 0 ? sparkline(one, one.models[0]!.name, LIST_SPARK_POINTS) : [];
    const kept = f.sparks[i]!;
    return spark.length !== kept.length || spark.some((v, j) => !Object.is(v, kept[j]));
  });
}

function widestTrack(world: DemoWorld): number {
  let widest = 0;
  for (let i = 0; i < world.size; i++) widest = Math.max(widest, world.maxRows(i));
  return widest;
}

/** Model `i` alone as a set, its rows generated into `cols` (the scratch columns, or its own when kept). */
function modelAlone(world: DemoWorld, set: TrackRecordSet, i: number, cols: RoundColumns): TrackRecordSet {
  const { end, stakeWei } = world.fill(i, cols, 0);
  return {
    ...set,
    models: [set.models[i]!],
    index: new Map([[set.models[i]!.name, 0]]),
    currentStakeWei: [stakeWei],
    offsets: Uint32Array.of(0, end),
    rounds: cols.rounds.subarray(0, end),
    returnBps: cols.returnBps.subarray(0, end),
    corr20: cols.corr20.subarray(0, end),
    mmc: cols.mmc.subarray(0, end),
    tc: cols.tc.subarray(0, end),
    stakeNmr: cols.stakeNmr.subarray(0, end),
  };
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

/**
 * Benchmarks of main/records, timed on the real functions. Import it from a script run by tsx
 * (`npm run bench` runs `tsx bench/run.ts`; tsx compiles the TypeScript on the fly, no bundle
 * needed):
 *
 *   import { benchRecords } from './records';
 *   for (const f of await benchRecords({ log: console.log })) console.log(f.name, f.value, f.unit, f.note);
 *
 * Needs ~2.3 GB of memory (peak RSS; the 20,000 × 1,500 set alone is 720 MB of typed arrays).
 * Takes ~25 s here, ~8 s of which are the cache figures (`cache: false` leaves them out).
 *
 * Figures:
 *   records.demo_generate_15k_s       the app's demo world (15,000 models, realistic track lengths)
 *   records.metrics_20k_x_1500_s      computeMetrics over 20,000 models × 1,500 rounds (median of 3)
 *   records.metrics_baseline_s        the naive object/map-reduce version of the same maths, for the
 *                                     same 20,000 × 1,500 — measured on a slice and scaled linearly
 *                                     (30 M row objects do not fit a default Node heap)
 *   records.list_query_20k_ms         one list query (sort + filter + page) on the 20,000-model
 *                                     table, sorting by a column never sorted before: the worst of
 *                                     5 columns (the one-time name-order preparation the service
 *                                     does at start is timed apart, in the note)
 *   records.cache_cold_load_s         first start with the disk cache: 15,000 demo models through the
 *                                     source interface into a set, written to the cache (bench/records-cache.ts)
 *   records.cache_warm_load_s         later starts: the cache read back and validated into a set
 * Code is warmed up (JIT) on a small set first, as it is in a running app.
 */
import { benchRecordsCache } from './records-cache';
import { generateDemoRecords } from '../main/records/demo-source';
import { computeMetrics, type MetricsTable } from '../main/records/metrics';
import { baselineMetrics, toBaselineModels } from '../main/records/metrics-baseline';
import { prepareQueries, queryModels, type SortKey } from '../main/records/query';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note: string;
}

export interface BenchOptions {
  models?: number;
  rounds?: number;
  /** Models in the slice the baseline is timed on (default 1,000). */
  baselineModels?: number;
  /** Also measure the disk cache (default true; see records-cache.ts). */
  cache?: boolean;
  log?: (line: string) => void;
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export async function benchRecords(opts: BenchOptions = {}): Promise<BenchFigure[]> {
  const models = opts.models ?? 20_000;
  const rounds = opts.rounds ?? 1_500;
  const sliceModels = Math.min(opts.baselineModels ?? 1_000, models);
  const log = opts.log ?? (() => {});
  const figures: BenchFigure[] = [];
  const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

  // Warm-up on a small world: every code path below gets optimised before it is timed.
  const small = generateDemoRecords({ models: 300, maxRounds: rounds, fullTracks: true });
  for (let i = 0; i < 3; i++) {
    const t = computeMetrics(small);
    prepareQueries(t);
    for (const key of ['return1yPct', 'sharpe', 'name'] as const) queryModels({ ...t }, { sortBy: key, filter: { nameContains: 'a' } });
    baselineMetrics(toBaselineModels(small, [0, 1, 2, 3, 4, 5, 6, 7]), small.asOfMs);
  }
  await Promise.resolve();

  // 1. The app's demo world.
  {
    const g = time(() => generateDemoRecords());
    const rows = g.value.rounds.length;
    // How much of that is the OS handing out fresh memory: first write to as many fresh bytes.
    const touch = time(() => {
      const b = new Float64Array((rows * 24) / 8);
      for (let i = 0; i < b.length; i += 512) b[i] = 1; // one write per 4 KiB page
      return b.length;
    });
    figures.push({
      name: 'records.demo_generate_15k_s',
      value: round(g.ms / 1000, 3),
      unit: 's',
      note: `15,000 demo models, ${(rows / 1e6).toFixed(1)} M rows (${((rows * 24) / 1e6).toFixed(0)} MB of columns), deterministic; first-touching that much fresh memory alone takes ${touch.ms.toFixed(0)} ms on this machine`,
    });
    log(`generate 15k: ${g.ms.toFixed(0)} ms`);
  }

  // 2. Metrics over models × rounds.
  const g = time(() => generateDemoRecords({ models, maxRounds: rounds, fullTracks: true }));
  const set = g.value;
  log(`generate ${k(models)}×${rounds}: ${g.ms.toFixed(0)} ms`);
  const runs: number[] = [];
  let table: MetricsTable | undefined;
  for (let i = 0; i < 3; i++) {
    const m = time(() => computeMetrics(set));
    runs.push(m.ms);
    table = m.value;
  }
  const fastMs = median(runs);
  figures.push({
    name: `records.metrics_${k(models)}_x_${rounds}_s`,
    value: round(fastMs / 1000, 3),
    unit: 's',
    note: `computeMetrics, ${models} models × ${rounds} rounds (${((models * rounds) / 1e6).toFixed(0)} M rows), 20 metrics each, one thread; median of ${runs.map((x) => x.toFixed(0)).join('/')} ms. Generating that set took ${(g.ms / 1000).toFixed(2)} s`,
  });
  log(`metrics: ${runs.map((x) => x.toFixed(0)).join(', ')} ms`);

  // 3. List query. The service prepares a table once (name order, lower-case names); after that,
  // the worst case is a column never sorted before: a fresh table identity per column measures it.
  {
    const t = table!;
    const prep = time(() => prepareQueries(t)).ms;
    const keys: SortKey[] = ['return1yPct', 'sharpe', 'maxDrawdownPct', 'return3mPct', 'currentStakeNmr'];
    const cold = keys.map(
      (key) =>
        time(() =>
          queryModels({ ...t }, { sortBy: key, sortDir: 'desc', filter: { nameContains: 'a', maxFeeBps: 1000 }, offset: 100, limit: 100 }),
        ).ms,
    );
    for (const key of keys) queryModels(t, { sortBy: key });
    const warm = keys.map(
      (key) => time(() => queryModels(t, { sortBy: key, sortDir: 'asc', filter: { minRounds: 100 }, offset: 5000, limit: 100 })).ms,
    );
    figures.push({
      name: `records.list_query_${k(models)}_ms`,
      value: round(Math.max(...cold), 2),
      unit: 'ms',
      note: `sort ${models} models by a column never sorted before + name filter + fee filter + page of 100: worst of ${cold.map((x) => x.toFixed(1)).join('/')} ms; with the column's order and the filter's kept models cached (the same filter, each column): median ${median(warm).toFixed(2)} ms; one-time preparation when the service builds the table (name order, default column): ${prep.toFixed(0)} ms`,
    });
    log(
      `query prepare ${prep.toFixed(0)} ms; cold: ${cold.map((x) => x.toFixed(1)).join(', ')} ms; warm ${warm.map((x) => x.toFixed(2)).join(', ')} ms`,
    );
  }

  // 4. Baseline on a slice, scaled.
  {
    const slice = toBaselineModels(
      set,
      Array.from({ length: sliceModels }, (_, i) => i),
    );
    const b1 = time(() => baselineMetrics(slice, set.asOfMs)).ms;
    const b2 = time(() => baselineMetrics(slice, set.asOfMs)).ms;
    const sliceMs = Math.min(b1, b2);
    const scaled = (sliceMs * models) / sliceModels;
    figures.push({
      name: 'records.metrics_baseline_s',
      value: round(scaled / 1000, 3),
      unit: 's',
      note: `naive objects + map/filter/reduce, same maths: ${sliceMs.toFixed(0)} ms for ${sliceModels} × ${rounds} (best of 2), scaled ×${models / sliceModels} to ${k(models)} × ${rounds}; ${(scaled / fastMs).toFixed(0)}× the columnar time`,
    });
    log(`baseline slice: ${b1.toFixed(0)}, ${b2.toFixed(0)} ms`);
  }

  if (opts.cache !== false) figures.push(...(await benchRecordsCache({ log })));

  return figures;
}

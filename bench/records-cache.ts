/**
 * Benchmarks of the track-record disk cache, timed on the real code paths (`tsx` runs this file's
 * import directly; `benchRecords` in bench.ts calls it too):
 *
 *   records.cache_cold_load_s   first start: the demo source generates its 15,000-model world,
 *                               `refreshTrackRecords` pulls every model through the source interface,
 *                               builds the TrackRecordSet and writes the cache file (fsync included)
 *   records.cache_warm_load_s   later starts: `readTrackRecordCache` reads the file back, checks it
 *                               (magic, lengths, CRC-32 of every byte, section bounds) and returns
 *                               the TrackRecordSet with its columns as views of the file's bytes;
 *                               median of 3
 *
 * The cache is written to a temporary folder that is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure } from './records';
import { readTrackRecordCache } from '../main/records/cache';
import { DEFAULT_DEMO_MODELS } from '../main/records/demo-source';
import { createDemoSource } from '../main/records/source';
import { refreshTrackRecords } from '../main/records/sync';

export interface CacheBenchOptions {
  /** Demo models (default 15,000, the app's demo world). */
  models?: number;
  /** Folder for the cache file (default a fresh temporary one, removed afterwards). */
  dir?: string;
  log?: (line: string) => void;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export async function benchRecordsCache(opts: CacheBenchOptions = {}): Promise<BenchFigure[]> {
  const models = opts.models ?? DEFAULT_DEMO_MODELS;
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'nmr-records-bench-'));
  const path = join(dir, 'track-records.bin');
  try {
    // Warm-up (JIT) on a small world, as in a running app.
    {
      const small = join(dir, 'warmup.bin');
      await refreshTrackRecords({ source: createDemoSource({ models: 200 }), cachePath: small });
      for (let i = 0; i < 2; i++) await readTrackRecordCache(small);
    }

    // Cold: nothing cached.
    const t0 = performance.now();
    const cold = await refreshTrackRecords({ source: createDemoSource({ models }), cachePath: path });
    const coldMs = performance.now() - t0;
    const rows = cold.set.rounds.length;
    const bytes = cold.cache.bytes;
    if (!cold.cache.written || cold.set.models.length !== models) throw new Error(`cold load did not complete: ${cold.cache.error ?? ''}`);
    log(`cold: ${coldMs.toFixed(0)} ms, ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB`);

    // Warm: read back. The cold set is dropped first so its memory can be reclaimed.
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = await readTrackRecordCache(path);
      warm.push(performance.now() - t);
      if (r.status !== 'ok' || r.records.set.rounds.length !== rows) throw new Error(`warm load failed: ${r.status}`);
    }
    log(`warm: ${warm.map((x) => x.toFixed(0)).join(', ')} ms`);

    // How much of that is the OS handing out fresh memory: first write to as many fresh bytes.
    const touchT0 = performance.now();
    const b = new Uint8Array(bytes);
    for (let i = 0; i < b.length; i += 4096) b[i] = 1;
    const touchMs = performance.now() - touchT0;

    return [
      {
        name: 'records.cache_cold_load_s',
        value: round(coldMs / 1000, 3),
        unit: 's',
        note: `${models.toLocaleString('en')} demo models (${(rows / 1e6).toFixed(1)} M rows) generated, pulled through the source interface, built into a TrackRecordSet and written to the cache (${(bytes / 1e6).toFixed(0)} MB, fsync'd); one run`,
      },
      {
        name: 'records.cache_warm_load_s',
        value: round(median(warm) / 1000, 3),
        unit: 's',
        note: `read + validate (CRC-32 of all ${(bytes / 1e6).toFixed(0)} MB, bounds) into a TrackRecordSet whose columns are views of the file bytes; median of ${warm.map((x) => x.toFixed(0)).join('/')} ms; first-touching that much fresh memory alone takes ${touchMs.toFixed(0)} ms on this machine; ${(coldMs / median(warm)).toFixed(0)}× faster than the cold load`,
      },
    ];
  } finally {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The demo world's list figures kept in the user-data folder between starts. Generating the
 * 15,000-model world's figures costs ~1 s of main's CPU, all of it while the page loads and the
 * chain starts; reading them back costs a few ms. The world is deterministic, so the file is only
 * ever a copy of what the generator gives: a file made by another version of the generator is
 * found out by making a few models again once the first screen is up, and then replaced.
 */
import { readTrackRecordCache, writeTrackRecordCache } from '../records/cache';
import { demoFiguresDiffer, demoFiguresFromCache, demoFiguresSteps, demoFiguresToCache, type DemoFigures } from '../records/demo-records';
import type { DemoWorld, DemoWorldOptions } from '../records/demo-source';
import { runInSlices } from '../async/slices';
import type { Logger } from '../log/logger';

/** Raised when the figures' meaning changes without the generator changing (the sample check covers the rest). */
const FIGURES_VERSION = 1;
/** After the first screen: the check makes the world (~0.1 s) and a few models. */
const CHECK_AFTER_MS = 4000;
/** Models made again to check a file: spread over the world, first and last included. */
const CHECK_SAMPLE = 16;
const SLICE_MS = 5;

function keyOf(options: DemoWorldOptions): string {
  return `demo world figures v${FIGURES_VERSION} ${JSON.stringify(options)}`;
}

/** The figures saved for these options, or null (no file, another world's, or a damaged one: then rebuilt). */
export async function loadDemoFigures(path: string, options: DemoWorldOptions, log?: Logger): Promise<DemoFigures | null> {
  try {
    const read = await readTrackRecordCache(path);
    if (read.status === 'ok') {
      const figures = demoFiguresFromCache(read.records, keyOf(options));
      if (!figures) log?.info('records.demo_figures_other_world', { path });
      return figures;
    }
    if (read.status === 'corrupt') log?.warn('records.demo_figures_corrupt', { path, reason: read.reason, movedTo: read.movedTo });
    if (read.status === 'outdated') log?.info('records.demo_figures_outdated', { path, reason: read.reason });
  } catch (e) {
    log?.warn('records.demo_figures_unreadable', { path, error: e instanceof Error ? e.message : String(e) });
  }
  return null;
}

/** Saves in the background; a failure costs only the next start's time, so it is logged, not raised. */
export function saveDemoFigures(path: string, options: DemoWorldOptions, figures: DemoFigures, log?: Logger): Promise<void> {
  return writeTrackRecordCache(path, demoFiguresToCache(figures, keyOf(options))).then(
    (bytes) => log?.info('records.demo_figures_saved', { path, bytes }),
    (e: unknown) => log?.warn('records.demo_figures_not_saved', { path, error: e instanceof Error ? e.message : String(e) }),
  );
}

/** The indices checked in a world of `n` models. */
export function checkSample(n: number): number[] {
  if (n === 0) return [];
  const k = Math.min(n, CHECK_SAMPLE);
  return [...new Set(Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / Math.max(1, k - 1))))];
}

/**
 * Makes a few models again after the first screen and compares them with the file's, bit for bit;
 * on any difference, builds the figures again in slices, hands them to `onRebuilt` and saves them.
 * Answers a function that cancels what has not started yet (the app is closing).
 */
export function checkDemoFiguresLater(
  saved: DemoFigures,
  world: () => DemoWorld,
  path: string,
  options: DemoWorldOptions,
  onRebuilt: (figures: DemoFigures) => void,
  log?: Logger,
  afterMs = CHECK_AFTER_MS,
): { cancel(): void; done: Promise<'same' | 'rebuilt' | 'cancelled'> } {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, afterMs);
    timer.unref();
  }).then(async (): Promise<'same' | 'rebuilt' | 'cancelled'> => {
    if (cancelled) return 'cancelled';
    const w = world();
    const differ = demoFiguresDiffer(saved, w, checkSample(saved.set.models.length));
    if (differ.length === 0) return 'same';
    log?.warn('records.demo_figures_stale', { path, models: differ.length });
    const figures = await runInSlices(demoFiguresSteps(w), SLICE_MS);
    if (cancelled) return 'cancelled';
    onRebuilt(figures);
    await saveDemoFigures(path, options, figures, log);
    return 'rebuilt';
  });
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      wake();
    },
    done,
  };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { performance } from 'node:perf_hooks';

const turn = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while the event loop is watched, and returns the largest delay seen, in ms: how long
 * the main process (IPC, timers, the UI's requests) would have been frozen at worst.
 *
 * Two probes, the larger wins: perf_hooks' monitorEventLoopDelay histogram, and a timestamped
 * interval timer. The histogram's first tick only sets its starting point, so it is primed with
 * one turn of the loop before the work starts — without that, work that blocks the loop from its
 * very first instant (like @noble/hashes' "async" scrypt, whose yields are only microtasks) is
 * not seen at all.
 */
export async function measureLoopLag<T>(work: () => Promise<T>, resolutionMs = 2): Promise<{ result: T; maxLagMs: number }> {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  h.enable();
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - resolutionMs);
    last = now;
  }, resolutionMs);
  try {
    await turn(resolutionMs * 3);
    h.reset();
    last = performance.now();
    maxGap = 0;
    const result = await work();
    // One more turn so a delay at the very end is recorded too.
    await turn(resolutionMs * 3);
    return { result, maxLagMs: Math.max(h.max / 1e6, maxGap, 0) };
  } finally {
    clearInterval(probe);
    h.disable();
  }
}

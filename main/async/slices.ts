/**
 * Long CPU work written once as a generator of steps, run two ways: at once (`runToEnd`, tests and
 * tools) or on main's event loop in slices (`runInSlices`), so that a start can answer the page,
 * hear from the chain's node and serve files while it builds the demo world.
 */

/** Runs every step now and answers the result. */
export function runToEnd<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the steps in slices of about `sliceMs`, letting the event loop do its other work (I/O,
 * timers, other promises) between slices.
 */
export async function runInSlices<T>(steps: Generator<unknown, T>, sliceMs = 12): Promise<T> {
  for (;;) {
    const end = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= end) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

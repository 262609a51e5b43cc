/**
 * Waits (polling every 25 ms) until `find` answers, for tests that watch main's events; on time-out
 * the error says what was awaited and what had happened by then (`seen()`).
 */
export async function until<T>(what: string, find: () => T | undefined, seen: () => unknown, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(seen())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

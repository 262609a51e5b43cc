/**
 * Work on many items with at most `limit` promises pending: the demo's operators, relayed claims,
 * track-record downloads. One loop, so each caller says only how many at once.
 */

/** Runs `count` copies of `worker` side by side (at least one) and waits for all of them. */
export async function runWorkers(count: number, worker: () => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: Math.max(1, count) }, worker));
}

/**
 * `work` on every item, at most `limit` at once, results in the items' order. Items are taken in
 * order; a rejection rejects the whole (the items already started still run to their end).
 */
export async function mapAtMost<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await runWorkers(Math.min(limit, items.length), async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!, i);
  });
  return out;
}

/** The ledger built from the index disagrees with the chain's own events (the index is rebuilt once). */
export class HistoryIntegrityError extends Error {
  constructor(detail: string) {
    super(`The reward history disagrees with the chain (${detail}).`);
    this.name = 'HistoryIntegrityError';
  }
}

/**
 * Runs `build`; when it fails with an error `curable` accepts (the ledger does not add up), rebuilds
 * the index from the chain once and runs it again. A second failure of that kind is thrown as a
 * HistoryIntegrityError: a wrong number is never returned.
 */
export async function withOneRebuild<T>(
  build: () => Promise<T>,
  curable: (e: unknown) => boolean,
  rebuild: () => Promise<void>,
): Promise<T> {
  try {
    return await build();
  } catch (e) {
    if (!curable(e)) throw e;
    await rebuild();
    try {
      return await build();
    } catch (again) {
      if (curable(again) && !(again instanceof HistoryIntegrityError)) throw new HistoryIntegrityError((again as Error).message);
      throw again;
    }
  }
}

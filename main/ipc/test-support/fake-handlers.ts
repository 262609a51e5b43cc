import { AppError, METHOD_NAMES } from '../../../shared/api';
import type { Handlers } from '../router';

/** Handlers for transport tests: the given ones, and NOT_AVAILABLE for every other method. */
export function fakeHandlers(partial: Partial<Handlers>): Handlers {
  const all = {} as Record<string, unknown>;
  for (const m of METHOD_NAMES) {
    all[m] =
      partial[m] ??
      (async () => {
        throw new AppError('NOT_AVAILABLE', `${m} is not part of this test`);
      });
  }
  return all as Handlers;
}

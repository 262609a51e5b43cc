import type { AppError, MethodName } from '../../shared/api';
import type { Handlers } from '../ipc/router';
import { toAppError } from './errors';

/** Calls that do not count as the person using the app, so they never hold off the idle lock. */
const PASSIVE_CALLS = new Set<MethodName>([
  'app.info',
  'app.reportError',
  'wallet.status',
  'settings.get',
  'tx.inFlight',
  'operator.status',
]);

/**
 * Every handler as both transports serve it: each call the person makes keeps the wallet unlocked
 * a little longer (the idle lock), and every failure goes through the one error mapper, so a node's
 * nonsense (not JSON, wrong shapes, a read that "reverts") comes back as a plain error about the
 * node instead of "something went wrong inside the app".
 */
export function guardHandlers(handlers: Handlers, opts: { touch(): void; nodeFault(e: unknown): AppError | null }): Handlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, h]) => [
      name,
      (input: never) => {
        if (!PASSIVE_CALLS.has(name as MethodName)) opts.touch();
        return (h as (i: never) => Promise<unknown>)(input).catch((e: unknown) => {
          throw toAppError(e, (x) => opts.nodeFault(x)) ?? e;
        });
      },
    ]),
  ) as Handlers;
}

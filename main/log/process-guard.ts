import type { Logger } from './logger';

/** The process events a guard listens to (Node's process, or a fake in tests). */
export interface GuardedProcess {
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

const describe = (e: unknown) => ({
  error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
  stack: e instanceof Error ? (e.stack ?? null) : null,
});

/**
 * Main logs an error nothing caught and keeps running: dying would drop the watch on transactions
 * already sent and leave the window blank, while every state that matters (keystore, settings,
 * waiting transactions) is on disk, written atomically. The logger redacts what it writes.
 */
export function guardProcess(proc: GuardedProcess, log: Logger): void {
  proc.on('uncaughtException', (error, origin) => log.error('main.uncaught_exception', { origin, ...describe(error) }));
  proc.on('unhandledRejection', (reason) => log.error('main.unhandled_rejection', describe(reason)));
}

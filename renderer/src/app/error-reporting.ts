import type { ApiInput } from '../../../shared/api';
import type { ApiClient } from '../api/client';

export type ErrorReport = ApiInput<'app.reportError'>;

/** Reports one page can send in its life: main rate-limits too, this only spares the bridge a flood. */
const MAX_REPORTS = 50;

/** An error as main's log takes it: cut to the contract's limits, so a long stack is still logged. */
export function errorReport(source: ErrorReport['source'], error: unknown, page: string | null, extraStack = ''): ErrorReport {
  const e = error instanceof Error ? error : null;
  const message = e ? `${e.name}: ${e.message}` : String(error);
  const stack = (e?.stack ?? '') + extraStack;
  return { source, message: message.slice(0, 2000), stack: stack ? stack.slice(0, 8000) : null, page: page?.slice(0, 100) ?? null };
}

/** Sends reports to main's log; a report that cannot be sent is let go (there is nowhere else to put it). */
export function errorReporter(api: Pick<ApiClient, 'call'>): (r: ErrorReport) => void {
  let sent = 0;
  return (r) => {
    if (sent++ >= MAX_REPORTS) return;
    void api.call('app.reportError', r).catch(() => undefined);
  };
}

/**
 * Errors nothing in the page caught (a throw in an event handler or timer, a promise rejected with
 * no handler) go to main's log, with the page that was open. Returns the uninstaller.
 */
export function reportUncaughtErrors(target: Window, report: (r: ErrorReport) => void, page: () => string | null): () => void {
  const onError = (e: ErrorEvent) => report(errorReport('window', e.error ?? e.message, page()));
  const onRejection = (e: PromiseRejectionEvent) => report(errorReport('rejection', e.reason, page()));
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}

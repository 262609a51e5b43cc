import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';

/** At most this many reports are logged per window; the rest are counted and the count logged once. */
export const REPORTS_PER_WINDOW = 20;
export const REPORT_WINDOW_MS = 60_000;

export interface RendererErrorsDeps {
  log: Logger;
  now?: () => number;
}

/**
 * The page's errors in main's log: the renderer has no log of its own, so a crash would otherwise
 * leave a blank screen and no trace. The logger redacts every field (keys, phrases, keystores),
 * and a page stuck in an error loop cannot fill the disk: past REPORTS_PER_WINDOW a minute, reports
 * are dropped and counted.
 */
export function rendererErrorsHandlers({ log, now = Date.now }: RendererErrorsDeps): Pick<Handlers, 'app.reportError'> {
  let windowStart = now();
  let inWindow = 0;
  let dropped = 0;
  return {
    'app.reportError': async ({ source, message, stack, page }) => {
      const t = now();
      if (t - windowStart >= REPORT_WINDOW_MS) {
        if (dropped > 0) log.warn('renderer.errors_dropped', { count: dropped });
        windowStart = t;
        inWindow = 0;
        dropped = 0;
      }
      if (inWindow >= REPORTS_PER_WINDOW) {
        dropped++;
        return { logged: false };
      }
      inWindow++;
      log.error('renderer.error', { source, message, stack, page });
      return { logged: true };
    },
  };
}

import type { CrashReporter, Details, RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../log/logger';

/** Reloads of a crashed page allowed per minute: a page that crashes as it loads must not loop for ever. */
export const MAX_RELOADS_PER_MINUTE = 3;

/**
 * Electron's crash reporter, on for every process, uploads off: minidumps stay in the user-data
 * folder (Crashpad/) for a person to attach to a bug report if they choose. Called before `ready`,
 * as Electron's documentation asks.
 */
export function startCrashReporter(reporter: Pick<CrashReporter, 'start'>): void {
  reporter.start({ uploadToServer: false });
}

/** The part of a web contents a crashed page needs: where it was, and a way to load it again. */
export interface GoneContents {
  getURL(): string;
  isDestroyed(): boolean;
  reload(): void;
}

/** Electron's app, as far as process deaths go (fakes in tests). */
export interface ProcessDeaths {
  on(event: 'render-process-gone', listener: (event: unknown, contents: GoneContents, details: RenderProcessGoneDetails) => void): unknown;
  on(event: 'child-process-gone', listener: (event: unknown, details: Details) => void): unknown;
}

/**
 * A renderer that died (crashed, out of memory, killed) is logged and its page loaded again, so
 * the person sees the app rather than a blank window; a clean exit is left alone, and a page that
 * keeps dying is left after MAX_RELOADS_PER_MINUTE. Other child processes (GPU, utility, the
 * network service) are logged: Electron restarts what it needs itself.
 */
export function watchProcessDeaths(app: ProcessDeaths, log: Logger, now: () => number = Date.now): void {
  const reloads: number[] = [];
  app.on('render-process-gone', (_e, contents, details) => {
    log.error('electron.render_process_gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || contents.isDestroyed()) return;
    const t = now();
    while (reloads.length && t - reloads[0]! > 60_000) reloads.shift();
    if (reloads.length >= MAX_RELOADS_PER_MINUTE) {
      log.error('electron.render_reload_gave_up', { reloads: reloads.length });
      return;
    }
    reloads.push(t);
    contents.reload();
  });
  app.on('child-process-gone', (_e, details) => {
    log.warn('electron.child_process_gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
      name: details.name ?? null,
      serviceName: details.serviceName ?? null,
    });
  });
}

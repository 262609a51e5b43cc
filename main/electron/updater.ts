import type { Logger } from '../log/logger';

/**
 * Auto-update through electron-updater, decided here and tested with a fake updater (no Electron
 * binary exists on our build machines). The feed is the generic one electron-builder.yml publishes
 * to, fixed when the app is built (scripts/dist.mjs). Updates download in the background and are
 * installed on the next quit; the person is asked once per version whether to restart now. A check
 * that fails is logged and nothing is shown: an offline computer is not an error to report.
 */

/** The part of electron-updater's AppUpdater this module drives. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null;
  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type Feed = { ok: true; url: string } | { ok: false; reason: string };

/** How often a running app looks for a new version. */
export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * The feed a build was given, or why there is none: nothing set, not https, or the reserved
 * `.invalid` address that scripts/dist.mjs writes when no feed was given.
 */
export function updateFeed(raw: string | undefined): Feed {
  if (!raw) return { ok: false, reason: 'no update feed was set when this app was built' };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, reason: 'the update feed is not a URL' };
  }
  if (u.protocol !== 'https:') return { ok: false, reason: 'the update feed is not https' };
  if (u.hostname === 'invalid' || u.hostname.endsWith('.invalid')) return { ok: false, reason: 'this build has no update feed' };
  return { ok: true, url: u.href };
}

export interface UpdatesDeps {
  /** Created only when updates are on (electron-updater reads files that exist only in a packaged app). */
  updater: () => Updater;
  feedUrl: string | undefined;
  isPackaged: boolean;
  log: Logger;
  /** "A new version is ready": true to restart now, false to install on the next quit. */
  askToRestart(version: string): Promise<boolean>;
  every?: (fn: () => void, ms: number) => void;
}

/** Starts checking for updates, or logs why not and does nothing else. Returns whether it started. */
export function startUpdates(deps: UpdatesDeps): boolean {
  const { log } = deps;
  if (!deps.isPackaged) {
    log.info('updater.off', { reason: 'not a packaged app' });
    return false;
  }
  const feed = updateFeed(deps.feedUrl);
  if (!feed.ok) {
    log.info('updater.off', { reason: feed.reason });
    return false;
  }
  const updater = deps.updater();
  updater.logger = {
    info: (m) => log.info('updater.info', { message: String(m).slice(0, 300) }),
    warn: (m) => log.warn('updater.warn', { message: String(m).slice(0, 300) }),
    error: (m) => log.warn('updater.error', { message: String(m).slice(0, 300) }),
  };
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.setFeedURL({ provider: 'generic', url: feed.url, channel: 'latest' });

  const asked = new Set<string>();
  let asking = false;
  updater.on('update-downloaded', (info) => {
    // One question per version, and never two dialogs at once (a later check finds the same file).
    if (asking || asked.has(info.version)) return;
    asked.add(info.version);
    asking = true;
    deps
      .askToRestart(info.version)
      .then((restart) => {
        log.info('updater.ready', { version: info.version, restartNow: restart });
        if (restart) updater.quitAndInstall();
      })
      .catch((e: unknown) => log.warn('updater.ask_failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => (asking = false));
  });
  updater.on('error', (e) => log.warn('updater.failed', { error: e.message.slice(0, 300) }));

  const check = () => {
    updater
      .checkForUpdates()
      .catch((e: unknown) => log.warn('updater.check_failed', { error: e instanceof Error ? e.message.slice(0, 300) : String(e) }));
  };
  check();
  // unref: the timer alone must not keep a quitting app alive.
  if (deps.every) deps.every(check, CHECK_EVERY_MS);
  else setInterval(check, CHECK_EVERY_MS).unref();
  log.info('updater.on', { feed: feed.url });
  return true;
}

/** The question, in words for the person: what happens now and what happens if they wait. */
export function restartQuestion(version: string) {
  return {
    type: 'info' as const,
    buttons: ['Restart now', 'Later'],
    defaultId: 0,
    cancelId: 1,
    title: 'Update ready',
    message: 'A new version is ready',
    detail: `NMR Delegate ${version} has been downloaded. Restart now to use it, or it will be installed the next time you quit.`,
  };
}

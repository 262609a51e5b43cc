import { readFile } from 'node:fs/promises';
import type { Protocol, Session, WebContents } from 'electron';
import type { Logger } from '../log/logger';
import { RENDERER_CSP } from '../security/csp';
import { contentTypeFor } from '../security/renderer-files';
import { APP_SCHEME, externalUrl, rendererFileFor } from './policy';

/**
 * The parts of Electron's security checklist that are code rather than window options, written
 * against Electron's types but with no Electron import, so tests drive them with fakes. The
 * BrowserWindow's own options stay literal in main/entry/electron.ts, where electronegativity
 * (scripts/electronegativity.mjs) reads them.
 */

/** The scheme registration Electron needs before `ready`: a standard, secure origin of our own. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;

/**
 * Serves app://renderer/… from the built renderer folder and nothing else, each response with the
 * renderer's CSP. Only GET and HEAD; anything outside the folder is a 404.
 */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string, log: Logger): void {
  const headers = (type: string) => ({
    'content-type': type,
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: headers('text/plain; charset=utf-8') });
    }
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) {
      log.warn('electron.protocol_refused', { url: request.url.slice(0, 200) });
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headers(contentTypeFor(file)) });
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
  });
}

/**
 * The page asks for nothing: every permission request and every permission check is refused (camera,
 * microphone, notifications, clipboard reads, geolocation, HID/USB/serial devices, …), and nothing
 * is downloaded through the page (exports are written by main after a save dialog).
 */
export function lockDownSession(
  ses: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'>,
  log: Logger,
): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('electron.permission_refused', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => {
    log.warn('electron.download_refused', {});
    event.preventDefault();
  });
}

/**
 * Applied to every web contents the app ever creates (app 'web-contents-created'): no navigation
 * away from the page, no redirects, no new windows (an allowed https link opens in the person's
 * own browser instead), no <webview>.
 */
export function lockDownContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  opts: {
    openExternal: (url: string) => void;
    log: Logger;
    /** A URL that main answers with its own window (the recovery phrase's): true when it took it. */
    openOwnWindow?: (url: string) => boolean;
  },
): void {
  const { log } = opts;
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn('electron.navigation_refused', { url: String(url).slice(0, 200) });
  });
  // The same for any frame (the page has none of its own; its CSP forbids them too).
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log.warn('electron.redirect_refused', {});
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Main's own windows are opened by main, never by the page: the page only names one.
    if (opts.openOwnWindow?.(url)) return { action: 'deny' };
    const allowed = externalUrl(url);
    // Only a URL that externalUrl() parsed and allowed: https and an allowlist of hosts.
    if (allowed)
      opts.openExternal(allowed); // eng-disable OPEN_EXTERNAL_JS_CHECK
    else log.warn('electron.window_refused', { url: String(url).slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, webPreferences) => {
    delete webPreferences.preload;
    webPreferences.nodeIntegration = false;
    webPreferences.contextIsolation = true;
    event.preventDefault();
    log.warn('electron.webview_refused', {});
  });
}

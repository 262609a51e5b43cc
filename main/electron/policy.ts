import { rendererFileAt } from '../security/renderer-files';

/**
 * What the Electron window may load, open and navigate to. Plain functions, no Electron import,
 * so the rules are unit-tested where no Electron binary exists (main/security/*.test.ts).
 *
 * The renderer is served from a privileged custom scheme, app://renderer/, instead of file://:
 * file:// pages share one origin with every other file on the disk, while app://renderer is an
 * origin of its own that serves only the files of the built renderer (dist/renderer).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page allowed to call main over IPC. */
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;

/** Sites the app may open in the person's own browser: https, these exact hosts, nothing else. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['numer.ai', 'etherscan.io', 'sepolia.etherscan.io']);

/**
 * The URL to hand to shell.openExternal, or null. The URL is parsed (never prefix-matched, so
 * `https://numer.ai.evil.example`, `https://numer.ai@evil.example` and `javascript:` all fail)
 * and the normalized form is returned, so what is opened is exactly what was checked.
 */
export function externalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return null;
  if (!EXTERNAL_HOSTS.has(u.hostname)) return null;
  return u.href;
}

export function isAllowedExternalUrl(raw: unknown): boolean {
  return externalUrl(raw) !== null;
}

/**
 * Maps an app://renderer/… request to a file inside `rendererDir`, or null: another scheme or
 * host, credentials or a port, a malformed escape, a NUL or backslash, or a path that leaves the
 * folder (`..`, encoded or not). `/` is the index page.
 */
export function rendererFileFor(requestUrl: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username !== '' || u.password !== '') return null;
  return rendererFileAt(rendererDir, u.pathname);
}

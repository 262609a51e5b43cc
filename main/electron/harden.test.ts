import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lockDownContents, lockDownSession, serveRenderer } from './harden';
import { silentLogger } from '../log/logger';
import { RENDERER_CSP } from '../security/csp';

/** Event-emitter-like fakes that keep their listeners so the test can fire them. */
function fakeEmitter() {
  const listeners = new Map<string, ((...a: never[]) => unknown)[]>();
  return {
    listeners,
    on(event: string, fn: (...a: never[]) => unknown) {
      listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      return this;
    },
    fire(event: string, ...args: unknown[]) {
      for (const fn of listeners.get(event) ?? []) (fn as (...a: unknown[]) => unknown)(...args);
    },
  };
}
const preventable = () => ({ preventDefault: vi.fn() });

function fakeContents() {
  const e = fakeEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    ...e,
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      openHandler = fn;
    },
    open: (url: string) => openHandler!({ url }),
    hasOpenHandler: () => openHandler !== null,
  };
}

describe('session lock-down', () => {
  function setup() {
    const e = fakeEmitter();
    const calls: Record<string, (...a: never[]) => unknown> = {};
    const ses = {
      ...e,
      setPermissionRequestHandler: (fn: never) => void (calls.request = fn),
      setPermissionCheckHandler: (fn: never) => void (calls.check = fn),
      setDevicePermissionHandler: (fn: never) => void (calls.device = fn),
    };
    lockDownSession(ses as never, silentLogger);
    return { ses, calls };
  }
  it('refuses every permission request and every permission check', () => {
    const { calls } = setup();
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'fullscreen',
      'hid',
      'usb',
      'serial',
      'unknown',
    ]) {
      const cb = vi.fn();
      (calls.request as (...a: unknown[]) => void)(null, p, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect((calls.check as (...a: unknown[]) => boolean)(null, p, 'app://renderer', {})).toBe(false);
    }
    expect((calls.device as (...a: unknown[]) => boolean)({ deviceType: 'usb', origin: 'app://renderer' })).toBe(false);
  });
  it('refuses downloads through the page', () => {
    const { ses } = setup();
    const ev = preventable();
    ses.fire('will-download', ev, {}, {});
    expect(ev.preventDefault).toHaveBeenCalled();
  });
});

describe('web contents lock-down', () => {
  function setup() {
    const contents = fakeContents();
    const openExternal = vi.fn();
    lockDownContents(contents as never, { openExternal, log: silentLogger });
    return { contents, openExternal };
  }
  it('refuses every navigation and redirect, to anywhere, in any frame', () => {
    const { contents } = setup();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'app://renderer/index.html', 'file:///etc/passwd', 'https://numer.ai/']) {
        const ev = preventable();
        contents.fire(event, Object.assign(ev, { url }), url);
        expect(ev.preventDefault, `${event} ${url}`).toHaveBeenCalled();
      }
    }
  });
  it('never opens a window; opens only allowlisted https links in the browser, normalized', () => {
    const { contents, openExternal } = setup();
    expect(contents.open('https://numer.ai/models')).toEqual({ action: 'deny' });
    expect(contents.open('HTTPS://ETHERSCAN.IO/tx/0x1')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://numer.ai/models'], ['https://etherscan.io/tx/0x1']]);
    for (const bad of [
      'https://numer.ai.evil.example/',
      'http://numer.ai/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://renderer/index.html',
      'about:blank',
    ]) {
      expect(contents.open(bad)).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(2);
  });
  it('hands a URL main opens itself to it, and still opens no window for the page', () => {
    const contents = fakeContents();
    const openExternal = vi.fn();
    const taken: string[] = [];
    const openOwnWindow = (url: string) => url.startsWith('nmr-delegate-phrase:') && taken.push(url) > 0;
    lockDownContents(contents as never, { openExternal, log: silentLogger, openOwnWindow });
    expect(contents.open(`nmr-delegate-phrase:${'a'.repeat(32)}`)).toEqual({ action: 'deny' });
    expect(contents.open('https://numer.ai/models')).toEqual({ action: 'deny' });
    expect(taken).toEqual([`nmr-delegate-phrase:${'a'.repeat(32)}`]);
    expect(openExternal.mock.calls).toEqual([['https://numer.ai/models']]);
  });
  it('refuses to attach a webview and strips what it asked for', () => {
    const { contents } = setup();
    const ev = preventable();
    const prefs: Record<string, unknown> = { preload: 'file:///evil.js', nodeIntegration: true, contextIsolation: false };
    contents.fire('will-attach-webview', ev, prefs, { src: 'https://evil.example/' });
    expect(ev.preventDefault).toHaveBeenCalled();
    expect(prefs).toEqual({ nodeIntegration: false, contextIsolation: true });
  });
});

describe('app:// protocol handler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'assets', 'index-1.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'secret');
  let handler: (r: { url: string; method: string }) => Promise<Response> = async () => new Response(null);
  serveRenderer({ handle: (scheme: string, fn: never) => void (expect(scheme).toBe('app'), (handler = fn)) }, dir, silentLogger);
  const get = (url: string, method = 'GET') => handler({ url, method });

  it('serves the page and assets with the renderer CSP and the right types', async () => {
    const page = await get('app://renderer/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');
    const js = await get('app://renderer/assets/index-1.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await (await get('app://renderer/index.html', 'HEAD')).text()).toBe('');
  });
  it('answers 404 outside the folder or for missing files, 405 for other methods', async () => {
    for (const u of [
      'app://renderer/%2e%2e%2fsecret.txt',
      'app://renderer/..%2f..%2fsecret.txt',
      'app://renderer/nope.js',
      'app://other/index.html',
      'app://renderer/assets',
    ]) {
      const r = await get(u);
      expect(r.status, u).toBe(404);
      expect(await r.text()).not.toContain('secret');
    }
    expect((await get('app://renderer/index.html', 'POST')).status).toBe(405);
  });
});

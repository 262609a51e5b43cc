import { pathToFileURL } from 'node:url';
import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/methods';
import { EVENT_CHANNEL, ipcSenderCheck, registerIpc, senderFrameUrl } from './ipc';
import { RENDERER_URL } from './policy';
import { EventBus } from '../ipc/events';
import { createRouter } from '../ipc/router';
import { silentLogger } from '../log/logger';
import { fakeHandlers } from '../ipc/test-support/fake-handlers';

describe('ipcSenderCheck: only the app page may call', () => {
  const allow = ipcSenderCheck(RENDERER_URL);
  it('accepts the renderer page, whatever its hash or query', () => {
    for (const u of ['app://renderer/index.html', 'app://renderer/index.html#/portfolio', 'app://renderer/index.html?x=1#y']) {
      expect(allow({ kind: 'ipc', frameUrl: u })).toBe(true);
    }
  });
  it.each([
    ['no URL', null],
    ['an empty URL', ''],
    ['another page of the app origin', 'app://renderer/other.html'],
    ['a path that only starts like it', 'app://renderer/index.html/x'],
    ['the folder', 'app://renderer/'],
    ['another host on the scheme', 'app://evil/index.html'],
    ['a host that starts like it', 'app://renderer.evil/index.html'],
    ['credentials', 'app://user:pw@renderer/index.html'],
    ['a port', 'app://renderer:1234/index.html'],
    ['file://', 'file:///opt/nmr/dist/renderer/index.html'],
    ['https with the same name', 'https://renderer/index.html'],
    ['a dev server', 'http://127.0.0.1:5173/index.html'],
    ['devtools', 'devtools://devtools/bundled/devtools_app.html'],
    ['about:blank', 'about:blank'],
    ['about:srcdoc', 'about:srcdoc'],
    ['data:', 'data:text/html,<script>x</script>'],
    ['blob:', 'blob:app://renderer/1234'],
    ['an extension', 'chrome-extension://abc/index.html'],
    ['not a URL', 'index.html'],
  ])('refuses %s', (_why, frameUrl) => {
    expect(allow({ kind: 'ipc', frameUrl })).toBe(false);
  });
  it('refuses other sender kinds and URLs that are not strings', () => {
    expect(allow({ kind: 'harness', frameUrl: RENDERER_URL })).toBe(false);
    expect(allow({ kind: 'ipc' })).toBe(false);
    const sneaky = { toString: () => RENDERER_URL } as unknown as string;
    expect(allow({ kind: 'ipc', frameUrl: sneaky })).toBe(false);
  });
  it('works the same for a file:// page: that exact file only', () => {
    const index = pathToFileURL('/opt/nmr/dist/renderer/index.html').toString();
    const fileCheck = ipcSenderCheck(index);
    expect(fileCheck({ kind: 'ipc', frameUrl: `${index}#/models` })).toBe(true);
    expect(fileCheck({ kind: 'ipc', frameUrl: 'file:///tmp/evil/index.html' })).toBe(false);
    expect(fileCheck({ kind: 'ipc', frameUrl: 'file://evil-host/opt/nmr/dist/renderer/index.html' })).toBe(false);
    expect(fileCheck({ kind: 'ipc', frameUrl: RENDERER_URL })).toBe(false);
  });
});

type FakeFrame = { url: string; parent: FakeFrame | null };
function fakeContents(id: number) {
  const mainFrame: FakeFrame = { url: RENDERER_URL, parent: null };
  return {
    id,
    mainFrame,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send: vi.fn(),
  };
}
type FakeContents = ReturnType<typeof fakeContents>;
const asWc = (c: FakeContents | null) => c as unknown as WebContents;
const eventFrom = (sender: FakeContents, frame: FakeFrame | null) => ({ sender: asWc(sender), senderFrame: frame as never });

describe('senderFrameUrl: only the main frame of the app window', () => {
  const win = fakeContents(1);
  const other = fakeContents(2);
  it('gives the main frame URL of the app window', () => {
    expect(senderFrameUrl(eventFrom(win, win.mainFrame), () => asWc(win))).toBe(RENDERER_URL);
  });
  it('gives nothing for a subframe, another window, a gone frame or no window', () => {
    const sub: FakeFrame = { url: RENDERER_URL, parent: win.mainFrame };
    expect(senderFrameUrl(eventFrom(win, sub), () => asWc(win))).toBeNull();
    expect(senderFrameUrl(eventFrom(other, other.mainFrame), () => asWc(win))).toBeNull();
    expect(senderFrameUrl(eventFrom(win, null), () => asWc(win))).toBeNull();
    expect(senderFrameUrl(eventFrom(win, win.mainFrame), () => null)).toBeNull();
  });
});

/** An ipcMain that records handle/removeHandler and fails the test on any other use. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const misuse: string[] = [];
  const target = {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) misuse.push(`twice: ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const ipcMain = new Proxy(target, {
    get(t, prop) {
      if (prop in t) return t[prop as keyof typeof t];
      misuse.push(String(prop));
      return () => undefined;
    },
  });
  return { ipcMain: ipcMain as unknown as IpcMain, handlers, misuse };
}

describe('registerIpc: one handler per API method, all through the router', () => {
  function setup() {
    const fake = fakeIpcMain();
    const events = new EventBus();
    const win = fakeContents(1);
    const router = createRouter({
      handlers: fakeHandlers({ 'wallet.status': async () => ({ state: 'none', address: null }) }),
      allowSender: ipcSenderCheck(RENDERER_URL),
      log: silentLogger,
    });
    const handle = vi.spyOn(router, 'handle');
    const dispose = registerIpc(fake.ipcMain, router, events, () => asWc(win));
    return { ...fake, events, win, handle, dispose };
  }

  it('registers exactly the API methods and uses nothing else of ipcMain', () => {
    const { handlers, misuse } = setup();
    expect([...handlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    expect(misuse).toEqual([]);
  });

  it('passes each call to the router with the method name fixed and the sender frame checked', async () => {
    const { handlers, win, handle } = setup();
    const call = (method: string, frame: FakeFrame | null, sender = win) =>
      handlers.get(method)!(eventFrom(sender, frame), {}, 'extra', 'args');
    expect(await call('wallet.status', win.mainFrame)).toEqual({ ok: true, value: { state: 'none', address: null } });
    expect(handle).toHaveBeenLastCalledWith('wallet.status', {}, { kind: 'ipc', frameUrl: RENDERER_URL });

    const sub: FakeFrame = { url: RENDERER_URL, parent: win.mainFrame };
    const other = fakeContents(2);
    const devtools: FakeFrame = { url: 'devtools://devtools/bundled/devtools_app.html', parent: null };
    const elsewhere: FakeFrame = { url: 'https://numer.ai/', parent: null };
    for (const r of [
      await call('wallet.status', sub),
      await call('wallet.status', other.mainFrame, other),
      await call('wallet.status', devtools),
      await call('wallet.status', elsewhere),
      await call('faucet.request', null),
    ]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('sends events only to the live app window, and unregisters everything on dispose', () => {
    const { events, win, handlers, dispose } = setup();
    events.emit('chain.round', { round: 3 });
    expect(win.send).toHaveBeenCalledWith(EVENT_CHANNEL, { name: 'chain.round', payload: { round: 3 } });
    win.destroyed = true;
    events.emit('chain.round', { round: 4 });
    expect(win.send).toHaveBeenCalledTimes(1);
    dispose();
    expect(handlers.size).toBe(0);
  });
});

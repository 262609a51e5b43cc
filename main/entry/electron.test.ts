import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AnyEvent } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import { appNotification } from '../notifications/test-support/fixtures';
import { METHOD_NAMES } from '../../shared/api/methods';
import type * as AnvilModule from '../devnet/anvil';
import { savedChainFiles, stakingWorldDir } from '../devnet/staking-chain';

/**
 * The Electron entry point (main/entry/electron.ts) run for real against a recording fake of the
 * `electron` module (no Electron binary exists here) and a fake app: checks that the checklist is
 * wired, not only written — sandbox for all, the app:// origin, the window's options, the
 * session and web-contents lock-downs, and IPC through the router with the sender check.
 */
const h = vi.hoisted(() => {
  const order: string[] = [];
  const appListeners = new Map<string, (...a: unknown[]) => unknown>();
  const windows: {
    options: Record<string, unknown>;
    loaded: string[];
    webContents: Record<string, unknown>;
    listeners: Map<string, (...a: unknown[]) => unknown>;
  }[] = [];
  const ipcHandlers = new Map<string, (...a: unknown[]) => Promise<unknown>>();
  const protocolHandlers = new Map<string, unknown>();
  const privileged: unknown[] = [];
  const sessionCalls: string[] = [];
  const openExternal: string[] = [];
  let resolveLoaded: () => void = () => undefined;
  const loaded = new Promise<void>((r) => (resolveLoaded = r));
  const tmp = `${process.env.TMPDIR ?? '/tmp'}/nmr-entry-${process.pid}-${Date.now()}`;
  const power = new Map<string, () => void>();
  const created: { keyWrap?: { kind: string } | null }[] = [];
  const locks: string[] = [];
  const crashReporterStarts: unknown[] = [];
  const phraseDisplays: unknown[] = [];
  let backend = 'gnome_libsecret';
  const menus: unknown[] = [];
  const themeSources: string[] = [];
  const notices: { title: string; body: string; click?: () => void }[] = [];
  const focus: string[] = [];
  const bus = { events: null as EventBus | null };
  const early = { started: [] as { dataDir?: string }[], discarded: 0 };
  return {
    early,
    menus,
    themeSources,
    notices,
    focus,
    bus,
    power,
    created,
    locks,
    crashReporterStarts,
    phraseDisplays,
    setBackend: (b: string) => (backend = b),
    backend: () => backend,
    order,
    appListeners,
    windows,
    ipcHandlers,
    protocolHandlers,
    privileged,
    sessionCalls,
    openExternal,
    loaded,
    tmp,
    resolveLoaded: () => resolveLoaded(),
  };
});

vi.mock('electron', () => {
  const app = {
    enableSandbox: () => h.order.push('enableSandbox'),
    requestSingleInstanceLock: () => (h.order.push('singleInstance'), true),
    quit: () => void h.order.push('quit'),
    getPath: () => h.tmp,
    getVersion: () => '0.0.0-test',
    isPackaged: true,
    on: (event: string, fn: (...a: unknown[]) => unknown) => void h.appListeners.set(event, fn),
    whenReady: () => (h.order.push('whenReady'), Promise.resolve()),
  };
  class BrowserWindow {
    webContents = {
      id: 1,
      mainFrame: { url: 'app://renderer/index.html', parent: null },
      isDestroyed: () => false,
      send: vi.fn(),
      navigationHistory: { canGoBack: () => true, canGoForward: () => true, goBack: vi.fn(), goForward: vi.fn() },
    };
    private record: (typeof h.windows)[number];
    static getAllWindows() {
      return [];
    }
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], webContents: this.webContents, listeners: new Map() };
      h.order.push('window');
      h.windows.push(this.record);
    }
    on(event: string, fn: (...a: unknown[]) => unknown) {
      this.record.listeners.set(event, fn);
      return this;
    }
    once() {}
    show() {}
    focus() {}
    isMinimized() {
      return false;
    }
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
      h.resolveLoaded();
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => h.sessionCalls.push('permissionRequest'),
      setPermissionCheckHandler: () => h.sessionCalls.push('permissionCheck'),
      setDevicePermissionHandler: () => h.sessionCalls.push('devicePermission'),
      on: (event: string) => h.sessionCalls.push(`on:${event}`),
    },
  };
  const protocol = {
    registerSchemesAsPrivileged: (s: unknown[]) => (h.order.push('registerSchemes'), h.privileged.push(...s)),
    handle: (scheme: string, fn: unknown) => void h.protocolHandlers.set(scheme, fn),
  };
  const ipcMain = {
    handle: (channel: string, fn: (...a: unknown[]) => Promise<unknown>) => void h.ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => void h.ipcHandlers.delete(channel),
  };
  const shell = { openExternal: async (url: string) => void h.openExternal.push(url) };
  const dialog = { showErrorBox: vi.fn(), showMessageBox: vi.fn(), showSaveDialog: vi.fn() };
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => h.backend(),
    encryptString: (s: string) => Buffer.from(`enc:${s}`),
    decryptString: (b: Buffer) => b.toString().slice(4),
  };
  const powerMonitor = { on: (event: string, fn: () => void) => void h.power.set(event, fn) };
  const Menu = { buildFromTemplate: (t: unknown) => ({ template: t }), setApplicationMenu: (m: unknown) => void h.menus.push(m) };
  const nativeTheme = {
    get themeSource() {
      return h.themeSources.at(-1) ?? 'system';
    },
    set themeSource(t: string) {
      h.themeSources.push(t);
    },
    get shouldUseDarkColors() {
      return h.themeSources.at(-1) === 'dark';
    },
  };
  const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
  const screen = { getAllDisplays: () => [display], getPrimaryDisplay: () => display };
  class Notification {
    private readonly record: { title: string; body: string; click?: () => void };
    constructor(o: { title: string; body: string }) {
      this.record = { title: o.title, body: o.body };
    }
    static isSupported = () => true;
    on(event: string, fn: () => void) {
      if (event === 'click') this.record.click = fn;
    }
    show() {
      h.notices.push(this.record);
    }
  }
  const crashReporter = { start: (o: unknown) => void h.crashReporterStarts.push(o) };
  return {
    app,
    BrowserWindow,
    session,
    protocol,
    ipcMain,
    shell,
    dialog,
    safeStorage,
    powerMonitor,
    Menu,
    nativeTheme,
    screen,
    Notification,
    crashReporter,
    default: {},
  };
});

vi.mock('../app/create-app', async () => {
  const { EventBus } = await import('../ipc/events');
  const { fakeHandlers } = await import('../ipc/test-support/fake-handlers');
  return {
    createApp: async (opts: { keyWrap?: { kind: string } | null; applyTheme: (t: string) => void }) => ({
      ...(h.order.push('createApp'), h.created.push(opts), opts.applyTheme('dark'), {}),
      handlers: fakeHandlers({}),
      events: (h.bus.events = new EventBus()),
      nativeNotifications: () => true,
      coordinator: { setConfirmer: () => undefined },
      setPhraseDisplay: (d: unknown) => void h.phraseDisplays.push(d),
      lockWallet: (reason: string) => void h.locks.push(reason),
      close: async () => undefined,
    }),
  };
});
vi.mock('../app/records-adapter', () => ({ createRecords: () => ({}) }));
// The early node of the saved demo chain: recorded, not spawned.
vi.mock('../devnet/anvil', async (actual) => ({
  ...(await actual<typeof AnvilModule>()),
  startAnvilEarly: (opts: { dataDir?: string }) => {
    h.order.push('earlyChain');
    h.early.started.push(opts);
    return { take: () => null, discard: () => void h.early.discarded++ };
  },
}));

describe('Electron entry point, wired', async () => {
  // A saved demo chain in the profile: the entry starts its node early.
  const saved = savedChainFiles(stakingWorldDir(h.tmp));
  mkdirSync(dirname(saved.state), { recursive: true });
  writeFileSync(saved.state, '{}');
  writeFileSync(saved.deployment, '{}');
  // A dark theme saved: the window opens in it before the services exist.
  writeFileSync(join(h.tmp, 'settings.json'), JSON.stringify({ theme: 'dark' }));
  await import('./electron');
  await h.loaded;

  it('sandboxes every renderer and declares the app:// origin before the app is ready', () => {
    expect(h.order.slice(0, 5)).toEqual(['enableSandbox', 'singleInstance', 'registerSchemes', 'earlyChain', 'whenReady']);
    expect(h.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(h.protocolHandlers.has('app')).toBe(true);
  });

  it('opens one window on app://renderer with the checklist options', () => {
    expect(h.windows).toHaveLength(1);
    const w = h.windows[0]!;
    expect(w.loaded).toEqual(['app://renderer/index.html']);
    const prefs = w.options.webPreferences as Record<string, unknown>;
    // Electron's security checklist, pinned here rather than read from electron.ts (devTools: off when packaged).
    for (const on of ['contextIsolation', 'sandbox', 'webSecurity']) expect(prefs[on], on).toBe(true);
    const off = [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'allowRunningInsecureContent',
      'experimentalFeatures',
    ];
    for (const key of [...off, 'webviewTag', 'navigateOnDragDrop', 'devTools']) expect(prefs[key], key).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(String(prefs.preload)).toMatch(/[\\/]main[\\/]preload\.cjs$/);
  });

  it('opens the window where it was (or centred), no smaller than the minimum, in the theme’s colour', () => {
    const o = h.windows[0]!.options;
    // No saved place in a fresh user-data folder: the design size, centred on the display.
    expect(o).toMatchObject({ x: 320, y: 140, width: 1280, height: 800, minWidth: 960, minHeight: 640 });
    // The saved theme "dark", applied before the window opened (read from the settings file), then
    // by the fake app at its start: native UI and the window follow it.
    expect(h.themeSources).toEqual(['dark', 'dark']);
    expect(o.backgroundColor).toBe('#0f141a');
    expect([...h.windows[0]!.listeners.keys()]).toEqual(expect.arrayContaining(['close', 'move', 'resize', 'maximize']));
  });

  it('sets an application menu without reload or devtools (packaged), whose items lock the wallet and open pages', () => {
    expect(h.menus).toHaveLength(1);
    type Item = { role?: string; label?: string; click?: () => void; submenu?: Item[] };
    const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
    const items = all((h.menus[0] as { template: Item[] }).template);
    expect(items.map((i) => i.role)).not.toContain('toggleDevTools');
    expect(items.map((i) => i.role)).not.toContain('reload');
    items.find((i) => i.label === 'Lock Wallet')!.click!();
    expect(h.locks.at(-1)).toBe('user');
    items.find((i) => i.label === 'Portfolio')!.click!();
    const send = h.windows[0]!.webContents.send as ReturnType<typeof vi.fn>;
    expect(send).toHaveBeenCalledWith('nmr-delegate:event', { name: 'app.navigate', payload: { page: 'portfolio' } });
  });

  it('starts the crash reporter with uploads off and watches renderers and child processes that die', () => {
    expect(h.crashReporterStarts).toEqual([{ uploadToServer: false }]);
    expect(h.appListeners.get('render-process-gone')).toBeTypeOf('function');
    expect(h.appListeners.get('child-process-gone')).toBeTypeOf('function');
  });

  it('refuses permissions and downloads in the session', () => {
    expect(new Set(h.sessionCalls)).toEqual(new Set(['permissionRequest', 'permissionCheck', 'devicePermission', 'on:will-download']));
  });

  it('locks down every web contents the app creates', () => {
    const created = h.appListeners.get('web-contents-created')!;
    expect(created).toBeTypeOf('function');
    const on = new Map<string, (...a: unknown[]) => unknown>();
    let openHandler: (d: { url: string }) => unknown = () => undefined;
    created(
      {},
      {
        on: (e: string, fn: (...a: unknown[]) => unknown) => on.set(e, fn),
        setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
      },
    );
    expect([...on.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const ev = { preventDefault: vi.fn() };
    on.get('will-navigate')!(ev, 'https://evil.example/');
    expect(ev.preventDefault).toHaveBeenCalled();
    expect(openHandler({ url: 'https://numer.ai/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(h.openExternal).toEqual(['https://numer.ai/']);
  });

  it('wires the mouse’s back/forward buttons (app-command) and the macOS swipe to the page’s history', () => {
    const win = h.windows[0]!;
    const history = (win.webContents as { navigationHistory: { goBack: () => void; goForward: () => void } }).navigationHistory;
    win.listeners.get('app-command')!({}, 'browser-backward');
    win.listeners.get('swipe')!({}, 'right');
    expect(history.goBack).toHaveBeenCalledTimes(1);
    expect(history.goForward).toHaveBeenCalledTimes(1);
  });

  it('registers one IPC handler per method, answering only the app page', async () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    const wc = h.windows[0]!.webContents as { id: number; mainFrame: unknown };
    const call = (frame: unknown, sender: unknown = wc) => h.ipcHandlers.get('wallet.status')!({ sender, senderFrame: frame }, {});
    // The fake app answers NOT_AVAILABLE to everything: reaching it means the sender check passed.
    expect(await call(wc.mainFrame)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    for (const r of [
      await call({ url: 'file:///tmp/index.html', parent: null }),
      await call({ url: 'app://renderer/index.html', parent: wc.mainFrame }),
      await call(wc.mainFrame, { id: 2 }),
    ]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('opens the window before the services start: its page loads meanwhile, its calls wait for the router', () => {
    expect(h.order.indexOf('window')).toBeGreaterThan(h.order.indexOf('whenReady'));
    expect(h.order.indexOf('window')).toBeLessThan(h.order.indexOf('createApp'));
  });

  it("starts the saved demo chain's node before the app is ready and hands it to the services", async () => {
    const { savedStakingChainAnvil } = await import('../devnet/staking-chain');
    // The same options as the local session's own start, so that it takes this node (EarlyAnvil.take).
    expect(h.early.started).toEqual([savedStakingChainAnvil(stakingWorldDir(h.tmp))]);
    expect(h.created[0]).toMatchObject({ earlyChain: expect.objectContaining({ take: expect.any(Function) }) });
    expect(h.early.discarded).toBe(0);
  });

  it('seals the keystore with the OS keychain, and locks the wallet when the screen locks or the computer sleeps', async () => {
    expect(h.created).toHaveLength(1);
    expect(h.created[0]!.keyWrap?.kind).toBe(
      process.platform === 'linux' ? 'electron-safeStorage:gnome_libsecret' : `electron-safeStorage:${process.platform}`,
    );
    expect(h.phraseDisplays).toHaveLength(1);
    expect([...h.power.keys()].sort()).toEqual(['lock-screen', 'suspend']);
    const before = h.locks.length;
    h.power.get('lock-screen')!();
    h.power.get('suspend')!();
    expect(h.locks.slice(before)).toEqual(['system', 'system']);
  });

  it('shows a native notification for each one main adds; a click opens its place in the page', () => {
    const seen: AnyEvent[] = [];
    h.bus.events!.subscribe((e) => seen.push(e));
    const n = appNotification({ amountWei: '2000000000000000000' });
    h.bus.events!.emit('notifications.changed', { items: [n], unread: 1, added: [n] });
    expect(h.notices.map(({ title, body }) => [title, body])).toEqual([['alpha earned in round 7', '2 NMR']]);
    h.notices[0]!.click!();
    expect(seen.at(-1)).toEqual({ name: 'notifications.open', payload: { id: n.id } });
  });

  it("refuses Linux's basic_text keychain (a fixed password, no protection)", async () => {
    // The entry passes safeStorageWrap(safeStorage) as is: what it returns for basic_text is what the app gets.
    const { safeStorageWrap } = await import('../wallet');
    const { safeStorage } = await import('electron');
    h.setBackend('basic_text');
    expect(safeStorageWrap(safeStorage, 'linux')).toBeNull();
  });

  // Last: it quits the app.
  it('on quit, stops the early node unless the services took it, and closes the services', async () => {
    const quits = () => h.order.filter((o) => o === 'quit').length;
    const before = quits();
    let prevented = false;
    h.appListeners.get('before-quit')!({ preventDefault: () => (prevented = true) });
    // The fake EarlyAnvil counts every discard; the real one does nothing once taken (anvil.ts).
    expect(h.early.discarded).toBe(1);
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(quits()).toBe(before + 1));
  });
});

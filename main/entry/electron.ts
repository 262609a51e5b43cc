import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { createLedgerConnector, nodeHidTransport } from '../ledger';
import { walletConnectConfig } from '../walletconnect';
import { createApp, type App } from '../app/create-app';
import { distDir } from '../app/paths';
import { createAppRecords } from '../app/network-records';
import { createRouter, type Router } from '../ipc/router';
import type { EventBus } from '../ipc/events';
import { createLogger } from '../log/logger';
import { ipcSenderCheck, registerIpc } from '../electron/ipc';
import { APP_SCHEME_PRIVILEGES, lockDownContents, lockDownSession, serveRenderer } from '../electron/harden';
import { wireHistoryGestures } from '../electron/history-gestures';
import { wireNativeNotifications } from '../electron/native-notifications';
import { RENDERER_URL } from '../electron/policy';
import { electronConfirmer } from '../confirm/electron-confirmer';
import { electronPhraseWindows, type ElectronPhraseWindows } from '../confirm/electron-phrase-windows';
import { phraseWindowOpener } from '../electron/phrase-window';
import { appMenuTemplate, type MenuCommand } from '../electron/app-menu';
import { applyNativeTheme, windowBackground } from '../electron/native-theme';
import { restartQuestion, startUpdates } from '../electron/updater';
import { electronAutoUpdater } from '../electron/updater-electron';
import { MIN_SIZE, restoreWindow } from '../electron/window-state';
import { readWindowState, trackWindowState } from '../electron/window-state-file';
import { safeStorageWrap } from '../wallet';
import { startCrashReporter, watchProcessDeaths } from '../electron/crash-safety';
import { guardProcess } from '../log/process-guard';
import { closeOnQuit } from '../electron/quit-closing';
import type { EarlyAnvil } from '../devnet/anvil';
import { startSavedChainEarly } from '../devnet/staking-chain';
import { savedSettingsHints } from '../store/settings-file';

// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by
// item, is in SECURITY.md; scripts/electronegativity.mjs checks this file on every `npm test`.

let win: BrowserWindow | null = null;
let phraseWindows: ElectronPhraseWindows | null = null;
let services: App | null = null;
/** The services while createApp builds them (the window is open meanwhile). */
let starting: Promise<App> | null = null;
const quitClosing = closeOnQuit({
  started: () => services,
  starting: () => starting,
  forget: () => (services = null),
  quit: () => app.quit(),
});

// Every renderer sandboxed, whatever its options say; one instance per user (two would share the
// same wallet folder and demo chain).
app.enableSandbox();
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
// The renderer's own origin, app://renderer: privileged schemes must be declared before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const log = createLogger({ file: join(app.getPath('userData'), 'logs', 'main.log') });
// Crash safety (main/electron/crash-safety.ts): minidumps kept locally, crashed pages reloaded, nothing uncaught kills main.
startCrashReporter(crashReporter);
guardProcess(process, log);
watchProcessDeaths(app, log);

/**
 * The saved demo chain's node, started now, so that it comes up while Electron gets ready and main
 * builds its services (as main/entry/harness.ts does for the browser harness): the local session
 * takes it when its options agree (createApp); otherwise it is stopped. Not for a second instance
 * (it quits), a saved real network or a first start (no saved chain yet); a failure here leaves the
 * start to the session, which says why.
 */
function startEarlyChain(userDataDir: string): EarlyAnvil | null {
  if (!firstInstance) return null;
  try {
    return startSavedChainEarly(userDataDir, savedHints.networkIsLocal);
  } catch (e) {
    log.warn('chain.early_start_failed', { error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}
/** The saved settings' network and theme, read once before the app loads them (settings-file.ts). */
const savedHints = savedSettingsHints(app.getPath('userData'));
const earlyChain = startEarlyChain(app.getPath('userData'));

/** Calls and events through IPC from the start: the calls wait for the router, the events for the services' bus. */
function registerIpcEarly(): { routerMade: (r: Router) => void; eventsMade: (bus: EventBus) => void } {
  let routerMade!: (r: Router) => void;
  const router = new Promise<Router>((resolve) => (routerMade = resolve));
  let eventsMade!: (bus: EventBus) => void;
  const bus = new Promise<EventBus>((resolve) => (eventsMade = resolve));
  registerIpc(
    ipcMain,
    { handle: async (method, input, sender) => (await router).handle(method, input, sender) },
    {
      subscribe(listener) {
        let off: () => void = () => undefined;
        let ended = false;
        void bus.then((b) => {
          if (!ended) off = b.subscribe(listener);
        });
        return () => {
          ended = true;
          off();
        };
      },
    },
    () => win?.webContents ?? null,
  );
  return { routerMade, eventsMade };
}

/** The app's window, where it was last time; shown once the page has drawn. Resolves when the page has loaded. */
function openWindow(userDataDir: string): Promise<void> {
  // Where the window was last time, if that place is still on a display (main/electron/window-state.ts).
  const windowStateFile = join(userDataDir, 'window-state.json');
  const place = restoreWindow(readWindowState(windowStateFile), screen.getAllDisplays(), screen.getPrimaryDisplay());
  const w = new BrowserWindow({
    ...place.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    backgroundColor: windowBackground(nativeTheme),
    title: 'NMR Delegate',
    show: false,
    webPreferences: {
      // The one preload we need: it exposes one frozen object of named API methods and nothing
      // else, never ipcRenderer (main/electron/preload.test.ts checks the built bundle).
      preload: join(distDir(), 'main', 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      enableWebSQL: false,
      webgl: false,
      spellcheck: false,
      // Middle-click would open links in a new window; the page has no use for it.
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  win = w;
  w.once('ready-to-show', () => {
    if (place.maximized) w.maximize();
    w.show();
  });
  trackWindowState(w, windowStateFile, log);
  wireHistoryGestures(w);
  return w.loadURL(RENDERER_URL);
}

async function start() {
  const userDataDir = app.getPath('userData');
  lockDownSession(session.defaultSession, log);
  serveRenderer(protocol, join(distDir(), 'renderer'), log);
  // The window opens at once and its page loads while the services start (the demo chain, the
  // records): its first calls wait for the router, as the harness's do, instead of the window
  // waiting for all of it.
  const ipc = registerIpcEarly();
  // The saved theme now (the services apply it again): the window is born in its colour.
  if (savedHints.theme) applyNativeTheme(savedHints.theme, nativeTheme, () => []);
  // Awaited once the services are up (Electron's loadURL carries its own no-op rejection handler,
  // so a failure meanwhile is that await's to report).
  const loaded = openWindow(userDataDir);

  starting = createApp({
    userDataDir,
    transport: 'electron',
    appVersion: app.getVersion(),
    log,
    // The demo world on the local chain; Numerai's API (NMR_DELEGATE_NUMERAI_URL overrides it) on a real network.
    records: createAppRecords({ userDataDir, log }),
    // The OS keychain seals the keystore file too, where it is a real one (main/wallet/README.md).
    keyWrap: safeStorageWrap(safeStorage),
    // Native dialogs, menus and the window's colour follow the app's theme setting, not only the OS.
    applyTheme: (theme) => applyNativeTheme(theme, nativeTheme, () => BrowserWindow.getAllWindows()),
    deliverExport: async (file, fileName) => {
      const target = win
        ? await dialog.showSaveDialog(win, { defaultPath: join(app.getPath('documents'), fileName) })
        : { canceled: true, filePath: undefined };
      if (target.canceled || !target.filePath) return { savedTo: null, downloadUrl: null };
      await copyFile(file, target.filePath);
      return { savedTo: target.filePath, downloadUrl: null };
    },
    // A Ledger over USB (node-hid, loaded on the first device request; main/ledger/README.md).
    ledger: createLedgerConnector({ transport: nodeHidTransport() }),
    walletconnect: walletConnectConfig(process.env),
    earlyChain,
  });
  let made: App;
  try {
    made = await starting;
  } finally {
    starting = null;
  }
  // The window was closed while the services started: the quit closes them.
  if (quitClosing.quitting()) return;
  services = made;
  services.coordinator.setConfirmer(electronConfirmer(dialog, () => win));
  phraseWindows = electronPhraseWindows(phraseWindowOpener(BrowserWindow, () => win));
  services.setPhraseDisplay(phraseWindows);
  // Someone who walks up to a locked screen or a machine waking from sleep must not find the wallet open.
  const lockWallet = (reason: 'system' | 'user') => services?.lockWallet(reason);
  const lockNow = () => lockWallet('system');
  powerMonitor.on('lock-screen', lockNow);
  powerMonitor.on('suspend', lockNow);
  const events = services.events;
  ipc.eventsMade(events);
  ipc.routerMade(createRouter({ handlers: services.handlers, allowSender: ipcSenderCheck(RENDERER_URL), log }));
  const onMenu = (c: MenuCommand) => (c.kind === 'lock' ? lockWallet('user') : events.emit('app.navigate', { page: c.page }));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        onCommand: onMenu,
        // Only the two fixed https links of app-menu.ts's HELP_LINKS reach this.
        openExternal: (url) => void shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
      }),
    ),
  );
  wireNativeNotifications({
    Notification,
    subscribe: (listener) => events.subscribe(listener),
    enabled: () => services?.nativeNotifications() ?? false,
    focusWindow: () => {
      if (win?.isMinimized()) win.restore();
      win?.show();
      win?.focus();
    },
    open: (id) => events.emit('notifications.open', { id }),
  });

  await loaded;
  startUpdates({
    updater: electronAutoUpdater,
    // Fixed at build time by scripts/build-main.mjs (the feed scripts/dist.mjs was given).
    feedUrl: process.env.NMR_DELEGATE_UPDATE_URL,
    isPackaged: app.isPackaged,
    log,
    askToRestart: async (version) => {
      const answer = win
        ? await dialog.showMessageBox(win, restartQuestion(version))
        : await dialog.showMessageBox(restartQuestion(version));
      return answer.response === 0;
    },
  });
}

// Every web contents, present and future: no navigation, no redirects, no new windows, no webviews.
app.on('web-contents-created', (_e, contents) => {
  lockDownContents(contents, {
    log,
    // Only URLs that externalUrl() parsed and allowed (https, an allowlist of hosts) reach this.
    openExternal: (url) => void shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    // "Open my recovery phrase again": the page names the phrase; main opens its own window.
    openOwnWindow: (url) => phraseWindows?.reopen(url) ?? false,
  });
});
app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});
app.on('window-all-closed', () => app.quit());
app.on('before-quit', (e) => {
  // Quitting before the services took the early node (a start that failed, a second instance).
  earlyChain?.discard();
  quitClosing.beforeQuit(e);
});
app
  .whenReady()
  .then(start)
  .catch((e: unknown) => {
    log.error('electron.start_failed', { error: e instanceof Error ? e.message : String(e) });
    dialog.showErrorBox('NMR Delegate could not start', e instanceof Error ? e.message : String(e));
    app.quit();
  });

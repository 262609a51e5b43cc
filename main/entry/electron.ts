import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { createApp, type App } from '../app/create-app';
import { distDir } from '../app/paths';
import { createRecords } from '../app/records-adapter';
import { createRouter } from '../ipc/router';
import { createLogger } from '../log/logger';
import { ipcSenderCheck, registerIpc } from '../electron/ipc';
import { electronConfirmer } from '../confirm/electron-confirmer';

let win: BrowserWindow | null = null;
let services: App | null = null;

async function start() {
  const userDataDir = app.getPath('userData');
  const log = createLogger({ file: join(userDataDir, 'logs', 'main.log') });
  const indexFile = join(distDir(), 'renderer', 'index.html');
  const indexUrl = pathToFileURL(indexFile).toString();

  // The page asks for nothing: no camera, no notifications, no geolocation.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  services = await createApp({
    userDataDir,
    transport: 'electron',
    appVersion: app.getVersion(),
    log,
    records: createRecords(),
    deliverExport: async (file, fileName) => {
      const target = win
        ? await dialog.showSaveDialog(win, { defaultPath: join(app.getPath('documents'), fileName) })
        : { canceled: true, filePath: undefined };
      if (target.canceled || !target.filePath) return { savedTo: null, downloadUrl: null };
      await copyFile(file, target.filePath);
      return { savedTo: target.filePath, downloadUrl: null };
    },
  });
  services.coordinator.setConfirmer(electronConfirmer(dialog, () => win));
  const router = createRouter({ handlers: services.handlers, allowSender: ipcSenderCheck(indexUrl), log });
  registerIpc(ipcMain, router, services.events, () => win?.webContents ?? null);

  win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'NMR Delegate',
    show: false,
    webPreferences: {
      preload: join(distDir(), 'main', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://numer.ai/') || url.startsWith('https://etherscan.io/')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(indexUrl);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});
app.on('window-all-closed', () => app.quit());
app.on('before-quit', (e) => {
  if (!services) return;
  e.preventDefault();
  const s = services;
  services = null;
  void s.close().finally(() => app.quit());
});
app.whenReady().then(start, (e: unknown) => {
  dialog.showErrorBox('NMR Delegate could not start', e instanceof Error ? e.message : String(e));
  app.quit();
});

import { installedElectronPath } from '../../scripts/electron-binary.mjs';
import { _electron as electron } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { freshUserDataDir, removeUserData, ROOT } from '../test-support/launcher';

const binary = installedElectronPath();

test.describe('Electron', () => {
  test.skip(
    binary === null,
    'SKIPPED: no Electron binary on this machine (its download needs the internet); the harness tests cover the same app.',
  );

  test('the desktop window opens on the models without a wallet and exposes only named methods', async () => {
    const userData = freshUserDataDir();
    const app = await electron.launch({ executablePath: binary!, args: [ROOT, `--user-data-dir=${userData}`], cwd: ROOT });
    try {
      const win = await app.firstWindow();
      await expect(win.getByRole('button', { name: 'Create or import a wallet' })).toBeVisible({ timeout: 60_000 });
      const surface = await win.evaluate(() => {
        const g = globalThis as unknown as { nmrDelegate: { methods: object } };
        return { keys: Object.keys(g.nmrDelegate.methods).sort(), hasIpc: 'ipcRenderer' in g || 'require' in g };
      });
      expect(surface.hasIpc).toBe(false);
      expect(surface.keys).toContain('wallet.status');
    } finally {
      await app.close();
      removeUserData(userData);
    }
  });

  test('the menu opens pages, the window has a minimum size and keeps its size across a restart', async () => {
    const userData = freshUserDataDir();
    const launch = () => electron.launch({ executablePath: binary!, args: [ROOT, `--user-data-dir=${userData}`], cwd: ROOT });
    try {
      let app = await launch();
      let win = await app.firstWindow();
      await expect(win.getByRole('button', { name: 'Create or import a wallet' })).toBeVisible({ timeout: 60_000 });
      const labels = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label) ?? []);
      expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Go', 'Window', 'Help']));
      // Go → Portfolio, as ⌘/Ctrl+2 does: main asks the page to navigate.
      await app.evaluate(({ Menu }) => {
        const go = Menu.getApplicationMenu()?.items.find((i) => i.label === 'Go');
        go?.submenu?.items.find((i) => i.label === 'Portfolio')?.click();
      });
      await expect(win.getByRole('heading', { name: 'Portfolio' })).toBeVisible();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getMinimumSize())).toEqual([960, 640]);
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setSize(1100, 720));
      await app.close();

      app = await launch();
      win = await app.firstWindow();
      await expect(win.getByRole('button', { name: 'Create or import a wallet' })).toBeVisible({ timeout: 60_000 });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getSize())).toEqual([1100, 720]);
      await app.close();
    } finally {
      removeUserData(userData);
    }
  });
});

if (binary === null) console.log('Electron tests SKIPPED: no Electron binary is installed here.');

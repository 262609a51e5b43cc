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
});

if (binary === null) console.log('Electron tests SKIPPED: no Electron binary is installed here.');

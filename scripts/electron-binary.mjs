// Where Electron's binary is, without triggering the package's own download (requiring
// 'electron' downloads it when missing, which hangs or fails on a machine with no internet).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function installedElectronPath() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export function electronInstallerPath() {
  return createRequire(import.meta.url).resolve('electron/install.js');
}

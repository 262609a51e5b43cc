import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives for this app. */
export function defaultUserDataDir(): string {
  const name = 'NMR Delegate';
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

/** dist/ holds main's bundle beside the renderer's build. */
export function distDir(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

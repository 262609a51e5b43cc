import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The settings file in the user-data folder (SettingsStore, main/store/settings.ts). */
export function settingsFile(userDataDir: string): string {
  return join(userDataDir, 'settings.json');
}

/**
 * Whether the saved settings name the local demo chain (or nothing yet, the default), read without
 * the settings' schema, which SettingsStore applies when the app loads the file. A hint for work
 * started before that (the harness starts the demo chain's node early): a wrong answer only costs
 * that work, or its head start.
 */
export function savedNetworkIsLocal(userDataDir: string): boolean {
  try {
    const saved = JSON.parse(readFileSync(settingsFile(userDataDir), 'utf8')) as { network?: { kind?: unknown } } | null;
    return saved?.network?.kind !== 'remote';
  } catch {
    return true;
  }
}

/**
 * The saved theme, read as savedNetworkIsLocal reads the network (no schema: SettingsStore applies
 * it when the app loads the file), for the desktop window, which opens before the app has loaded:
 * null when none is saved or it is not one of the three.
 */
export function savedTheme(userDataDir: string): 'system' | 'light' | 'dark' | null {
  try {
    const saved = JSON.parse(readFileSync(settingsFile(userDataDir), 'utf8')) as { theme?: unknown } | null;
    const theme = saved?.theme;
    return theme === 'system' || theme === 'light' || theme === 'dark' ? theme : null;
  } catch {
    return null;
  }
}

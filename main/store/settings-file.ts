import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Theme } from '../../shared/api';

/** The settings file in the user-data folder (SettingsStore, main/store/settings.ts). */
export function settingsFile(userDataDir: string): string {
  return join(userDataDir, 'settings.json');
}

/** What work started before the app has loaded needs of the saved settings. */
export interface SavedSettingsHints {
  /** The saved network is the local demo chain (or none is saved yet: the default). */
  networkIsLocal: boolean;
  /** The saved theme, or null when none is saved or it is not one of the three. */
  theme: Theme | null;
}

const THEMES: readonly unknown[] = ['system', 'light', 'dark'] satisfies Theme[];

/**
 * The saved settings' network and theme, read in one go without the settings' schema, which
 * SettingsStore applies when the app loads the file. Hints for work started before that (both
 * entries start the demo chain's node early; the desktop window opens in the saved theme's
 * colour): a wrong answer only costs that work, or its head start.
 */
export function savedSettingsHints(userDataDir: string): SavedSettingsHints {
  const saved = readSaved(userDataDir);
  const theme = saved?.theme;
  return {
    networkIsLocal: saved?.network?.kind !== 'remote',
    theme: THEMES.includes(theme) ? (theme as Theme) : null,
  };
}

/** The file's JSON as it is, or null when there is none or it is not JSON. */
function readSaved(userDataDir: string): { network?: { kind?: unknown }; theme?: unknown } | null {
  try {
    return JSON.parse(readFileSync(settingsFile(userDataDir), 'utf8')) as { network?: { kind?: unknown }; theme?: unknown } | null;
  } catch {
    return null;
  }
}

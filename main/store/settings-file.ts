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

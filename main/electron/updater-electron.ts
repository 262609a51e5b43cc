import { createRequire } from 'node:module';
import type * as ElectronUpdater from 'electron-updater';
import type { Updater } from './updater';

/**
 * electron-updater's autoUpdater, loaded only when updates are on: creating it reads
 * resources/app-update.yml and the package type, which exist only in an installed app. It is
 * CommonJS with a lazy getter, so it is required rather than imported.
 */
export function electronAutoUpdater(): Updater {
  const { autoUpdater } = createRequire(import.meta.url)('electron-updater') as typeof ElectronUpdater;
  return autoUpdater;
}

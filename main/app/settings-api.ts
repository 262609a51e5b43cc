import { z } from 'zod';
import { LocalNetwork, RemoteNetworkView, SettingsChoices, type SettingsView, type Theme } from '../../shared/api';
import type { Handlers } from '../ipc/router';
import type { SettingsStore } from '../store/settings';

export const DAMAGED_SETTINGS_NOTICE =
  'Your settings file was damaged, so the app started with default settings. The old file was kept beside it.';

/**
 * The stored settings as the Settings screen sees them, from the view's own schemas: `z.object`
 * drops what the view does not show (the watchlist; a network's token address and deploy block).
 */
const StoredAsView = z.object({
  network: z.discriminatedUnion('kind', [LocalNetwork, z.object(RemoteNetworkView.shape)]),
  ...SettingsChoices.shape,
});

export interface SettingsApiDeps {
  settings: SettingsStore;
  /** Why the app did not open the saved network at start, if it did not (it takes the place of the damaged-file notice). */
  startNotice: string | null;
  /** The saved choices that main applies at once (the demo round timer, the idle lock, the native theme). */
  applied: { demoRoundIntervalS(): void; lockTimeoutMin(minutes: number): void; theme(theme: Theme): void };
}

/**
 * The settings calls. A notice about the start (a damaged settings file set aside, a saved network
 * that could not be reached) stays in every answer until the person dismisses it: reading the
 * settings changes nothing, so the page that reads them first (the theme) cannot swallow it.
 */
export function settingsHandlers(deps: SettingsApiDeps): Pick<Handlers, 'settings.get' | 'settings.update' | 'settings.dismissNotice'> {
  const { settings } = deps;
  let notice = deps.startNotice ?? (settings.recoveredFrom ? DAMAGED_SETTINGS_NOTICE : null);

  const view = (): SettingsView => ({ ...StoredAsView.parse(settings.get()), notice });

  return {
    'settings.get': async () => view(),
    'settings.update': async (patch) => {
      settings.update(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      if (patch.demoRoundIntervalS !== undefined) deps.applied.demoRoundIntervalS();
      if (patch.lockTimeoutMin !== undefined) deps.applied.lockTimeoutMin(patch.lockTimeoutMin);
      if (patch.theme !== undefined) deps.applied.theme(patch.theme);
      return view();
    },
    'settings.dismissNotice': async () => {
      notice = null;
      return view();
    },
  };
}

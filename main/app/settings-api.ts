import type { SettingsView } from '../../shared/api';
import type { Handlers } from '../ipc/router';
import type { SettingsStore } from '../store/settings';

export const DAMAGED_SETTINGS_NOTICE =
  'Your settings file was damaged, so the app started with default settings. The old file was kept beside it.';

export interface SettingsApiDeps {
  settings: SettingsStore;
  /** Why the app did not open the saved network at start, if it did not (it takes the place of the damaged-file notice). */
  startNotice: string | null;
  /** The saved choices that main applies at once (the demo round timer, the idle lock). */
  applied: { demoRoundIntervalS(): void; lockTimeoutMin(minutes: number): void };
}

/**
 * The settings calls. A notice about the start (a damaged settings file set aside, a saved network
 * that could not be reached) stays in every answer until the person dismisses it: reading the
 * settings changes nothing, so the page that reads them first (the theme) cannot swallow it.
 */
export function settingsHandlers(deps: SettingsApiDeps): Pick<Handlers, 'settings.get' | 'settings.update' | 'settings.dismissNotice'> {
  const { settings } = deps;
  let notice = deps.startNotice ?? (settings.recoveredFrom ? DAMAGED_SETTINGS_NOTICE : null);

  function view(): SettingsView {
    const s = settings.get();
    return {
      network:
        s.network.kind === 'local'
          ? { kind: 'local' }
          : {
              kind: 'remote',
              rpcUrl: s.network.rpcUrl,
              chainId: s.network.chainId,
              poolAddress: s.network.poolAddress,
              label: s.network.label,
            },
      lockTimeoutMin: s.lockTimeoutMin,
      theme: s.theme,
      riskAcknowledged: s.riskAcknowledged,
      demoRoundIntervalS: s.demoRoundIntervalS,
      notice,
    };
  }

  return {
    'settings.get': async () => view(),
    'settings.update': async (patch) => {
      settings.update(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      if (patch.demoRoundIntervalS !== undefined) deps.applied.demoRoundIntervalS();
      if (patch.lockTimeoutMin !== undefined) deps.applied.lockTimeoutMin(patch.lockTimeoutMin);
      return view();
    },
    'settings.dismissNotice': async () => {
      notice = null;
      return view();
    },
  };
}

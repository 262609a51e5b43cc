import { existsSync, readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { Address, LocalNetwork, RemoteNetworkView, SettingsChoices } from '../../shared/api';
import { writeFileAtomic } from './atomic-file';

/** A real network as stored: what the Settings screen shows plus what main found when validating it. */
export const RemoteNetwork = z.strictObject({
  kind: RemoteNetworkView.shape.kind,
  rpcUrl: z.string().url().max(2000),
  chainId: RemoteNetworkView.shape.chainId,
  poolAddress: RemoteNetworkView.shape.poolAddress,
  tokenAddress: Address,
  label: RemoteNetworkView.shape.label,
  deployBlock: z.number().int().nonnegative(),
  /**
   * Numerai's staking contract the pool stakes through, and its tournament (all three addresses
   * checked by main/chain/staking-network.ts). Absent only in a network saved for the earlier pool,
   * which only named a pool address: the app refuses to open it and says so at start (NOT_A_POOL).
   */
  staking: z.strictObject({ address: Address, tournamentId: z.number().int().positive() }).optional(),
});
export type RemoteNetwork = z.infer<typeof RemoteNetwork>;

/** The settings file: the person's choices (shared with the Settings screen), the network in use and the watchlist. */
export const Settings = z.strictObject({
  version: z.literal(1),
  network: z.discriminatedUnion('kind', [LocalNetwork, RemoteNetwork]),
  ...SettingsChoices.shape,
  /** Added after the first files were written: those read as on. */
  nativeNotifications: SettingsChoices.shape.nativeNotifications.default(true),
  /** Model names the holder keeps an eye on. */
  watchlist: z.array(z.string().max(100)).max(1000).default([]),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  network: { kind: 'local' },
  lockTimeoutMin: 15,
  theme: 'system',
  riskAcknowledged: false,
  demoRoundIntervalS: 0,
  nativeNotifications: true,
  watchlist: [],
};

/**
 * The settings file: validated on every read, written atomically. We keep our own small store
 * instead of electron-store/conf so both transports share one code path and a damaged file is
 * handled our way: set aside beside the original (never deleted) and replaced by defaults, with a
 * notice the UI can show.
 */
export class SettingsStore {
  private current: Settings;
  /** Set when the file on disk was unreadable at start; the UI tells the user once. */
  readonly recoveredFrom: string | null = null;

  constructor(private readonly file: string) {
    if (!existsSync(file)) {
      this.current = DEFAULT_SETTINGS;
      return;
    }
    try {
      this.current = Settings.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      const aside = `${file}.corrupt-${Date.now()}`;
      renameSync(file, aside);
      this.recoveredFrom = aside;
      this.current = DEFAULT_SETTINGS;
      writeFileAtomic(file, JSON.stringify(this.current, null, 2));
    }
  }

  get(): Settings {
    return this.current;
  }

  update(patch: Partial<Omit<Settings, 'version'>>): Settings {
    const next = Settings.parse({ ...this.current, ...patch });
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    return next;
  }
}

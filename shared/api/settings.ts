import { z } from 'zod';
import { Address } from './primitives';

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/**
 * What the person chooses on the Settings screen: stored as is (main/store/settings.ts), shown by
 * settings.get, and each one changeable with settings.update.
 */
export const SettingsChoices = z.strictObject({
  lockTimeoutMin: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  theme: Theme,
  riskAcknowledged: z.boolean(),
  /** Seconds between automatic rounds on the local demo chain; 0 = only on demand. */
  demoRoundIntervalS: z.number().int().min(0).max(86_400),
  /** Show the system's own notifications too (Electron), beside the list under the bell. */
  nativeNotifications: z.boolean(),
});
export type SettingsChoices = z.infer<typeof SettingsChoices>;

export const LocalNetwork = z.strictObject({ kind: z.literal('local') });

/** A real network as the Settings screen shows it; the stored one adds what main found when validating it. */
export const RemoteNetworkView = z.strictObject({
  kind: z.literal('remote'),
  rpcUrl: z.string().max(2000),
  chainId: z.number().int().positive(),
  poolAddress: Address,
  label: z.string().max(100),
});

export const SettingsView = z.strictObject({
  network: z.discriminatedUnion('kind', [LocalNetwork, RemoteNetworkView]),
  ...SettingsChoices.shape,
  /** A one-time message, e.g. that a damaged settings file was set aside. */
  notice: z.string().max(500).nullable(),
});
export type SettingsView = z.infer<typeof SettingsView>;

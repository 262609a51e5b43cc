import { z } from 'zod';
import { Address } from './primitives';

/**
 * The accounts a holder can sign with (issue #17), one list in Settings → Wallet: the key on this
 * computer, wallets connected over WalletConnect, Ledger accounts. Ids: `key`, `wc:<session topic>`,
 * `ledger:<derivation path>`.
 */
export const AccountId = z
  .string()
  .max(120)
  .regex(/^(key|wc:[0-9a-f]{64}|ledger:m(\/\d{1,10}'?){3,6})$/, 'not an account id');
export type AccountId = z.infer<typeof AccountId>;

export const AccountKind = z.enum(['key', 'walletconnect', 'ledger']);

export const AccountView = z.strictObject({
  id: AccountId,
  kind: AccountKind,
  /** "Key on this computer", "WalletConnect: <wallet name>", "Ledger". */
  label: z.string().max(200),
  /** Null for the key account before a wallet exists. */
  address: Address.nullable(),
  /** A word on its state ("locked", "connected for chains 1, 31337"), or null. */
  detail: z.string().max(300).nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

/** Whether a kind can be added here, and if not, why in plain words. */
const Availability = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), reason: z.string().max(500) }),
]);

export const AccountsList = z.strictObject({
  inUse: AccountId,
  accounts: z.array(AccountView).max(100),
  walletconnect: Availability,
  ledger: Availability,
  /** A WalletConnect pairing waiting for the wallet: its `wc:` URI (for the QR code), or why the last one failed. */
  pairing: z
    .discriminatedUnion('state', [
      z.strictObject({ state: z.literal('waiting'), uri: z.string().startsWith('wc:').max(1000) }),
      z.strictObject({ state: z.literal('failed'), error: z.string().max(500) }),
    ])
    .nullable(),
});
export type AccountsList = z.infer<typeof AccountsList>;

export const LedgerScheme = z.enum(['ledger-live', 'legacy']);

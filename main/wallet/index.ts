/**
 * The wallet capability: keys, accounts, backup, idle lock. See README.md in this folder.
 * Build it with `new WalletService(dir, events, scryptN?, { keyWrap?, idleMinutes? })`.
 */
export {
  WalletService,
  DEFAULT_IDLE_MINUTES,
  DEFAULT_PATH,
  ACCOUNT_PATH_PREFIX,
  type WalletState,
  type AccountsView,
  type WalletOptions,
  type LockReason,
} from './wallet-service';
export { WalletSigner } from './signer';
export { safeStorageWrap, type KeyWrap, type SafeStorageLike } from './key-wrap';
export type { Progress } from './kdf';

import type { AbstractSigner, Provider } from 'ethers';

/**
 * The three kinds of account a holder can sign with (issue #17). Main plans from an intent and
 * shows its own confirmation for every kind; only then does it ask the account's signer.
 * - `key`: a key the app stores encrypted on this computer (main/wallet/).
 * - `walletconnect`: a wallet elsewhere (phone, browser extension) reached over WalletConnect v2;
 *   it broadcasts itself, so main gets a hash back, never signed bytes.
 * - `ledger`: a Ledger device over USB in Electron's main; main gets signed bytes and broadcasts.
 */
export type AccountKind = 'key' | 'walletconnect' | 'ledger';

/** A signer that hands main the signed bytes (key on this computer, Ledger): main broadcasts and keeps them. */
export type RawSigner = AbstractSigner & { readonly address: string };

/** The fields of one plan step exactly as main confirmed them, for a wallet that sends itself. */
export interface WalletTx {
  from: string;
  to: string;
  data: string;
  value: bigint;
  gasLimit: bigint;
  nonce: number;
  chainId: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** A wallet that signs and broadcasts itself (WalletConnect's `eth_sendTransaction`): answers the hash. */
export interface SendingSigner {
  readonly address: string;
  /** The wallet's own name, for "waiting for your wallet (…)". */
  readonly walletName: string;
  sendTransaction(tx: WalletTx): Promise<string>;
}

/** How a plan step reaches the chain for the account in use. */
export type AccountSigner =
  /** `device`: the signature is approved on a device (a Ledger), which the confirmation explains screen by screen. */
  { mode: 'sign'; signer: RawSigner; device?: { name: 'Ledger'; path: string } } | { mode: 'send'; signer: SendingSigner };

/** What the person is told while a step waits for their approval outside this app, or null when the app signs itself. */
export function waitingFor(s: AccountSigner): string | null {
  return s.mode === 'send' ? `Waiting for your wallet (${s.signer.walletName}): approve the transaction there.` : null;
}

/** The account in use as the holder's transactions need it (main/accounts/ decides which one it is). */
export interface HolderAccount {
  /** Its address, to read balances and positions (NO_WALLET when there is no account at all). */
  address(): Promise<string>;
  /** Its address when it can sign now; else why not (WALLET_LOCKED, WALLET_DISCONNECTED, …). */
  readyAddress(): Promise<string>;
  /** How a step reaches the chain with it. */
  signer(provider: Provider): Promise<AccountSigner>;
}

/** Derivation schemes a Ledger account can come from: Ledger Live's (m/44'/60'/i'/0/0) and the legacy one (m/44'/60'/0'/i). */
export type LedgerScheme = 'ledger-live' | 'legacy';

/**
 * What the app needs of a Ledger device (main/ledger/ implements it over node-hid in Electron; the
 * browser harness has none and says so through `availability`).
 */
export interface LedgerConnector {
  /** Whether a device can be reached here at all, and if not, why in plain words. */
  availability(): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Addresses of accounts `from`..`from+count-1` under a scheme (read from the device, not shown on it). */
  addresses(scheme: LedgerScheme, from: number, count: number): Promise<{ path: string; address: string }[]>;
  /** Shows the address of `path` on the device and resolves once the person approved it there. */
  verifyOnDevice(path: string): Promise<string>;
  /** A signer for one account; each signature is a request the person approves on the device. */
  signer(path: string, address: string, provider: Provider): RawSigner;
}

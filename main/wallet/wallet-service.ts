import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { HDNodeWallet, Mnemonic, Wallet, type Provider } from 'ethers';
import { AppError, type AccountsView, type EventPayload, type WalletStatus } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import { IdleTimer, MAX_IDLE_MINUTES } from './idle-timer';
import type { KeyWrap } from './key-wrap';
import type { Progress } from './kdf';
import { decryptKeystore, encryptKeystore, parseKeystore, type KeystoreAccount } from './keystore';
import { parsePhrase, parsePrivateKey } from './phrase';
import { WalletSigner, type KeyAccess } from './signer';
import { PasswordThrottle } from './throttle';
import { WalletFiles, type AccountsFile, type KeystoreOnDisk } from './wallet-files';
import { useNativeScrypt } from './native-scrypt';

/** Accounts of a phrase wallet are m/44'/60'/0'/0/i. */
export const ACCOUNT_PATH_PREFIX = "m/44'/60'/0'/0";
export const DEFAULT_PATH = `${ACCOUNT_PATH_PREFIX}/0`;
export const DEFAULT_IDLE_MINUTES = 15;
const DRAFT_TTL_MS = 30 * 60_000;
const MAX_INDEX = 2 ** 31 - 1;
const MAX_ACCOUNTS = 1000;

type Draft = { phrase: string; positions: number[]; expires: number };
/** What wallet.status answers (the contract's WalletStatus). */
export type WalletState = WalletStatus;
/** Why the wallet locked, as the wallet.locked event tells it ('system': the OS locked the screen or slept). */
export type LockReason = EventPayload<'wallet.locked'>['reason'];
/** What wallet.accounts answers; 'phrase': several accounts from one recovery phrase, 'key': one imported key. */
export type { AccountsView };

export interface WalletOptions {
  /** Seal the keystore file with the OS keychain (Electron safeStorage). Default: none. */
  keyWrap?: KeyWrap | null;
  /** Lock after this many minutes without `touch()`; 0 = never. Default 15. */
  idleMinutes?: number;
  now?: () => number;
}

/** What is decrypted while unlocked. `lock()` empties it and drops it. */
type Session = {
  kind: 'phrase' | 'key';
  /** The node at m/44'/60'/0'/0 (phrase wallets): derives account i. */
  parent: HDNodeWallet | null;
  keys: Map<string, Wallet>;
};

const WRONG_PASSWORD = 'That password does not open this wallet.';
const damaged = () =>
  new AppError(
    'INTERNAL',
    'Your wallet file is damaged and cannot be opened. Restore the wallet from its recovery phrase or a keystore backup.',
  );

/** What a new wallet is made from: a phrase (made here or typed) or one key (typed or from a keystore file). */
type NewSecret =
  | { kind: 'phrase'; source: 'created' | 'phrase'; phrase: string }
  | { kind: 'key'; source: 'private-key' | 'keystore'; privateKey: string };

/**
 * Owns the user's keys. Decrypted keys live only in this object's session while unlocked; `lock()`
 * (on demand, after idle minutes, on quit) drops them. At rest: one Web3 Secret Storage v3 file
 * (optionally sealed by the OS keychain) plus a list of account indexes; see README.md.
 */
export class WalletService {
  private session: Session | null = null;
  private drafts = new Map<string, Draft>();
  private readonly files: WalletFiles;
  private readonly throttle: PasswordThrottle;
  private readonly idle: IdleTimer;
  private accountsCache: AccountsFile | null = null;
  /** Bumped by every lock: work that started before a lock must not unlock after it. */
  private epoch = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keyAccess: KeyAccess;

  constructor(
    dir: string,
    private readonly events: EventBus,
    private readonly scryptN = 2 ** 17,
    options: WalletOptions = {},
  ) {
    if (!Number.isSafeInteger(scryptN) || scryptN < 2 || (scryptN & (scryptN - 1)) !== 0)
      throw new RangeError('scryptN must be a power of 2');
    useNativeScrypt();
    this.files = new WalletFiles(dir, options.keyWrap ?? null);
    this.files.removeStaleTemps();
    this.throttle = new PasswordThrottle(this.files.throttlePath, options.now);
    this.idle = new IdleTimer(() => this.lock('idle'), options.now);
    this.idle.setMinutes(options.idleMinutes ?? DEFAULT_IDLE_MINUTES);
    this.keyAccess = {
      withKey: async (address, use) => {
        const key = this.session?.keys.get(address);
        if (!key) throw new AppError('WALLET_LOCKED', 'Your wallet is locked. Unlock it with your password.');
        this.touch();
        return use(key);
      },
    };
  }

  // ── state ─────────────────────────────────────────────────────────────────────────────────────

  status(): WalletState {
    if (this.session) return { state: 'unlocked', address: this.activeAddress() };
    const ks = this.files.inspectKeystore();
    if (!ks) return { state: 'none', address: null };
    return { state: 'locked', address: this.activeAddress(ks) };
  }

  address(): string {
    const s = this.status();
    if (!s.address) throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    return s.address;
  }

  /** The active address of an unlocked wallet: what is asked before preparing anything to sign. */
  unlockedAddress(): string {
    const s = this.status();
    if (s.state === 'locked') throw new AppError('WALLET_LOCKED', 'Your wallet is locked. Unlock it with your password.');
    return this.address();
  }

  // ── create and import ─────────────────────────────────────────────────────────────────────────

  /**
   * A new recovery phrase, kept here until `confirmCreate` (or lock, or 30 minutes). The words are
   * for main's own phrase window only; the renderer gets the id and the positions to check.
   */
  createDraft(words: 12 | 24): { draftId: string; words: string[]; confirmPositions: number[]; expires: number } {
    this.ensureNoWallet();
    const mnemonic = Mnemonic.fromEntropy(randomBytes(words === 12 ? 16 : 32));
    const list = mnemonic.phrase.split(' ');
    const positions = new Set<number>();
    while (positions.size < 3) positions.add(randomInt(1, list.length + 1));
    const draftId = randomUUID();
    const now = Date.now();
    for (const [id, d] of this.drafts) if (d.expires < now) this.drafts.delete(id);
    this.drafts.set(draftId, { phrase: mnemonic.phrase, positions: [...positions].sort((a, b) => a - b), expires: now + DRAFT_TTL_MS });
    const draft = this.drafts.get(draftId)!;
    return { draftId, words: list, confirmPositions: draft.positions, expires: draft.expires };
  }

  confirmCreate(
    draftId: string,
    password: string,
    confirmations: { position: number; word: string }[],
    onProgress?: Progress,
  ): Promise<WalletState> {
    const epoch = this.epoch;
    return this.exclusive(async () => {
      const draft = this.drafts.get(draftId);
      if (!draft || draft.expires < Date.now()) {
        throw new AppError('NOT_FOUND', 'This recovery phrase has expired. Start again to get a new one.');
      }
      const words = draft.phrase.split(' ');
      const wanted = new Set(draft.positions);
      const ok =
        confirmations.length === wanted.size &&
        new Set(confirmations.map((c) => c.position)).size === wanted.size &&
        confirmations.every((c) => wanted.has(c.position) && words[c.position - 1] === c.word.normalize('NFKD').trim().toLowerCase());
      if (!ok) throw new AppError('BAD_CONFIRMATION', 'Those words do not match your recovery phrase. Check what you wrote down.');
      checkNewPassword(password);
      this.ensureNoWallet();
      const state = await this.saveNew({ kind: 'phrase', source: 'created', phrase: draft.phrase }, password, epoch, onProgress);
      this.drafts.delete(draftId);
      return state;
    });
  }

  /** Imports a BIP-39 phrase (12–24 words, typed or pasted any way); its first account becomes active. */
  importPhrase(phrase: string, password: string, onProgress?: Progress): Promise<WalletState> {
    return this.importTyped(() => ({ kind: 'phrase', source: 'phrase', phrase: parsePhrase(phrase).phrase }), password, onProgress);
  }

  importPrivateKey(privateKey: string, password: string, onProgress?: Progress): Promise<WalletState> {
    return this.importTyped(() => ({ kind: 'key', source: 'private-key', privateKey: parsePrivateKey(privateKey) }), password, onProgress);
  }

  /** A phrase or key the person typed: read (and refused) inside the lock, before the new password is checked. */
  private importTyped(read: () => NewSecret, password: string, onProgress?: Progress): Promise<WalletState> {
    const epoch = this.epoch;
    return this.exclusive(async () => {
      this.ensureNoWallet();
      const secret = read();
      checkNewPassword(password);
      return this.saveNew(secret, password, epoch, onProgress);
    });
  }

  /**
   * Imports a v3 keystore file (geth, MetaMask, ethers, …) opened with its own password, and stores
   * its key under the user's new password in our format. Only the key is kept (one account), even
   * if the file is an ethers file that also carries a phrase.
   *
   * Wrong tries of the file's password are not throttled: whoever has the file can try passwords
   * on it anywhere, faster than here; the throttle protects the wallet this app holds.
   */
  importKeystore(json: string, filePassword: string, password: string, onProgress?: Progress): Promise<WalletState> {
    const epoch = this.epoch;
    return this.exclusive(async () => {
      this.ensureNoWallet();
      const ks = parseKeystore(json);
      if (typeof filePassword !== 'string' || filePassword.length > 1024)
        throw new AppError('BAD_INPUT', "Type the keystore file's password.");
      checkNewPassword(password);
      const account = await decryptKeystore(ks, filePassword, { encodings: 'any', onProgress: scale(onProgress, 0, 0.5) });
      if (!account) throw new AppError('BAD_PASSWORD', 'That password does not open this keystore file.');
      return this.saveNew({ kind: 'key', source: 'keystore', privateKey: account.privateKey }, password, epoch, scale(onProgress, 0.5, 1));
    });
  }

  // ── unlock and lock ───────────────────────────────────────────────────────────────────────────

  /**
   * Opens the wallet. The key derivation runs on Node's thread pool, so the event loop stays free;
   * `onProgress` gets an estimate from 0 to 1 (at most every 100 ms).
   */
  async unlock(password: string, onProgress?: Progress): Promise<WalletState> {
    if (this.status().state === 'none') throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    if (this.session) return this.status();
    // Taken now, not when the queued work starts: a lock issued after this call must win.
    const epoch = this.epoch;
    return this.exclusive(async () => {
      if (this.session) return this.status();
      const { account, text } = await this.checkPassword(password, scale(onProgress, 0, 0.9));
      if (epoch !== this.epoch) throw cancelled();
      const session = await this.openSession(account);
      if (epoch !== this.epoch) {
        dropSession(session);
        throw cancelled();
      }
      this.session = session;
      this.idle.start();
      // A file written before the OS keychain was available gets sealed now.
      if (this.files.wantsSealing()) this.files.writeKeystore(text, account.address);
      onProgress?.(1);
      return this.status();
    });
  }

  /** Drops every decrypted key (and any unconfirmed new phrase). Emits wallet.locked if it was unlocked. */
  lock(reason: LockReason = 'user'): WalletState {
    this.epoch++;
    const was = this.session;
    this.session = null;
    if (was) dropSession(was);
    this.drafts.clear();
    this.idle.stop();
    if (was) this.events.emit('wallet.locked', { reason });
    try {
      return this.status();
    } catch {
      // Locking must never fail, even if the files are unreadable.
      return { state: 'locked', address: null };
    }
  }

  /** Call on every user action: restarts the idle countdown. */
  touch(): void {
    this.idle.touch();
  }

  /** Idle lock timeout in minutes (fractions allowed); 0 = never. */
  setIdleMinutes(minutes: number): void {
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0 || minutes > MAX_IDLE_MINUTES) {
      throw new AppError('BAD_INPUT', `The idle lock time must be between 0 (never) and ${MAX_IDLE_MINUTES} minutes.`);
    }
    this.idle.setMinutes(minutes);
  }

  idleMinutes(): number {
    return this.idle.getMinutes();
  }

  // ── accounts ──────────────────────────────────────────────────────────────────────────────────

  accounts(): AccountsView {
    const ks = this.files.inspectKeystore();
    if (!ks) throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    const a = this.loadAccounts(ks);
    return {
      kind: a.kind,
      source: a.source,
      active: a.active,
      accounts: a.accounts.map((x) => ({ ...x, path: a.kind === 'phrase' ? `${ACCOUNT_PATH_PREFIX}/${x.index}` : null })),
    };
  }

  /** Adds account `index` (default: the next unused one) of a phrase wallet. Needs the wallet unlocked. */
  addAccount(index?: number): Promise<AccountsView> {
    return this.exclusive(async () => {
      const view = this.accounts();
      if (view.kind !== 'phrase') {
        throw new AppError('NOT_AVAILABLE', 'This wallet was imported from a single key, so it has exactly one account.');
      }
      const i = index ?? Math.max(...view.accounts.map((a) => a.index)) + 1;
      if (!Number.isSafeInteger(i) || i < 0 || i > MAX_INDEX)
        throw new AppError('BAD_INPUT', `An account number is between 0 and ${MAX_INDEX}.`);
      if (view.accounts.some((a) => a.index === i)) return view;
      if (view.accounts.length >= MAX_ACCOUNTS) throw new AppError('BAD_INPUT', `A wallet can list at most ${MAX_ACCOUNTS} accounts.`);
      const session = this.session;
      if (!session?.parent) throw new AppError('WALLET_LOCKED', 'Unlock your wallet to add an account.');
      const child = session.parent.deriveChild(i);
      session.keys.set(child.address, new Wallet(child.privateKey));
      const a = this.loadAccounts();
      this.saveAccounts({ ...a, accounts: [...a.accounts, { index: i, address: child.address }].sort((x, y) => x.index - y.index) });
      return this.accounts();
    });
  }

  /** Makes account `index` the one the app uses. Works while locked (it changes no key). */
  selectAccount(index: number): AccountsView {
    const view = this.accounts();
    if (!view.accounts.some((a) => a.index === index)) throw new AppError('NOT_FOUND', 'There is no such account in this wallet.');
    this.saveAccounts({ ...this.loadAccounts(), active: index });
    return this.accounts();
  }

  // ── backup ────────────────────────────────────────────────────────────────────────────────────

  /**
   * The keystore JSON for a backup file, after checking the password (throttled like unlock).
   * Default: the wallet's v3 file as stored (unsealed) — for a phrase wallet that is account 0's key
   * plus the phrase in ethers' x-ethers field. With `account` (a phrase wallet's other account): a
   * new v3 file of that account's key alone, under the same password.
   */
  exportKeystore(password: string, opts: { account?: number; onProgress?: Progress } = {}): Promise<string> {
    return this.exclusive(async () => {
      const view = this.accounts();
      const wanted = opts.account ?? 0;
      if (!view.accounts.some((a) => a.index === wanted)) throw new AppError('NOT_FOUND', 'There is no such account in this wallet.');
      // Account 0 of a phrase wallet, or the one key of a key wallet, is the stored file itself.
      const same = wanted === 0;
      const { account, text } = await this.checkPassword(password, same ? opts.onProgress : scale(opts.onProgress, 0, 0.5));
      if (same) return text;
      if (!account.mnemonic) throw damaged();
      const child = phraseParent(account).deriveChild(wanted);
      return encryptKeystore({ privateKey: child.privateKey }, password, this.scryptN, scale(opts.onProgress, 0.5, 1));
    });
  }

  /** The recovery phrase's words, after checking the password (throttled like unlock). Phrase wallets only. */
  revealPhrase(password: string, onProgress?: Progress): Promise<string[]> {
    return this.exclusive(async () => {
      if (this.accounts().kind !== 'phrase') throw noPhrase();
      const { account } = await this.checkPassword(password, onProgress);
      if (!account.mnemonic) throw noPhrase();
      return Mnemonic.fromEntropy(account.mnemonic.entropy).phrase.split(' ');
    });
  }

  // ── signing ───────────────────────────────────────────────────────────────────────────────────

  /** A signer for the active account, for main's own use; never handed to a transport. */
  signer(provider: Provider): WalletSigner {
    if (!this.session) throw new AppError('WALLET_LOCKED', 'Your wallet is locked. Unlock it with your password.');
    return new WalletSigner(this.keyAccess, this.activeAddress(), provider);
  }

  /** Key access for main's own sealed secrets (the operator's Numerai token): a key only while unlocked. */
  keys(): KeyAccess {
    return this.keyAccess;
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private ensureNoWallet(): void {
    if (this.files.hasKeystore()) throw new AppError('WALLET_EXISTS', 'A wallet already exists on this computer.');
  }

  /**
   * The one password check behind unlock, reveal and export: throttled, counted on disk, and
   * with one answer for every way a password can be wrong.
   */
  private async checkPassword(password: string, onProgress?: Progress): Promise<{ account: KeystoreAccount; text: string }> {
    if (typeof password !== 'string' || password.length === 0 || password.length > 1024) {
      throw new AppError('BAD_INPUT', 'Type your wallet password.');
    }
    const wait = this.throttle.waitMs();
    if (wait > 0) {
      throw new AppError('TOO_MANY_TRIES', `Too many wrong tries. Wait ${formatWait(wait)} and try again.`);
    }
    const text = this.files.readKeystore();
    let account: KeystoreAccount | null;
    try {
      account = await decryptKeystore(parseKeystore(text), password, { onProgress });
    } catch (e) {
      if (e instanceof AppError && e.code === 'BAD_INPUT') throw damaged();
      throw e;
    }
    if (!account) {
      this.throttle.recordFailure();
      throw new AppError('BAD_PASSWORD', WRONG_PASSWORD);
    }
    this.throttle.recordSuccess();
    return { account, text };
  }

  /** Builds the session from the decrypted keystore, and brings accounts.json in line with it. */
  private async openSession(account: KeystoreAccount): Promise<Session> {
    const keys = new Map<string, Wallet>();
    if (!account.mnemonic) {
      keys.set(account.address, new Wallet(account.privateKey));
      const old = belongsTo(this.files.readAccounts(), account.address);
      const fixed: AccountsFile = {
        version: 1,
        kind: 'key',
        source: old?.kind === 'key' ? old.source : 'private-key',
        accounts: [{ index: 0, address: account.address }],
        active: 0,
      };
      if (JSON.stringify(old) !== JSON.stringify(fixed)) this.saveAccounts(fixed);
      return { kind: 'key', parent: null, keys };
    }
    const parent = phraseParent(account);
    const old = belongsTo(this.files.readAccounts(), account.address);
    const indexes = old?.kind === 'phrase' ? old.accounts.map((a) => a.index) : [0];
    const accounts: AccountsFile['accounts'] = [];
    for (const index of indexes) {
      const child = parent.deriveChild(index);
      keys.set(child.address, new Wallet(child.privateKey));
      accounts.push({ index, address: child.address });
      // Each derivation is a few EC multiplications: let the event loop breathe between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const fixed: AccountsFile = {
      version: 1,
      kind: 'phrase',
      source: old?.kind === 'phrase' ? old.source : 'created',
      accounts,
      active: old?.kind === 'phrase' ? old.active : 0,
    };
    if (JSON.stringify(old) !== JSON.stringify(fixed)) this.saveAccounts(fixed);
    return { kind: 'phrase', parent, keys };
  }

  private async saveNew(secret: NewSecret, password: string, epoch: number, onProgress?: Progress): Promise<WalletState> {
    let account: KeystoreAccount;
    if (secret.kind === 'phrase') {
      const w = HDNodeWallet.fromPhrase(secret.phrase, undefined, DEFAULT_PATH);
      account = {
        address: w.address,
        privateKey: w.privateKey,
        mnemonic: { entropy: w.mnemonic!.entropy, path: DEFAULT_PATH, locale: 'en' },
      };
    } else {
      account = { address: new Wallet(secret.privateKey).address, privateKey: secret.privateKey, mnemonic: null };
    }
    const json = await encryptKeystore(account, password, this.scryptN, scale(onProgress, 0, 0.95));
    this.ensureNoWallet();
    // accounts.json first: if we crash between the two writes there is no keystore, so no wallet,
    // and the next create/import overwrites the orphan list.
    this.saveAccounts({
      version: 1,
      kind: secret.kind,
      source: secret.source,
      accounts: [{ index: 0, address: account.address }],
      active: 0,
    });
    this.files.writeKeystore(json, account.address);
    this.throttle.recordSuccess();
    // The user saw the wallet created; if they locked meanwhile, it stays locked.
    if (epoch === this.epoch) {
      this.session = await this.openSession(account);
      this.idle.start();
    }
    onProgress?.(1);
    return this.status();
  }

  private loadAccounts(ks: KeystoreOnDisk | null = this.files.inspectKeystore()): AccountsFile {
    const address = ks?.address ?? null;
    if (!this.accountsCache) this.accountsCache = belongsTo(this.files.readAccounts(), address);
    if (this.accountsCache) return this.accountsCache;
    // No list (an older install, a lost list, or one left from another wallet): rebuild it from the
    // keystore's clear fields until the next unlock checks it against the decrypted key.
    if (!ks || !address) throw damaged();
    const kind = ks.format === 'v3' && ks.hasPhrase ? 'phrase' : 'key';
    return { version: 1, kind, source: kind === 'phrase' ? 'created' : 'private-key', accounts: [{ index: 0, address }], active: 0 };
  }

  private saveAccounts(a: AccountsFile): void {
    this.files.writeAccounts(a);
    this.accountsCache = a;
  }

  private activeAddress(ks?: KeystoreOnDisk | null): string {
    const a = this.loadAccounts(ks);
    return a.accounts.find((x) => x.index === a.active)!.address;
  }
}

/** The list, if it describes the wallet whose stored key (account 0) has this address. */
function belongsTo(a: AccountsFile | null, address: string | null): AccountsFile | null {
  if (!a || !address) return a;
  return a.accounts.find((x) => x.index === 0)?.address === address ? a : null;
}

function phraseParent(account: KeystoreAccount): HDNodeWallet {
  const m = account.mnemonic!;
  const match = /^m\/44'\/60'\/0'\/0\/(\d+)$/.exec(m.path);
  if (!match) throw damaged();
  const parent = HDNodeWallet.fromMnemonic(Mnemonic.fromEntropy(m.entropy), ACCOUNT_PATH_PREFIX);
  // The phrase must give the very key the file holds, or the file is not what we wrote.
  if (parent.deriveChild(Number(match[1])).privateKey !== account.privateKey) throw damaged();
  return parent;
}

function dropSession(s: Session): void {
  s.keys.clear();
  s.parent = null;
}

function checkNewPassword(password: string): void {
  if (typeof password !== 'string' || password.length < 8 || password.length > 1024) {
    throw new AppError('BAD_INPUT', 'Choose a password of at least 8 characters.');
  }
}

function scale(onProgress: Progress | undefined, from: number, to: number): Progress | undefined {
  if (!onProgress) return undefined;
  let last = 0;
  return (f) => {
    const v = from + (to - from) * Math.min(1, Math.max(0, f));
    if (v < last) return;
    last = v;
    onProgress(v);
  };
}

function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The wallet was locked while it was opening. Unlock it again.');
}

function noPhrase(): AppError {
  return new AppError(
    'NOT_AVAILABLE',
    'This wallet was imported from a private key or a keystore file, so it has no recovery phrase. Back it up with "Export keystore" instead.',
  );
}

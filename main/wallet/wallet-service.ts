import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet, Mnemonic, Wallet, encryptKeystoreJson, getAddress, type Provider } from 'ethers';
import { AppError } from '../../shared/api';
import { writeFileAtomic } from '../store/atomic-file';
import type { EventBus } from '../ipc/events';
import { PasswordThrottle } from './throttle';
import { useNativeScrypt } from './native-scrypt';

export const DEFAULT_PATH = "m/44'/60'/0'/0/0";
const DRAFT_TTL_MS = 30 * 60_000;

type Draft = { phrase: string; positions: number[]; expires: number };
export type WalletState = { state: 'none' | 'locked' | 'unlocked'; address: string | null };

/**
 * Owns the user's key. The decrypted key lives only in this object while unlocked; `lock()` drops
 * it. At rest it is a Web3 Secret Storage v3 file that ethers, geth and MetaMask can open.
 */
export class WalletService {
  private unlocked: Wallet | HDNodeWallet | null = null;
  private drafts = new Map<string, Draft>();
  private readonly keystoreFile: string;
  private readonly throttle: PasswordThrottle;

  constructor(
    private readonly dir: string,
    private readonly events: EventBus,
    private readonly scryptN = 2 ** 17,
  ) {
    useNativeScrypt();
    this.keystoreFile = join(dir, 'keystore.json');
    this.throttle = new PasswordThrottle(join(dir, 'throttle.json'));
  }

  private storedAddress(): string | null {
    if (!existsSync(this.keystoreFile)) return null;
    const json = JSON.parse(readFileSync(this.keystoreFile, 'utf8')) as { address?: unknown };
    if (typeof json.address !== 'string') throw new AppError('INTERNAL', 'The wallet file is damaged: it names no address.');
    return getAddress(`0x${json.address.replace(/^0x/i, '')}`);
  }

  status(): WalletState {
    if (this.unlocked) return { state: 'unlocked', address: this.unlocked.address };
    const address = this.storedAddress();
    return address ? { state: 'locked', address } : { state: 'none', address: null };
  }

  createDraft(words: 12 | 24): { draftId: string; words: string[]; confirmPositions: number[] } {
    if (this.status().state !== 'none') throw new AppError('WALLET_EXISTS', 'A wallet already exists on this computer.');
    const mnemonic = Mnemonic.fromEntropy(randomBytes(words === 12 ? 16 : 32));
    const list = mnemonic.phrase.split(' ');
    const positions = new Set<number>();
    while (positions.size < 3) positions.add(randomInt(1, list.length + 1));
    const draftId = randomUUID();
    const now = Date.now();
    for (const [id, d] of this.drafts) if (d.expires < now) this.drafts.delete(id);
    this.drafts.set(draftId, { phrase: mnemonic.phrase, positions: [...positions].sort((a, b) => a - b), expires: now + DRAFT_TTL_MS });
    return { draftId, words: list, confirmPositions: this.drafts.get(draftId)!.positions };
  }

  async confirmCreate(draftId: string, password: string, confirmations: { position: number; word: string }[]): Promise<WalletState> {
    const draft = this.drafts.get(draftId);
    if (!draft || draft.expires < Date.now()) {
      throw new AppError('NOT_FOUND', 'This recovery phrase has expired. Start again to get a new one.');
    }
    const words = draft.phrase.split(' ');
    const wanted = new Set(draft.positions);
    const ok =
      confirmations.length === wanted.size &&
      confirmations.every((c) => wanted.has(c.position) && words[c.position - 1] === c.word.trim().toLowerCase());
    if (!ok) throw new AppError('BAD_CONFIRMATION', 'Those words do not match your recovery phrase. Check what you wrote down.');
    if (this.status().state !== 'none') throw new AppError('WALLET_EXISTS', 'A wallet already exists on this computer.');
    const wallet = HDNodeWallet.fromPhrase(draft.phrase, undefined, DEFAULT_PATH);
    // The keystore carries the phrase's entropy too (ethers' x-ethers field), so it can be revealed later.
    const json = await encryptKeystoreJson(
      {
        address: wallet.address,
        privateKey: wallet.privateKey,
        mnemonic: { path: DEFAULT_PATH, locale: 'en', entropy: wallet.mnemonic!.entropy },
      },
      password,
      { scrypt: { N: this.scryptN } },
    );
    writeFileAtomic(this.keystoreFile, json);
    this.drafts.delete(draftId);
    this.unlocked = wallet;
    return this.status();
  }

  async unlock(password: string): Promise<WalletState> {
    if (this.status().state === 'none') throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    if (this.unlocked) return this.status();
    const wait = this.throttle.waitMs();
    if (wait > 0) {
      throw new AppError('TOO_MANY_TRIES', `Too many wrong tries. Wait ${Math.ceil(wait / 1000)} seconds and try again.`);
    }
    try {
      this.unlocked = (await Wallet.fromEncryptedJson(readFileSync(this.keystoreFile, 'utf8'), password)) as Wallet | HDNodeWallet;
    } catch {
      this.throttle.recordFailure();
      throw new AppError('BAD_PASSWORD', 'That password does not open this wallet.');
    }
    this.throttle.recordSuccess();
    return this.status();
  }

  lock(reason: 'user' | 'idle' | 'quit' = 'user'): WalletState {
    const was = this.unlocked !== null;
    this.unlocked = null;
    if (was) this.events.emit('wallet.locked', { reason });
    return this.status();
  }

  /** A signer for main's own use; never handed to a transport. */
  signer(provider: Provider): Wallet | HDNodeWallet {
    if (!this.unlocked) throw new AppError('WALLET_LOCKED', 'Your wallet is locked. Unlock it with your password.');
    return this.unlocked.connect(provider);
  }

  address(): string {
    const s = this.status();
    if (!s.address) throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    return s.address;
  }
}

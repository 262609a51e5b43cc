import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, type Wallet } from 'ethers';
import { z } from 'zod';
import { NumeraiApiToken } from '../../shared/api/operator';
import { writeFileAtomic } from '../store/atomic-file';
import type { KeyAccess } from '../wallet/signer';
import type { KeyWrap } from '../wallet/key-wrap';

/**
 * Where a model operator's Numerai API token lives: in main only, sealed with a key that exists only
 * while the wallet is unlocked. The operator's round has to sign anyway (stakeRound), so needing the
 * unlocked wallet to read the token costs the person nothing and means a copy of the user-data folder
 * (or a stolen laptop with the app locked) does not give away a token that can stake for their models.
 *
 * The sealing key is HKDF-SHA256 of the account's private key with a random salt per file, not a
 * second scrypt of the password: the private key already carries the password's full scrypt cost,
 * and the operator's timer must open the token without asking for the password again. AES-256-GCM
 * authenticates the whole envelope (account and format included as associated data), so a file moved
 * to another account or edited by hand fails to open instead of yielding a wrong token. When the OS
 * keychain is available (Electron's safeStorage), the envelope is wrapped once more, as the keystore is.
 */

export const TOKEN_FILE = 'numerai-token.json';
const FORMAT = 'nmr-delegate-numerai-token';
const HKDF_INFO = 'nmr-delegate numerai-api-token v1';

const Hex = z.string().regex(/^[0-9a-f]*$/);
const Envelope = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  account: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  salt: Hex.length(32),
  iv: Hex.length(24),
  tag: Hex.length(32),
  data: Hex.max(2048),
});
type Envelope = z.infer<typeof Envelope>;

const Wrapped = z.strictObject({
  format: z.literal(`${FORMAT}-wrapped`),
  version: z.literal(1),
  wrap: z.string(),
  data: z.string().max(8192),
});

export class TokenVaultError extends Error {
  constructor(
    readonly kind: 'locked' | 'damaged' | 'other-account' | 'keychain',
    message: string,
  ) {
    super(message);
    this.name = 'TokenVaultError';
  }
}

function sealingKey(wallet: Wallet, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(wallet.privateKey.slice(2), 'hex'), salt, HKDF_INFO, 32));
}

function associatedData(account: string): Buffer {
  return Buffer.from(`${FORMAT}:1:${account}`, 'utf8');
}

/** Seals `token` for `wallet`'s account; exported for tests of the envelope. */
export function sealToken(token: string, wallet: Wallet): Envelope {
  const account = getAddress(wallet.address);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(wallet, salt), iv);
  cipher.setAAD(associatedData(account));
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return {
    format: FORMAT,
    version: 1,
    account,
    salt: salt.toString('hex'),
    iv: iv.toString('hex'),
    tag: cipher.getAuthTag().toString('hex'),
    data: data.toString('hex'),
  };
}

export function openToken(envelope: Envelope, wallet: Wallet): string {
  if (getAddress(envelope.account) !== getAddress(wallet.address)) {
    throw new TokenVaultError('other-account', 'The saved Numerai API token belongs to another account of this wallet.');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sealingKey(wallet, Buffer.from(envelope.salt, 'hex')),
      Buffer.from(envelope.iv, 'hex'),
    );
    decipher.setAAD(associatedData(getAddress(envelope.account)));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenVaultError(
      'damaged',
      'The saved Numerai API token could not be read (the file was changed or damaged). Enter the token again.',
    );
  }
}

/** Shows that a token is set without showing it: the first 4 characters and the length. */
export function redactToken(token: string): string {
  return `${token.slice(0, 4)}… (${token.length} characters)`;
}

/**
 * One token per account, in `<dir>/numerai-token.json` (written atomically, mode 0600). Every read
 * of the token goes through `KeyAccess.withKey`, so a locked wallet yields WALLET_LOCKED, never the token.
 */
export class TokenVault {
  constructor(
    private readonly dir: string,
    private readonly keys: KeyAccess,
    private readonly keyWrap: KeyWrap | null = null,
  ) {}

  private get path(): string {
    return join(this.dir, TOKEN_FILE);
  }

  /** Which account has a token saved, without opening it (for "Token saved" in Settings while locked). */
  savedFor(): string | null {
    const envelope = this.readEnvelope();
    return envelope ? getAddress(envelope.account) : null;
  }

  async save(account: string, token: string): Promise<void> {
    const parsed = NumeraiApiToken.parse(token);
    const envelope = await this.keys.withKey(account, (wallet) => Promise.resolve(sealToken(parsed, wallet)));
    const text = JSON.stringify(envelope);
    const out = this.keyWrap
      ? JSON.stringify({
          format: `${FORMAT}-wrapped`,
          version: 1,
          wrap: this.keyWrap.kind,
          data: this.keyWrap.wrap(Buffer.from(text, 'utf8')).toString('base64'),
        })
      : text;
    writeFileAtomic(this.path, out, 0o600);
  }

  /** The token for `account`, or null when none is saved. Throws TokenVaultError or the wallet's lock error. */
  async open(account: string): Promise<string | null> {
    const envelope = this.readEnvelope();
    if (!envelope) return null;
    return this.keys.withKey(account, (wallet) => Promise.resolve(openToken(envelope, wallet)));
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }

  private readEnvelope(): Envelope | null {
    if (!existsSync(this.path)) return null;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      throw new TokenVaultError('damaged', 'The saved Numerai API token file is damaged. Enter the token again.');
    }
    const wrapped = Wrapped.safeParse(json);
    if (wrapped.success) {
      if (!this.keyWrap || this.keyWrap.kind !== wrapped.data.wrap) {
        throw new TokenVaultError(
          'keychain',
          "The saved Numerai API token is locked by this computer's keychain, which is not available now.",
        );
      }
      try {
        json = JSON.parse(this.keyWrap.unwrap(Buffer.from(wrapped.data.data, 'base64')).toString('utf8'));
      } catch {
        throw new TokenVaultError(
          'keychain',
          "This computer's keychain could not open the saved Numerai API token. Enter the token again.",
        );
      }
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) throw new TokenVaultError('damaged', 'The saved Numerai API token file is damaged. Enter the token again.');
    return envelope.data;
  }
}

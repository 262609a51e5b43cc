import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { z } from 'zod';
import { AppError } from '../../shared/api';
import { writeFileAtomic } from '../store/atomic-file';
import type { KeyWrap } from './key-wrap';
import { KEYSTORE_FILE, WRAP_FORMAT, writeKeystoreFile } from './keystore-file';

/**
 * The wallet's files, in one folder (<userData>/wallet):
 * - keystore.json  the key: a Web3 Secret Storage v3 file, or (with a KeyWrap) that file sealed by
 *                  the OS keychain inside a small JSON envelope. Mode 0600, written atomically.
 * - accounts.json  which accounts exist and which is active: indexes and addresses, no secrets.
 * - throttle.json  wrong-password count and time of the last one (throttle.ts).
 * This file knows nothing about cryptography beyond the wrap: it moves bytes to and from disk.
 */

export { KEYSTORE_FILE };
export const ACCOUNTS_FILE = 'accounts.json';
export const THROTTLE_FILE = 'throttle.json';

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

const Envelope = z.object({
  format: z.literal(WRAP_FORMAT),
  version: z.literal(1),
  wrap: z.string().min(1).max(200),
  /** In clear, like a v3 file's own address field: lets the app show which wallet it is while locked. */
  address: Address,
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

export const AccountsFile = z
  .object({
    version: z.literal(1),
    /** 'phrase': accounts m/44'/60'/0'/0/i from one phrase; 'key': exactly one account. */
    kind: z.enum(['phrase', 'key']),
    source: z.enum(['created', 'phrase', 'private-key', 'keystore']),
    accounts: z
      .array(
        z.object({
          index: z
            .number()
            .int()
            .min(0)
            .max(2 ** 31 - 1),
          address: Address,
        }),
      )
      .min(1)
      .max(1000),
    active: z.number().int().min(0),
  })
  .refine((a) => new Set(a.accounts.map((x) => x.index)).size === a.accounts.length, 'duplicate account index')
  .refine((a) => a.accounts.some((x) => x.index === a.active), 'active account not in the list')
  .refine((a) => a.kind === 'phrase' || (a.accounts.length === 1 && a.accounts[0]!.index === 0), 'a key wallet has one account');
export type AccountsFile = z.infer<typeof AccountsFile>;

export type KeystoreOnDisk =
  { format: 'v3'; address: string | null; hasPhrase: boolean } | { format: 'wrapped'; wrap: string; address: string };

export class WalletFiles {
  readonly keystorePath: string;
  readonly accountsPath: string;
  readonly throttlePath: string;

  constructor(
    readonly dir: string,
    private readonly keyWrap: KeyWrap | null,
  ) {
    this.keystorePath = join(dir, KEYSTORE_FILE);
    this.accountsPath = join(dir, ACCOUNTS_FILE);
    this.throttlePath = join(dir, THROTTLE_FILE);
  }

  hasKeystore(): boolean {
    return existsSync(this.keystorePath);
  }

  /** What the keystore file is, without decrypting anything. Null when there is none. */
  inspectKeystore(): KeystoreOnDisk | null {
    if (!this.hasKeystore()) return null;
    const json = this.readJson(this.keystorePath);
    const env = Envelope.safeParse(json);
    if (env.success) return { format: 'wrapped', wrap: env.data.wrap, address: getAddress(env.data.address) };
    const o = json as { address?: unknown; 'x-ethers'?: unknown };
    const address =
      typeof o.address === 'string' && /^(0x)?[0-9a-fA-F]{40}$/.test(o.address)
        ? getAddress(`0x${o.address.replace(/^0x/i, '').toLowerCase()}`)
        : null;
    return { format: 'v3', address, hasPhrase: !!o['x-ethers'] };
  }

  /** The v3 keystore text, unsealed if it was sealed. */
  readKeystore(): string {
    const text = readFileSync(this.keystorePath, 'utf8');
    const env = Envelope.safeParse(this.parse(text));
    if (!env.success) return text;
    if (!this.keyWrap) {
      throw new AppError(
        'NOT_AVAILABLE',
        "Your wallet file is sealed with this computer's keychain, which the app cannot use right now. Log in to your desktop session normally and start the app again, or restore the wallet from its recovery phrase.",
      );
    }
    try {
      return this.keyWrap.unwrap(Buffer.from(env.data.data, 'base64')).toString('utf8');
    } catch {
      throw new AppError(
        'NOT_AVAILABLE',
        'Your wallet file is sealed with a keychain this computer cannot open (another user, another computer, or a reset keychain). Restore the wallet from its recovery phrase or a keystore backup.',
      );
    }
  }

  /** Writes the v3 text, sealed when a KeyWrap is configured. Atomic; mode 0600. */
  writeKeystore(v3: string, address: string): void {
    writeKeystoreFile(this.dir, v3, getAddress(address), this.keyWrap);
  }

  /** True when the file on disk is plain v3 but we could seal it now. */
  wantsSealing(): boolean {
    return this.keyWrap !== null && this.inspectKeystore()?.format === 'v3';
  }

  readAccounts(): AccountsFile | null {
    if (!existsSync(this.accountsPath)) return null;
    try {
      const parsed = AccountsFile.safeParse(JSON.parse(readFileSync(this.accountsPath, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  writeAccounts(a: AccountsFile): void {
    writeFileAtomic(this.accountsPath, JSON.stringify(AccountsFile.parse(a), null, 2), 0o600);
  }

  /** Temp files left by a write that a crash interrupted (the real files are intact: see atomic-file.ts). */
  removeStaleTemps(): void {
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)) {
      if (/^\.(keystore|accounts|throttle)\.json\.[0-9a-f]{12}\.tmp$/.test(name)) rmSync(join(this.dir, name), { force: true });
    }
  }

  private readJson(path: string): unknown {
    return this.parse(readFileSync(path, 'utf8'));
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError(
        'INTERNAL',
        'Your wallet file is damaged: it is not valid JSON. Restore the wallet from its recovery phrase or a keystore backup.',
      );
    }
  }
}

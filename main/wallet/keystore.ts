import { createDecipheriv, timingSafeEqual } from 'node:crypto';
import { computeAddress, encryptKeystoreJson, getAddress, keccak256, toUtf8Bytes } from 'ethers';
import { z } from 'zod';
import { AppError } from '../../shared/api';
import { KDF_LIMITS, defaultScrypt, expectedScryptMs, pbkdf2Native, withEstimatedProgress, type Progress, type ScryptImpl } from './kdf';
import { useNativeScrypt, withinRfcBound } from './native-scrypt';

/**
 * Web3 Secret Storage v3 ("keystore") files: parsing with clear errors, decryption with our own
 * KDF choice (native scrypt / native pbkdf2 / the unbounded fallback), and encryption through
 * ethers' `encryptKeystoreJson`, so the files we write are byte-for-byte the format ethers writes.
 */

export const MAX_KEYSTORE_CHARS = 64 * 1024;

export type Kdf =
  | { kind: 'scrypt'; salt: Buffer; N: number; r: number; p: number }
  | { kind: 'pbkdf2'; salt: Buffer; c: number; digest: 'sha256' | 'sha512' };

export interface ParsedKeystore {
  /** Checksummed address the file names, if it names one. */
  address: string | null;
  kdf: Kdf;
  iv: Buffer;
  ciphertext: Buffer;
  mac: Buffer;
  /** ethers' "x-ethers" extension: the recovery phrase's entropy, encrypted with the second half of the key. */
  mnemonic: { iv: Buffer; ciphertext: Buffer; path: string; locale: string } | null;
}

export interface KeystoreAccount {
  address: string;
  /** 0x-prefixed, 64 hex digits. */
  privateKey: string;
  mnemonic: { entropy: string; path: string; locale: string } | null;
}

const bad = (message: string) => new AppError('BAD_INPUT', message);

const Hex = z
  .string()
  .regex(/^(0x)?([0-9a-fA-F]{2})*$/)
  .transform((s) => Buffer.from(s.replace(/^0x/i, ''), 'hex'));
const Int = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^[0-9]{1,16}$/)
      .transform(Number),
  ])
  .pipe(z.number().int().safe());

const ScryptParams = z.object({ n: Int, r: Int, p: Int, dklen: Int, salt: Hex });
const Pbkdf2Params = z.object({ c: Int, dklen: Int, prf: z.string(), salt: Hex });
const CryptoSection = z.object({
  cipher: z.string(),
  cipherparams: z.object({ iv: Hex }),
  ciphertext: Hex,
  kdf: z.string(),
  kdfparams: z.record(z.string(), z.unknown()),
  mac: Hex,
});
const XEthers = z.object({
  version: z.literal('0.1'),
  mnemonicCounter: Hex,
  mnemonicCiphertext: Hex,
  path: z.string().max(200).optional(),
  locale: z.string().max(20).optional(),
});

/** Field lookup the way geth (Go's encoding/json) and ethers do it: key names are case-insensitive. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : obj[key];
}
function lowerKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

/** Parses a keystore file's text. Every problem becomes a BAD_INPUT error a person can act on. */
export function parseKeystore(text: string): ParsedKeystore {
  if (text.length > MAX_KEYSTORE_CHARS) throw bad('This file is too large to be a keystore file.');
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw bad('This is not a keystore file: it is not valid JSON.');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('This is not a keystore file.');
  const obj = json as Record<string, unknown>;
  const version = field(obj, 'version');
  if (Number(version) !== 3) {
    throw bad('This is not a version 3 keystore file (the kind geth, MetaMask and ethers write).');
  }
  const crypto = CryptoSection.safeParse(lowerKeys(field(obj, 'crypto')));
  if (!crypto.success) throw bad('This keystore file is incomplete or damaged: its "crypto" section is missing or malformed.');
  const c = crypto.data;
  if (c.cipher.toLowerCase() !== 'aes-128-ctr') {
    throw bad('This keystore file is encrypted in a way the app does not support (only the standard one, aes-128-ctr).');
  }
  if (c.cipherparams.iv.length !== 16 || c.ciphertext.length !== 32 || c.mac.length !== 32) {
    throw bad('This keystore file is damaged: part of it is missing or cut short.');
  }

  let kdf: Kdf;
  const kdfName = c.kdf.toLowerCase();
  if (kdfName === 'scrypt') {
    const k = ScryptParams.safeParse(c.kdfparams);
    if (!k.success) throw bad('This keystore file is damaged: its scrypt parameters are missing or malformed.');
    const { n: N, r, p, dklen, salt } = k.data;
    if (dklen !== 32) throw bad('This keystore file uses settings no standard wallet writes (a derived key length other than 32).');
    if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 30 || r < 1 || p < 1 || r > 1024 || p > 1024) {
      throw bad('This keystore file has invalid scrypt parameters.');
    }
    const bounded = withinRfcBound(N, r);
    const maxMem = bounded ? KDF_LIMITS.scryptMaxMemBytes : KDF_LIMITS.fallbackMaxMemBytes;
    const maxWork = bounded ? KDF_LIMITS.scryptMaxWork : KDF_LIMITS.fallbackMaxWork;
    if (128 * N * r > maxMem || N * r * p > maxWork) {
      throw bad('This keystore file asks for an unusually expensive key derivation; the app refuses it so it cannot freeze your computer.');
    }
    kdf = { kind: 'scrypt', salt, N, r, p };
  } else if (kdfName === 'pbkdf2') {
    const k = Pbkdf2Params.safeParse(c.kdfparams);
    if (!k.success) throw bad('This keystore file is damaged: its pbkdf2 parameters are missing or malformed.');
    const { c: iterations, dklen, prf, salt } = k.data;
    if (dklen !== 32) throw bad('This keystore file uses settings no standard wallet writes (a derived key length other than 32).');
    const digest = prf.toLowerCase() === 'hmac-sha256' ? 'sha256' : prf.toLowerCase() === 'hmac-sha512' ? 'sha512' : null;
    if (!digest) throw bad('This keystore file uses a pbkdf2 variant the app does not support (only hmac-sha256 and hmac-sha512).');
    if (iterations < 1) throw bad('This keystore file has invalid pbkdf2 parameters.');
    if (iterations > KDF_LIMITS.pbkdf2MaxIterations) {
      throw bad('This keystore file asks for an unusually expensive key derivation; the app refuses it so it cannot freeze your computer.');
    }
    kdf = { kind: 'pbkdf2', salt, c: iterations, digest };
  } else {
    throw bad('This keystore file protects its key in a way the app does not support (only the standard ones, scrypt and pbkdf2).');
  }

  let address: string | null = null;
  const rawAddress = field(obj, 'address');
  if (rawAddress !== undefined && rawAddress !== null && rawAddress !== '') {
    if (typeof rawAddress !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(rawAddress)) {
      throw bad('This keystore file is damaged: the address it names is not an address.');
    }
    address = getAddress(`0x${rawAddress.replace(/^0x/i, '').toLowerCase()}`);
  }

  let mnemonic: ParsedKeystore['mnemonic'] = null;
  const xe = field(obj, 'x-ethers');
  if (xe && typeof xe === 'object' && field(xe as Record<string, unknown>, 'version') === '0.1') {
    const x = XEthers.safeParse(xe);
    if (!x.success) throw bad('This keystore file is damaged: its ethers recovery-phrase section is malformed.');
    if (x.data.mnemonicCounter.length !== 16 || x.data.mnemonicCiphertext.length < 16 || x.data.mnemonicCiphertext.length > 32) {
      throw bad('This keystore file is damaged: its ethers recovery-phrase section is malformed.');
    }
    mnemonic = {
      iv: x.data.mnemonicCounter,
      ciphertext: x.data.mnemonicCiphertext,
      path: x.data.path ?? "m/44'/60'/0'/0/0",
      locale: x.data.locale ?? 'en',
    };
  }
  return { address, kdf, iv: c.cipherparams.iv, ciphertext: c.ciphertext, mac: c.mac, mnemonic };
}

/** Rough duration of this file's key derivation, for progress estimates. */
export function kdfCost(kdf: Kdf): number {
  return kdf.kind === 'scrypt' ? expectedScryptMs(kdf.N, kdf.r, kdf.p) : kdf.c / 2000;
}

export interface DecryptOptions {
  onProgress?: Progress;
  /** The scrypt to use; default: native (thread pool), or the unbounded fallback when needed. */
  scrypt?: ScryptImpl;
  /**
   * Which password encodings to try. ethers (and so our own files) use the NFKC form's UTF-8;
   * geth and others use the raw UTF-8. 'ours' tries NFKC only; 'any' also tries the raw form when
   * it differs (a second derivation only for passwords whose NFKC form differs).
   */
  encodings?: 'ours' | 'any';
}

/**
 * Decrypts a keystore. Returns null when the password is wrong (the MAC does not match); throws
 * BAD_INPUT when the file is damaged in a way the MAC cannot catch.
 */
export async function decryptKeystore(ks: ParsedKeystore, password: string, opts: DecryptOptions = {}): Promise<KeystoreAccount | null> {
  const nfkc = Buffer.from(toUtf8Bytes(password, 'NFKC'));
  const candidates = [nfkc];
  if (opts.encodings === 'any') {
    const raw = Buffer.from(password, 'utf8');
    if (!raw.equals(nfkc)) candidates.push(raw);
  }
  try {
    for (const [i, pw] of candidates.entries()) {
      const step = opts.onProgress ? (f: number) => opts.onProgress!((i + f) / candidates.length) : undefined;
      const key = await deriveKey(ks, pw, step);
      try {
        const account = openWithKey(ks, key);
        if (account) {
          opts.onProgress?.(1);
          return account;
        }
      } finally {
        key.fill(0);
      }
    }
    opts.onProgress?.(1);
    return null;
  } finally {
    for (const pw of candidates) pw.fill(0);
  }

  async function deriveKey(k: ParsedKeystore, pw: Buffer, onProgress?: Progress): Promise<Buffer> {
    // x-ethers needs 64 bytes (the second half encrypts the phrase). For scrypt the extra bytes
    // are free; for pbkdf2 each 32 bytes cost a full run, so only derive them when needed.
    const dkLen = k.mnemonic ? 64 : 32;
    if (k.kdf.kind === 'pbkdf2') {
      return withEstimatedProgress(pbkdf2Native(pw, k.kdf.salt, k.kdf.c, dkLen, k.kdf.digest), kdfCost(k.kdf), onProgress);
    }
    const impl = opts.scrypt ?? defaultScrypt;
    const out = await impl(pw, k.kdf.salt, k.kdf.N, k.kdf.r, k.kdf.p, dkLen, onProgress);
    return typeof out === 'string' ? Buffer.from(out.replace(/^0x/, ''), 'hex') : Buffer.from(out);
  }
}

function openWithKey(ks: ParsedKeystore, key: Buffer): KeystoreAccount | null {
  const mac = Buffer.from(keccak256(Buffer.concat([key.subarray(16, 32), ks.ciphertext])).slice(2), 'hex');
  if (!timingSafeEqual(mac, ks.mac)) return null;
  const d = createDecipheriv('aes-128-ctr', key.subarray(0, 16), ks.iv);
  const priv = Buffer.concat([d.update(ks.ciphertext), d.final()]);
  const privateKey = `0x${priv.toString('hex')}`;
  priv.fill(0);
  if (!isValidPrivateKey(privateKey)) throw bad('This keystore file is damaged: the key inside is not a valid key.');
  const address = computeAddress(privateKey);
  if (ks.address && ks.address !== address) {
    throw bad('This keystore file is damaged: the key inside does not match the address the file names.');
  }
  let mnemonic: KeystoreAccount['mnemonic'] = null;
  if (ks.mnemonic) {
    const m = createDecipheriv('aes-256-ctr', key.subarray(32, 64), ks.mnemonic.iv);
    const entropy = Buffer.concat([m.update(ks.mnemonic.ciphertext), m.final()]);
    mnemonic = { entropy: `0x${entropy.toString('hex')}`, path: ks.mnemonic.path, locale: ks.mnemonic.locale };
    entropy.fill(0);
  }
  return { address, privateKey, mnemonic };
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export function isValidPrivateKey(hex: string): boolean {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) return false;
  const k = BigInt(hex);
  return k > 0n && k < SECP256K1_N;
}

/**
 * Encrypts an account into a v3 keystore with scrypt (N, r=8, p=1) through ethers, with Node's
 * native scrypt registered, so the file is exactly what ethers writes (including ethers' x-ethers
 * phrase field for phrase wallets) and opens in ethers, geth and MetaMask.
 */
export async function encryptKeystore(
  account: { privateKey: string; mnemonic?: { entropy: string; path: string } | null },
  password: string,
  N: number,
  onProgress?: Progress,
): Promise<string> {
  useNativeScrypt();
  const address = computeAddress(account.privateKey);
  const work = encryptKeystoreJson(
    {
      address,
      privateKey: account.privateKey,
      ...(account.mnemonic ? { mnemonic: { path: account.mnemonic.path, locale: 'en', entropy: account.mnemonic.entropy } } : {}),
    },
    password,
    { scrypt: { N, r: 8, p: 1 } },
  );
  return withEstimatedProgress(work, expectedScryptMs(N, 8, 1), onProgress);
}

import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file';
import type { KeyWrap } from './key-wrap';

/**
 * Writing the key file — the one write that must never tear. Kept free of heavy imports: the crash
 * test starts a process running exactly this code more than a hundred times.
 */

export const KEYSTORE_FILE = 'keystore.json';
export const WRAP_FORMAT = 'nmr-delegate-wrapped-keystore';

/** The sealed form: a small JSON envelope around the keychain-encrypted v3 text. */
export function sealKeystore(v3: string, address: string, keyWrap: KeyWrap): string {
  const data = keyWrap.wrap(Buffer.from(v3, 'utf8')).toString('base64');
  return JSON.stringify({ format: WRAP_FORMAT, version: 1, wrap: keyWrap.kind, address, data });
}

/**
 * Writes `<dir>/keystore.json`: the v3 text as is, or sealed when a KeyWrap is given. Atomic
 * (temp file, fsync, rename, fsync of the folder) and mode 0600. `address` must be checksummed.
 */
export function writeKeystoreFile(dir: string, v3: string, address: string, keyWrap: KeyWrap | null): void {
  writeFileAtomic(join(dir, KEYSTORE_FILE), keyWrap ? sealKeystore(v3, address, keyWrap) : v3, 0o600);
}

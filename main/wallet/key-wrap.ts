/**
 * An optional second lock around the keystore file, from the operating system's keychain
 * (Electron's safeStorage: Keychain on macOS, DPAPI on Windows, the Secret Service/KWallet on
 * Linux). With it, a copy of the file alone is useless without the user's OS login as well.
 */
export interface KeyWrap {
  /** Written into the file so a reader knows what sealed it, e.g. 'electron-safeStorage:gnome_libsecret'. */
  readonly kind: string;
  wrap(bytes: Uint8Array): Buffer;
  /** Throws if the bytes were not sealed by this keychain (another user, another machine, keyring reset). */
  unwrap(bytes: Uint8Array): Buffer;
}

/** The part of Electron's `safeStorage` we use (typed structurally so this file needs no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/**
 * Adapts Electron's safeStorage, or returns null when it would add nothing: when encryption is not
 * available, or on Linux with the 'basic_text' backend (a hard-coded password, i.e. no protection)
 * or 'unknown'. Call it after app 'ready'.
 */
export function safeStorageWrap(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeyWrap | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  let backend: string = platform;
  if (platform === 'linux') {
    backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return null;
  }
  return {
    kind: `electron-safeStorage:${backend}`,
    // safeStorage takes strings; base64 keeps any bytes intact through it.
    wrap: (bytes) => safeStorage.encryptString(Buffer.from(bytes).toString('base64')),
    unwrap: (bytes) => Buffer.from(safeStorage.decryptString(Buffer.from(bytes)), 'base64'),
  };
}

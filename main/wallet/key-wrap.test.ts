import { describe, expect, it } from 'vitest';
import { safeStorageWrap, type SafeStorageLike } from './key-wrap';

function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(`enc:${s}`),
    decryptString: (b) => {
      const s = b.toString();
      if (!s.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return s.slice(4);
    },
    getSelectedStorageBackend: () => backend,
  };
}

describe('safeStorageWrap', () => {
  it('wraps and unwraps any bytes through safeStorage', () => {
    const wrap = safeStorageWrap(fakeSafeStorage('gnome_libsecret'), 'linux')!;
    expect(wrap.kind).toBe('electron-safeStorage:gnome_libsecret');
    const bytes = Buffer.from([0, 255, 10, 13, 128, 1]);
    expect(wrap.unwrap(wrap.wrap(bytes)).equals(bytes)).toBe(true);
    expect(() => wrap.unwrap(Buffer.from('garbage'))).toThrow();
    expect(safeStorageWrap(fakeSafeStorage('n/a'), 'darwin')!.kind).toBe('electron-safeStorage:darwin');
  });

  it("adds nothing on Linux's basic_text backend or when encryption is unavailable", () => {
    expect(safeStorageWrap(fakeSafeStorage('basic_text'), 'linux')).toBeNull();
    expect(safeStorageWrap(fakeSafeStorage('unknown'), 'linux')).toBeNull();
    expect(safeStorageWrap(fakeSafeStorage('kwallet5', false), 'linux')).toBeNull();
  });
});

import { scrypt as nodeScrypt } from 'node:crypto';
import { scrypt as ethersScrypt, getBytes, hexlify } from 'ethers';

let registered = false;

/** RFC 7914 §2: N must be less than 2^(128·r/8). OpenSSL (and @noble/hashes) enforce it. */
export function withinRfcBound(N: number, r: number): boolean {
  return 16 * r >= 53 || N < 2 ** (16 * r);
}

/**
 * Node's scrypt: native (OpenSSL) and run on the libuv thread pool, so the event loop stays free
 * while it works. Rejects parameters outside RFC 7914's bound (see scrypt-unbounded.ts for those).
 */
export function nativeScrypt(password: Uint8Array, salt: Uint8Array, N: number, r: number, p: number, dkLen: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) =>
    nodeScrypt(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * ethers' scrypt is pure JS on the event loop (~0.6–0.8 s at N=2^17 here). Registering Node's
 * native one makes ethers' `encryptKeystoreJson` (which we use to write keystores, so the files
 * stay exactly what ethers writes) run on the thread pool. Our own decryption (keystore.ts) calls
 * the KDFs directly and does not depend on this registration; ethers' pure-JS scrypt stays
 * reachable as `scrypt._` (the bench compares the two).
 */
export function useNativeScrypt(): void {
  if (registered) return;
  registered = true;
  ethersScrypt.register(async (passwd, salt, N, r, p, dkLen, progress) => {
    progress?.(0);
    const key = await nativeScrypt(getBytes(passwd), getBytes(salt), N, r, p, dkLen);
    progress?.(1);
    const hex = hexlify(key);
    key.fill(0);
    return hex;
  });
}

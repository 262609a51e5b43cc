import { scrypt as nodeScrypt } from 'node:crypto';
import { scrypt as ethersScrypt, getBytes, hexlify } from 'ethers';

let registered = false;

/**
 * ethers' scrypt is pure JS on the event loop (~0.6 s at N=2^17 here, freezing everything). Node's
 * is native and runs on the libuv thread pool, so the loop stays free while a keystore opens.
 */
export function useNativeScrypt(): void {
  if (registered) return;
  registered = true;
  ethersScrypt.register(async (passwd, salt, N, r, p, dkLen, progress) => {
    progress?.(0);
    const key = await new Promise<Buffer>((resolve, reject) =>
      nodeScrypt(getBytes(passwd), getBytes(salt), dkLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, k) =>
        err ? reject(err) : resolve(k),
      ),
    );
    progress?.(1);
    return hexlify(key);
  });
}

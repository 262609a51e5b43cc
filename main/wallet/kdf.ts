import { pbkdf2 } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { nativeScrypt, withinRfcBound } from './native-scrypt';
import { scryptUnbounded, type ScryptArgs } from './scrypt-unbounded';

/** A progress callback: a fraction from 0 to 1, never going backwards, ending with 1. */
export type Progress = (fraction: number) => void;

/** Same shape as ethers' `scrypt._`, so the bench can run ethers' pure-JS scrypt through our code. */
export type ScryptImpl = (...args: [...ScryptArgs, onProgress?: Progress]) => Promise<Uint8Array | string>;

/**
 * What an imported keystore may ask for. geth's "standard" files are N=2^18, r=8, p=1 (256 MiB,
 * ~1.3 s here); these limits leave room above that and refuse files that would freeze the machine.
 */
export const KDF_LIMITS = {
  scryptMaxMemBytes: 512 * 1024 * 1024,
  scryptMaxWork: 2 ** 23, // N·r·p; geth standard is 2^21
  /** The unbounded JS fallback is slower and on the main thread (in slices): keep it smaller. */
  fallbackMaxMemBytes: 256 * 1024 * 1024,
  fallbackMaxWork: 2 ** 22,
  pbkdf2MaxIterations: 10_000_000,
} as const;

// Native scrypt gives no progress of its own. We estimate it from the time the last run took per
// unit of work (N·r·p); the first guess is this machine's figure (~0.65 s for 2^17·8).
let msPerWorkUnit = 650 / 2 ** 20;

/** Reports an estimated progress (capped at 0.95) every 100 ms while `work` runs, then 1. */
export async function withEstimatedProgress<T>(work: Promise<T>, expectedMs: number, onProgress?: Progress): Promise<T> {
  if (!onProgress) return work;
  const start = performance.now();
  onProgress(0);
  const timer = setInterval(() => onProgress(Math.min(0.95, (performance.now() - start) / Math.max(1, expectedMs))), 100);
  try {
    const result = await work;
    onProgress(1);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** Our scrypt: native on the thread pool, or the unbounded fallback for files outside RFC 7914's bound. */
export const defaultScrypt: ScryptImpl = async (password, salt, N, r, p, dkLen, onProgress) => {
  if (!withinRfcBound(N, r)) {
    return scryptUnbounded(password, salt, N, r, p, dkLen, { onProgress, maxMemBytes: KDF_LIMITS.fallbackMaxMemBytes });
  }
  const start = performance.now();
  const key = await withEstimatedProgress(nativeScrypt(password, salt, N, r, p, dkLen), N * r * p * msPerWorkUnit, onProgress);
  msPerWorkUnit = (performance.now() - start) / (N * r * p);
  return key;
};

export function pbkdf2Native(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
  digest: 'sha256' | 'sha512',
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, dkLen, digest, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Expected duration of a native scrypt, for progress estimates elsewhere (encryption). */
export function expectedScryptMs(N: number, r: number, p: number): number {
  return N * r * p * msPerWorkUnit;
}

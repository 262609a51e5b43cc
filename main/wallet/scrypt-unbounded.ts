import { pbkdf2Sync } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * scrypt (RFC 7914) in plain TypeScript, WITHOUT the RFC's "N < 2^(128·r/8)" parameter bound.
 *
 * Why it exists: some real keystore files break that bound — e.g. the Web3 Secret Storage test
 * vector "test2" (n=2^18, r=1, p=8, the parameters pyethereum used). geth opens them; Node's
 * OpenSSL scrypt and @noble/hashes (ethers) refuse them. The bound is a consistency rule of the
 * RFC, not a security property: Integerify reads the first 32-bit word of the last 64-byte block,
 * which is well defined for any N ≤ 2^32. So for such files only, we compute the same function
 * here. Everything else (our own files, and every file inside the bound) uses Node's native scrypt.
 *
 * Properties:
 * - Never blocks the event loop for long: the work is cut into slices of `sliceMs` (default 8 ms)
 *   and yields with setImmediate between them.
 * - Reports real progress (0…1).
 * - Checked against RFC 7914's vectors, against Node's native scrypt on random in-bound
 *   parameters, and end-to-end against test2's MAC (see scrypt-unbounded.test.ts).
 * - Refuses parameters whose memory or work would freeze the machine (callers set the limits).
 */
export interface UnboundedScryptOptions {
  onProgress?: (fraction: number) => void;
  sliceMs?: number;
  /** Largest 128·r·N the caller accepts, in bytes. */
  maxMemBytes?: number;
}

const DEFAULT_MAX_MEM = 256 * 1024 * 1024;

/** scrypt's inputs, in the order of RFC 7914 (and of ethers' `scrypt._`, see kdf.ts's ScryptImpl). */
export type ScryptArgs = [password: Uint8Array, salt: Uint8Array, N: number, r: number, p: number, dkLen: number];

export async function scryptUnbounded(...args: [...ScryptArgs, opts?: UnboundedScryptOptions]): Promise<Buffer> {
  const [password, salt, N, r, p, dkLen, opts = {}] = args;
  const maxMem = opts.maxMemBytes ?? DEFAULT_MAX_MEM;
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** 32 || (N & (N - 1)) !== 0) throw new RangeError('scrypt: N must be a power of 2');
  if (!Number.isSafeInteger(r) || r < 1 || !Number.isSafeInteger(p) || p < 1)
    throw new RangeError('scrypt: r and p must be positive integers');
  if (!Number.isSafeInteger(dkLen) || dkLen < 1 || dkLen > 1024) throw new RangeError('scrypt: bad output length');
  if (128 * r * N > maxMem || 128 * r * p > maxMem) throw new RangeError('scrypt: parameters need too much memory');

  const sliceMs = opts.sliceMs ?? 8;
  const words = 32 * r; // one block of 128·r bytes, in 32-bit words
  const bBytes = pbkdf2Sync(password, salt, 1, p * 128 * r, 'sha256');
  const B = new Uint32Array(p * words);
  for (let i = 0; i < B.length; i++) B[i] = bBytes.readUInt32LE(i * 4);

  const V = new Uint32Array(words * N);
  const X = new Uint32Array(words);
  const Y = new Uint32Array(words);
  const T = new Uint32Array(16);
  const total = 2 * N * p;
  let done = 0;
  let sliceStart = performance.now();
  opts.onProgress?.(0);

  const maybeYield = async (): Promise<void> => {
    if (performance.now() - sliceStart < sliceMs) return;
    opts.onProgress?.(done / total);
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };

  try {
    for (let i = 0; i < p; i++) {
      X.set(B.subarray(i * words, (i + 1) * words));
      for (let j = 0; j < N; j++) {
        V.set(X, j * words);
        blockMix(X, Y, T, r);
        done++;
        if ((j & 63) === 63) await maybeYield();
      }
      const last = (2 * r - 1) * 16;
      for (let j = 0; j < N; j++) {
        // Integerify(X) mod N: N is a power of two ≤ 2^32, so the low 32-bit word is enough.
        const k = (X[last]! & (N - 1)) >>> 0;
        const off = k * words;
        for (let w = 0; w < words; w++) X[w] = X[w]! ^ V[off + w]!;
        blockMix(X, Y, T, r);
        done++;
        if ((j & 63) === 63) await maybeYield();
      }
      B.set(X, i * words);
    }
    const out = Buffer.alloc(p * 128 * r);
    for (let i = 0; i < B.length; i++) out.writeUInt32LE(B[i]!, i * 4);
    const key = pbkdf2Sync(password, out, 1, dkLen, 'sha256');
    out.fill(0);
    opts.onProgress?.(1);
    return key;
  } finally {
    V.fill(0);
    X.fill(0);
    Y.fill(0);
    B.fill(0);
    bBytes.fill(0);
  }
}

/** BlockMix_{Salsa20/8, r}, in place on X (2r blocks of 16 words), using Y as scratch. */
function blockMix(X: Uint32Array, Y: Uint32Array, T: Uint32Array, r: number): void {
  T.set(X.subarray((2 * r - 1) * 16, 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    salsa20_8Xor(T, X, i * 16);
    // Even blocks go to the first half, odd blocks to the second.
    Y.set(T, ((i & 1) * r + (i >> 1)) * 16);
  }
  X.set(Y);
}

/** T = Salsa20/8(T xor X[off..off+16]). */
function salsa20_8Xor(T: Uint32Array, X: Uint32Array, off: number): void {
  for (let k = 0; k < 16; k++) T[k] = T[k]! ^ X[off + k]!;
  // The 4×4 state as Salsa20 is written (prettier would give each word a line of its own).
  // prettier-ignore
  let x0 = T[0]!, x1 = T[1]!, x2 = T[2]!, x3 = T[3]!,
    x4 = T[4]!, x5 = T[5]!, x6 = T[6]!, x7 = T[7]!,
    x8 = T[8]!, x9 = T[9]!, x10 = T[10]!, x11 = T[11]!,
    x12 = T[12]!, x13 = T[13]!, x14 = T[14]!, x15 = T[15]!;
  let u: number;
  for (let i = 0; i < 8; i += 2) {
    // Column round.
    u = (x0 + x12) | 0;
    x4 ^= (u << 7) | (u >>> 25);
    u = (x4 + x0) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x4) | 0;
    x12 ^= (u << 13) | (u >>> 19);
    u = (x12 + x8) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x1) | 0;
    x9 ^= (u << 7) | (u >>> 25);
    u = (x9 + x5) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x9) | 0;
    x1 ^= (u << 13) | (u >>> 19);
    u = (x1 + x13) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x6) | 0;
    x14 ^= (u << 7) | (u >>> 25);
    u = (x14 + x10) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x14) | 0;
    x6 ^= (u << 13) | (u >>> 19);
    u = (x6 + x2) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x11) | 0;
    x3 ^= (u << 7) | (u >>> 25);
    u = (x3 + x15) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x3) | 0;
    x11 ^= (u << 13) | (u >>> 19);
    u = (x11 + x7) | 0;
    x15 ^= (u << 18) | (u >>> 14);
    // Row round.
    u = (x0 + x3) | 0;
    x1 ^= (u << 7) | (u >>> 25);
    u = (x1 + x0) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x1) | 0;
    x3 ^= (u << 13) | (u >>> 19);
    u = (x3 + x2) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x4) | 0;
    x6 ^= (u << 7) | (u >>> 25);
    u = (x6 + x5) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x6) | 0;
    x4 ^= (u << 13) | (u >>> 19);
    u = (x4 + x7) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x9) | 0;
    x11 ^= (u << 7) | (u >>> 25);
    u = (x11 + x10) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x11) | 0;
    x9 ^= (u << 13) | (u >>> 19);
    u = (x9 + x8) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x14) | 0;
    x12 ^= (u << 7) | (u >>> 25);
    u = (x12 + x15) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x12) | 0;
    x14 ^= (u << 13) | (u >>> 19);
    u = (x14 + x13) | 0;
    x15 ^= (u << 18) | (u >>> 14);
  }
  T[0] = (x0 + T[0]!) | 0;
  T[1] = (x1 + T[1]!) | 0;
  T[2] = (x2 + T[2]!) | 0;
  T[3] = (x3 + T[3]!) | 0;
  T[4] = (x4 + T[4]!) | 0;
  T[5] = (x5 + T[5]!) | 0;
  T[6] = (x6 + T[6]!) | 0;
  T[7] = (x7 + T[7]!) | 0;
  T[8] = (x8 + T[8]!) | 0;
  T[9] = (x9 + T[9]!) | 0;
  T[10] = (x10 + T[10]!) | 0;
  T[11] = (x11 + T[11]!) | 0;
  T[12] = (x12 + T[12]!) | 0;
  T[13] = (x13 + T[13]!) | 0;
  T[14] = (x14 + T[14]!) | 0;
  T[15] = (x15 + T[15]!) | 0;
}

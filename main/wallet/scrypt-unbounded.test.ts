import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { measureLoopLag } from './loop-lag';
import { withinRfcBound } from './native-scrypt';
import { scryptUnbounded } from './scrypt-unbounded';

const enc = (s: string) => Buffer.from(s, 'utf8');

describe('scryptUnbounded (fallback for files outside RFC 7914’s bound)', () => {
  it('reproduces RFC 7914 §12 test vectors', async () => {
    const vectors: [string, string, number, number, number, string][] = [
      [
        '',
        '',
        16,
        1,
        1,
        '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
      ],
      [
        'password',
        'NaCl',
        1024,
        8,
        16,
        'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      ],
      [
        'pleaseletmein',
        'SodiumChloride',
        16384,
        8,
        1,
        '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
      ],
    ];
    for (const [pw, salt, N, r, p, hex] of vectors) {
      expect((await scryptUnbounded(enc(pw), enc(salt), N, r, p, 64)).toString('hex')).toBe(hex);
    }
  });

  it('agrees with Node’s native scrypt on random in-bound parameters', async () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let t = 0; t < 24; t++) {
      const N = 2 ** (1 + rnd(10));
      const r = 1 + rnd(4);
      const p = 1 + rnd(3);
      const dkLen = 1 + rnd(80);
      const pw = Buffer.from(Array.from({ length: rnd(40) }, () => rnd(256)));
      const salt = Buffer.from(Array.from({ length: rnd(40) }, () => rnd(256)));
      const ours = await scryptUnbounded(pw, salt, N, r, p, dkLen);
      expect(ours.equals(scryptSync(pw, salt, dkLen, { N, r, p })), `N=${N} r=${r} p=${p} dkLen=${dkLen}`).toBe(true);
    }
  });

  it('computes parameters that native scrypt refuses (N ≥ 2^(16r))', async () => {
    expect(withinRfcBound(2 ** 16, 1)).toBe(false);
    expect(withinRfcBound(2 ** 15, 1)).toBe(true);
    expect(withinRfcBound(2 ** 20, 2)).toBe(true);
    expect(() => scryptSync('pw', 'salt', 32, { N: 2 ** 16, r: 1, p: 1, maxmem: 2 ** 30 })).toThrow();
    // Consistency across the bound: the same function, one step below and above it.
    const below = await scryptUnbounded(enc('pw'), enc('salt'), 2 ** 15, 1, 1, 32);
    expect(below.equals(scryptSync('pw', 'salt', 32, { N: 2 ** 15, r: 1, p: 1 }))).toBe(true);
    const above = await scryptUnbounded(enc('pw'), enc('salt'), 2 ** 16, 1, 1, 32);
    expect(above).toHaveLength(32);
    expect(above.equals(below)).toBe(false);
    // (test2 in keystore.test.ts checks an out-of-bound result end to end against a real file's MAC.)
  });

  it('reports monotonic progress ending at 1 and keeps the event loop responsive', async () => {
    const seen: number[] = [];
    const { maxLagMs } = await measureLoopLag(() =>
      scryptUnbounded(enc('pw'), enc('salt'), 2 ** 16, 1, 2, 32, { onProgress: (f) => seen.push(f) }),
    );
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(maxLagMs).toBeLessThan(150); // one synchronous pass at these parameters blocks ≥ 300 ms
  });

  it('refuses bad or too costly parameters', async () => {
    await expect(scryptUnbounded(enc('a'), enc('b'), 1000, 1, 1, 32)).rejects.toThrow(/power of 2/);
    await expect(scryptUnbounded(enc('a'), enc('b'), 1024, 0, 1, 32)).rejects.toThrow(/positive/);
    await expect(scryptUnbounded(enc('a'), enc('b'), 2 ** 20, 8, 1, 32, { maxMemBytes: 2 ** 20 })).rejects.toThrow(/memory/);
  });
});

/**
 * Deterministic randomness for the demo world. Never `Math.random`.
 *
 * - `mix32`: the "lowbias32" integer hash (Chris Wellons' hash-prospector; bias ≈ 0.17). Used as a
 *   counter-based generator: the noise of (model, round) is `mix32(modelKey ^ round * φ)`, so any one
 *   round of any one model can be computed on its own — the local chain can post demo round results
 *   without generating the world, and the world generator gets the same numbers.
 * - `mulberry32`: a small sequential PRNG for per-model parameters.
 * - Quantile tables: 65,536 exact quantiles at p = (i + ½) / 65,536 of the standard normal and of a
 *   Student-t with 4 degrees of freedom (rescaled to unit variance). Indexing a table with 16 random
 *   bits draws from a stratified version of the distribution at the cost of one load: this is what
 *   makes 22 M demo rows take a fraction of a second. The t₄ table's extreme is ±17.7σ, heavy enough
 *   for the ±5 % clip to bite in a realistic share of rounds.
 */

export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of two 32-bit integers. */
export function hash2(a: number, b: number): number {
  return mix32(a ^ mix32(b + 0x9e3779b9));
}

/** Sequential PRNG: returns a function yielding uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal from a uniform source (Box–Muller, one value per call; for per-model draws). */
export function normalFrom(u: () => number): number {
  const u1 = 1 - u(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
}

export const TABLE_BITS = 16;
const TABLE_SIZE = 1 << TABLE_BITS;

/** Inverse of the standard normal CDF (Acklam, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Quantile of Student's t with 4 degrees of freedom (closed form). */
export function studentT4Quantile(p: number): number {
  if (p === 0.5) return 0;
  const alpha = 4 * p * (1 - p);
  const sa = Math.sqrt(alpha);
  const q = Math.cos(Math.acos(sa) / 3) / sa;
  return Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1);
}

function table(quantile: (p: number) => number, scale: number): Float64Array {
  const t = new Float64Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) t[i] = quantile((i + 0.5) / TABLE_SIZE) * scale;
  // Centre exactly (the stratified grid is symmetric, this only removes rounding residue).
  let mean = 0;
  for (let i = 0; i < TABLE_SIZE; i++) mean += t[i]!;
  mean /= TABLE_SIZE;
  for (let i = 0; i < TABLE_SIZE; i++) t[i] = t[i]! - mean;
  return t;
}

let normalTable: Float64Array | undefined;
let t4Table: Float64Array | undefined;

/** 65,536 standard-normal quantiles; index with 16 random bits. */
export function getNormalTable(): Float64Array {
  return (normalTable ??= table(normalQuantile, 1));
}

/** 65,536 quantiles of t₄ / √2 (unit variance); index with 16 random bits. */
export function getStudentT4Table(): Float64Array {
  return (t4Table ??= table(studentT4Quantile, Math.SQRT1_2));
}

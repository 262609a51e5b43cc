import { z } from 'zod';

/** The small shapes every other one is built from, defined once for the contract and main. */
export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');
export const TxHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a transaction hash');
/** The pool's number for a model (a uint32 on chain, 0 never used). */
export const ModelId = z
  .number()
  .int()
  .min(1)
  .max(2 ** 32 - 1);
export const Round = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
/** A ratio or score that may be missing (null), never NaN or infinite. */
export const FiniteOrNull = z.number().finite().nullable();
/**
 * A list of at most `max` finite numbers (a row's sparkline), checked in one pass: as
 * `z.array(z.number()).max(max)` each element is a schema of its own, and the 50 rows × 40 points of
 * a list page made its check 2–4 × slower, on both sides of every sort (measured in Node: 50 rows,
 * 2.9 → 2.2 ms warm, 8.8 → 4.6 ms cold).
 */
export function finiteNumbers(max: number) {
  return z.custom<number[]>(
    (v) => Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
    `not a list of at most ${max} finite numbers`,
  );
}
/** A Numerai model's name, as the lists, positions and returns carry it. */
export const ModelName = z.string().max(100);
/** A UTC calendar day, YYYY-MM-DD. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');

import { z } from 'zod';
import { Wei, WeiString } from '../money';
import { ModelId, Round } from './primitives';

/**
 * What a holder may ask main to do, defined once over the amount's form: `Intent` is the wire form
 * (amounts as decimal strings of wei, what the renderer sends and `tx.request` validates) and
 * `IntentWei` the same shape as main plans it (amounts as bigint wei). `IntentWei.decode(wire)`
 * and `IntentWei.encode(intent)` convert between them, checked both ways.
 */
function intentOf<A extends z.ZodType>(amount: A) {
  const allocation = z.strictObject({ modelId: ModelId, amountWei: amount });
  const allocations = z
    .array(allocation)
    .min(1, 'choose at least one model')
    .max(50)
    .refine((a) => new Set(a.map((x) => x.modelId)).size === a.length, 'each model once');
  const intent = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('delegate'), allocations }),
    z.strictObject({ kind: z.literal('withdraw'), modelId: ModelId }),
    // Take back NMR still waiting, take back shares at today's value (or all), relay a result Numerai
    // posted (main asks Numerai's API for the claim and its proof).
    z.strictObject({ kind: z.literal('cancel-deposit'), modelId: ModelId }),
    z.strictObject({ kind: z.literal('take-back'), modelId: ModelId, amountWei: z.union([amount, z.literal('all')]) }),
    z.strictObject({ kind: z.literal('relay-claim'), modelId: ModelId, roundId: Round }),
  ]);
  return { allocation, intent };
}

const wire = intentOf(WeiString);
const wei = intentOf(Wei);

export const Intent = wire.intent;
export type Intent = z.output<typeof Intent>;

/** One model and how much to delegate to it, in bigint wei (main's side; the page builds them too). */
export type AllocationWei = z.output<typeof wei.allocation>;
export const IntentWei = wei.intent;
export type IntentWei = z.output<typeof IntentWei>;

import { z } from 'zod';
import { SignedWei, SignedWeiString, Wei, WeiString } from '../money';
import { FiniteOrNull, ModelId, ModelName, Round } from './primitives';

export const RETURNS_MAX_POINTS = 1500;

/**
 * What the holder's delegations returned, defined once over the amount's form (as in
 * portfolio.ts): `PortfolioPoint` and `PositionReturns` are the wire form the contract checks
 * (decimal strings of wei); the `…Wei` forms hold bigint wei, and `.encode(…)` turns main's figures
 * into the wire form. A round's result is signed (a burn is negative); every other amount is not.
 */
function returnsOf<A extends z.ZodType, S extends z.ZodType>(amount: A, signed: S) {
  const point = z.strictObject({
    round: Round,
    timeMs: z.number().finite(),
    /** Value of every position when the round closed. */
    valueWei: amount,
    /** NMR put in minus NMR taken back (cancelled or withdrawn) up to then. */
    netDepositedWei: amount,
    /** What the round itself added or burned (after fees). */
    resultWei: signed,
  });
  const position = z.strictObject({
    modelId: ModelId,
    name: ModelName,
    delegatedWei: amount,
    takenBackWei: amount,
    rewardWei: amount,
    feeWei: amount,
    burnWei: amount,
    /** Per-round results, oldest first (downsampled to the latest rounds when very long). */
    rounds: z
      .array(
        z.strictObject({
          round: Round,
          timeMs: z.number().finite(),
          resultWei: signed,
          returnPct: FiniteOrNull,
          valueAfterWei: amount,
        }),
      )
      .max(RETURNS_MAX_POINTS),
  });
  return { point, position };
}

const wire = returnsOf(WeiString, SignedWeiString);
const wei = returnsOf(Wei, SignedWei);

export const PortfolioPoint = wire.point;
export type PortfolioPoint = z.output<typeof PortfolioPoint>;
export const PositionReturns = wire.position;
export type PositionReturns = z.output<typeof PositionReturns>;

export const PortfolioPointWei = wei.point;
export const PositionReturnsWei = wei.position;

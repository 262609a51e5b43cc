import { z } from 'zod';
import { Wei, WeiString } from '../money';
import { Address, ModelId, ModelName, Round } from './primitives';

/**
 * The holder's positions, defined once over the amount's form (as in intent.ts): `Position` and
 * `PortfolioPositions` are the wire form the contract checks (decimal strings of wei); the `…Wei`
 * forms hold bigint wei, and `PortfolioPositionsWei.encode(…)` turns main's figures into the wire form.
 */
function positionsOf<A extends z.ZodType>(amount: A) {
  const position = z.strictObject({
    modelId: ModelId,
    name: ModelName,
    principalWei: amount,
    valueWei: amount,
    pendingInWei: amount,
    pendingOutValueWei: amount,
    withdrawableWei: amount,
    unlockRound: Round.nullable(),
  });
  const portfolio = z.strictObject({
    address: Address,
    currentRound: Round,
    positions: z.array(position),
    totalValueWei: amount,
  });
  return { position, portfolio };
}

const wire = positionsOf(WeiString);
const wei = positionsOf(Wei);

export type Position = z.output<typeof wire.position>;
export const PortfolioPositions = wire.portfolio;
export type PortfolioPositions = z.output<typeof PortfolioPositions>;

export type PositionWei = z.output<typeof wei.position>;
export const PortfolioPositionsWei = wei.portfolio;

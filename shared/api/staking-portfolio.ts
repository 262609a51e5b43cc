import { z } from 'zod';
import { Wei, WeiString } from '../money';
import { Address, ModelId, ModelName, Round } from './primitives';

/**
 * The holder's positions in the pool (StakingPool), per model and per Numerai round, defined
 * once over the amount's form (as intent.ts): `StakingPortfolio` is the wire form (decimal
 * strings of wei, and of shares), `StakingPortfolioWei` holds bigints, and
 * `StakingPortfolioWei.encode(…)` turns main's figures (main/pool/staking-pool-service.ts) into the
 * wire form (`portfolio.staking`).
 */

/** A Numerai round as the holder sees the pool's stake in it; "claimed": the pool booked its result. */
export const ROUND_STATES = ['open', 'closed', 'resolving', 'resolved', 'claimed'] as const;
export const RoundState = z.enum(ROUND_STATES);
export type RoundState = z.infer<typeof RoundState>;

const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not 32 bytes of hex');

function stakingPortfolioOf<A extends z.ZodType>(amount: A) {
  const result = z.strictObject({
    returnedWei: amount,
    paidWei: amount,
    burnedWei: amount,
    feeWei: amount,
    alreadySettled: z.boolean(),
  });
  const round = z.strictObject({
    roundId: Round,
    state: RoundState,
    stakedWei: amount,
    holderPartWei: amount.nullable(),
    result: result.nullable(),
  });
  const position = z.strictObject({
    modelId: ModelId,
    name: ModelName,
    numeraiModelId: Bytes32,
    waitingWei: amount,
    shares: amount,
    valueWei: amount,
    leavingShares: amount,
    leavingValueWei: amount,
    unlockRound: Round.nullable(),
    leavingMatured: z.boolean(),
    withdrawableWei: amount,
    withdrawnWei: amount,
    rounds: z.array(round).max(10_000),
  });
  const portfolio = z.strictObject({
    address: Address,
    positions: z.array(position).max(10_000),
    /** waiting + value + leaving + withdrawable over every model. */
    totalValueWei: amount,
  });
  return { round, position, portfolio };
}

const wire = stakingPortfolioOf(WeiString);
const wei = stakingPortfolioOf(Wei);

export const StakingPortfolio = wire.portfolio;
export type StakingPortfolio = z.output<typeof StakingPortfolio>;
export const StakingPortfolioWei = wei.portfolio;
export type StakingPortfolioWei = z.output<typeof StakingPortfolioWei>;
/** One model's part, and one round's, as main holds them. */
export type StakingPositionWei = z.output<typeof wei.position>;
export type StakingRoundWei = z.output<typeof wei.round>;

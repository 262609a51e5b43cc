import { Interface } from 'ethers';
import { tokenAbi, VIRTUAL_SHARES } from '../../chain/contracts';
import type { StakingModel } from '../../pool/staking-pool-service';
import type { PoolPositionView } from '../../pool/staking-pool-views';
import type { DraftFacts } from '../chain-tx';
import type { Plan, PlanStep } from '../plan';

/** StakingPool's and NMR's calls, encoded the same way whatever node the app talks to (one instance each). */
export { stakingPoolIface } from '../../pool/staking-pool-views';
export const tokenCalls = new Interface(tokenAbi);

/**
 * One intent's part of a plan: what to show and the transactions to sign, before network fees are
 * counted (steps carry gasLimit 0 until ChainTx sizes them; completePlan adds the fee).
 */
export interface IntentDraft {
  title: string;
  lines: Plan['lines'];
  warnings: string[];
  steps: PlanStep[];
  /** Set when the intent cannot go through as it stands (not enough NMR): confirming is refused. */
  blocker: string | null;
}

/** What a builder may read while planning; StakingPoolService answers from the node in use. */
export interface StakingReads {
  poolAddress: string;
  tokenAddress: string;
  /** A model in the pool with its view now, or NOT_FOUND. */
  model(modelId: number): Promise<StakingModel>;
  /** The pool's id for a Numerai model id (bytes32), 0 when none is registered. */
  modelIdOf(numeraiModelId: string): Promise<number>;
  /** How much NMR the pool may move from the holder now. */
  allowance(holder: string): Promise<bigint>;
  position(holder: string, modelId: number): Promise<PoolPositionView>;
  /** Rounds whose result Numerai posted while the pool has not claimed the model's tranche: a checkpoint of the model reverts (ClaimRoundFirst) until they are. */
  roundsToClaim(modelId: number): Promise<bigint[]>;
  /** The pool's unsettled stake of a model in a round (0 when none or settled). */
  tranche(modelId: number, roundId: bigint): Promise<{ principalWei: bigint; feeBps: bigint }>;
}

/**
 * Facts read once per plan: the pool has no round of its own, so the holder, the balances, and
 * whether NMR's owners stopped the token (mainnet NMR's emergency stop: transfers and approvals then
 * return false without reverting, so nothing that moves NMR can go through).
 */
export type StakingPlanContext = DraftFacts & { nmrStopped: boolean };

/** A one-call draft on the pool: most intents are exactly one transaction. */
export function onePoolCall(
  reads: StakingReads,
  d: Omit<IntentDraft, 'steps' | 'blocker'> & { kind: IntentDraft['steps'][number]['kind']; description: string; data: string },
): IntentDraft {
  return {
    title: d.title,
    lines: d.lines,
    warnings: d.warnings,
    steps: [{ kind: d.kind, description: d.description, tx: { to: reads.poolAddress, data: d.data }, gasLimit: 0n }],
    blocker: null,
  };
}

/** Value of `shares` now, rounded down exactly as the pool's `_toAssets`. */
export function sharesToWei(m: Pick<StakingModel, 'navWei' | 'totalShares'>, shares: bigint): bigint {
  return (shares * (m.navWei + 1n)) / (m.totalShares + VIRTUAL_SHARES);
}

/** The fewest shares worth at least `amountWei` now (the inverse of sharesToWei, rounded up). */
export function sharesForWei(m: Pick<StakingModel, 'navWei' | 'totalShares'>, amountWei: bigint): bigint {
  const num = amountWei * (m.totalShares + VIRTUAL_SHARES);
  const den = m.navWei + 1n;
  return (num + den - 1n) / den;
}

/** "round 7 has", "rounds 7 to 9 have" resolved and been claimed: the rounds a model still has at Numerai. */
export function settledWords(m: Pick<StakingModel, 'headRound' | 'lastStakedRound'>): string {
  const rounds = m.headRound === m.lastStakedRound ? `round ${m.headRound} has` : `rounds ${m.headRound} to ${m.lastStakedRound} have`;
  return `${rounds} resolved and been claimed`;
}

import { Interface } from 'ethers';
import { poolAbi, tokenAbi } from '../../chain/contracts';
import type { OnChainModel } from '../../pool/pool-service';
import type { Plan, PlanStep } from '../plan';

/** The pool's and the token's calls, encoded the same way whatever node the app talks to. */
export const poolCalls = new Interface(poolAbi);
export const tokenCalls = new Interface(tokenAbi);

/** What a builder may read from the chain while planning; PoolService answers from the node in use. */
export interface PoolReads {
  poolAddress: string;
  tokenAddress: string;
  /** A model in the pool, or NOT_FOUND. */
  model(modelId: number): Promise<OnChainModel>;
  /** How much NMR the pool may move from the holder now. */
  allowance(holder: string): Promise<bigint>;
  /** The holder's settled shares in a model and what is withdrawable from it. */
  position(holder: string, modelId: number): Promise<{ shares: bigint; withdrawableWei: bigint }>;
  convertToShares(modelId: number, amountWei: bigint): Promise<bigint>;
  convertToAssets(modelId: number, shares: bigint): Promise<bigint>;
}

/** Facts read once per plan, the same for every kind of intent. */
export interface PlanContext {
  holder: string;
  balances: { ethWei: bigint; nmrWei: bigint };
  /** The round open now. */
  round: number;
  lockRounds: number;
}

/**
 * One intent's part of a plan: what to show and the transactions to sign, before network fees are
 * counted (steps carry gasLimit 0 until PoolService sizes them; completePlan adds the fee).
 */
export interface IntentDraft {
  title: string;
  lines: Plan['lines'];
  warnings: string[];
  steps: PlanStep[];
  /** Set when the intent cannot go through as it stands (not enough NMR): confirming is refused. */
  blocker: string | null;
}

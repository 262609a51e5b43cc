import type { DeviceGuide } from '../confirm/render';
import type { TransactionRequest } from 'ethers';
import type { TxStep } from '../../shared/api';
import type { Fees } from './fees';

/** What a step does; the renderer is told the same kinds (the contract's TxStep). */
export type StepKind = TxStep['kind'];

export interface PlanStep {
  kind: StepKind;
  description: string;
  tx: TransactionRequest & { to: string };
  /** The most gas this step may use; with `Plan.fees` it bounds the fee the person confirmed. */
  gasLimit: bigint;
}

/**
 * Everything about one intended action: what the confirmation shows and what gets signed. Both
 * are read from this one object, so they cannot differ.
 */
export interface Plan {
  holder: string;
  chainId: number;
  networkLabel: string;
  title: string;
  /** Plain-words facts shown before confirming, in order. */
  lines: { label: string; value: string }[];
  warnings: string[];
  steps: PlanStep[];
  /** The fees every step is signed with: the ones the confirmation showed. */
  fees: Fees;
  /** At most this much ETH in network fees: every step's gas limit at `fees`. */
  gasCostWei: bigint;
  /** Set when the plan cannot go through as it stands (not enough NMR or ETH): confirming is refused. */
  blocker: string | null;
  /**
   * Set when the fee is far above normal (main/tx/fee-limits.ts): the same words are the first
   * warning, and the confirmation counts only with a deliberate "I accept this unusually high
   * network fee" in main's own window (TxCoordinator refuses a confirm without it).
   */
  highFee: string | null;
  /** For an account on a signing device (a Ledger): what it will show for each step, shown with the confirmation. */
  device?: DeviceGuide;
}

/** An unusually high fee on a plan that can be confirmed needs the person's explicit acceptance. */
export function needsHighFeeTick(plan: Pick<Plan, 'highFee' | 'blocker'>): boolean {
  return plan.highFee !== null && !plan.blocker;
}

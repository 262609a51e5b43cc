import { eth, feeCapPerGas, feeWords, type Fees } from './fees';
import { highFeeWarning } from './fee-limits';
import type { Plan } from './plan';
import type { IntentDraft } from './staking-intents/draft';

/**
 * Adds the network fee to an intent's draft and makes it a Plan: the fee line, the ETH check, and
 * the high-fee warning. `gasUnits` is the sum of the steps' gas limits (0 when the draft is blocked:
 * a plan that cannot go through is not simulated).
 */
export function completePlan(
  draft: IntentDraft,
  at: { holder: string; chainId: number; networkLabel: string; fees: Fees; ethWei: bigint; gasUnits: bigint },
): Plan {
  const { fees } = at;
  const gasCostWei = draft.blocker ? 0n : at.gasUnits * feeCapPerGas(fees);
  const lines = [
    ...draft.lines,
    { label: 'Network fee (at most)', value: `${eth(gasCostWei)} ETH, paid from your ETH (${feeWords(fees)})` },
  ];
  let blocker = draft.blocker;
  if (!blocker && gasCostWei > at.ethWei) blocker = `You need about ${eth(gasCostWei)} ETH for the network fee and have ${eth(at.ethWei)}.`;
  // Said even when the ETH is short: it explains why so much is needed. Not counted (0) when the NMR is short.
  const highFee = gasCostWei > 0n ? highFeeWarning(fees, gasCostWei) : null;
  return {
    holder: at.holder,
    chainId: at.chainId,
    networkLabel: at.networkLabel,
    title: draft.title,
    lines,
    warnings: highFee ? [highFee, ...draft.warnings] : [...draft.warnings],
    steps: draft.steps,
    fees,
    gasCostWei,
    blocker,
    highFee,
  };
}

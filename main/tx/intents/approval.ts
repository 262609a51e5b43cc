import { formatNmr } from '../../../shared/money';
import type { PlanStep } from '../plan';
import { tokenCalls } from './draft';

/**
 * The steps that let the pool move `totalWei` of the holder's NMR, given the allowance it has now:
 * none when it is enough; otherwise approve, preceded by a reset to 0 because NMR reverts on an
 * approve from one non-zero allowance to another.
 */
export function approvalSteps(opts: { tokenAddress: string; poolAddress: string; allowanceWei: bigint; totalWei: bigint }): PlanStep[] {
  const { tokenAddress, poolAddress, allowanceWei, totalWei } = opts;
  if (allowanceWei >= totalWei) return [];
  const steps: PlanStep[] = [];
  if (allowanceWei > 0n) {
    steps.push({
      kind: 'reset-approval',
      description: 'Clear the pool’s old permission to move your NMR',
      tx: { to: tokenAddress, data: tokenCalls.encodeFunctionData('approve', [poolAddress, 0n]) },
      gasLimit: 0n,
    });
  }
  steps.push({
    kind: 'approve',
    description: `Let the pool move ${formatNmr(totalWei)} NMR from your wallet`,
    tx: { to: tokenAddress, data: tokenCalls.encodeFunctionData('approve', [poolAddress, totalWei]) },
    gasLimit: 0n,
  });
  return steps;
}

import { formatNmr } from '../../../shared/money';
import type { PlanStep } from '../plan';
import { tokenCalls } from './draft';

/**
 * The step that lets the pool move `totalWei` of the holder's NMR, given the allowance it has now:
 * none when it is enough; `approve` from 0; otherwise NMR's own `changeApproval(old, new)`, because
 * mainnet NMR reverts an approve from one non-zero allowance to another. changeApproval names the
 * allowance it replaces, so it is one transaction instead of "approve 0, then approve", and it fails
 * (AllowanceMismatch) rather than stack on an allowance that moved since the plan was made.
 */
export function nmrApprovalSteps(opts: { tokenAddress: string; poolAddress: string; allowanceWei: bigint; totalWei: bigint }): PlanStep[] {
  const { tokenAddress, poolAddress, allowanceWei, totalWei } = opts;
  if (allowanceWei >= totalWei) return [];
  const data =
    allowanceWei === 0n
      ? tokenCalls.encodeFunctionData('approve', [poolAddress, totalWei])
      : tokenCalls.encodeFunctionData('changeApproval', [poolAddress, allowanceWei, totalWei]);
  return [
    {
      kind: 'approve',
      description: `Let the pool move ${formatNmr(totalWei)} NMR from your wallet`,
      tx: { to: tokenAddress, data },
      gasLimit: 0n,
    },
  ];
}

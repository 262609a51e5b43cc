import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import type { StakingModel } from '../../pool/staking-pool-service';
import type { PlanStep } from '../plan';
import { nmrApprovalSteps } from './approval';
import { stakingPoolIface, type IntentDraft, type StakingPlanContext, type StakingReads } from './draft';

export interface DelegateToPool {
  kind: 'delegate';
  allocations: { modelId: number; amountWei: bigint }[];
}

/**
 * Delegating to one model or several at once: each amount checked against the model's cap as the
 * pool checks it (NAV + waiting deposits + this), the approval NMR needs, then one `delegate` or one
 * `delegateBatch`. The NMR waits in the pool until the model's next checkpoint (at the latest the
 * next Numerai round it is staked in), and can be cancelled until then.
 */
export async function delegateToPoolDraft(intent: DelegateToPool, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  if (intent.allocations.length === 0) throw new AppError('BAD_INPUT', 'Choose at least one model.');
  if (new Set(intent.allocations.map((a) => a.modelId)).size !== intent.allocations.length)
    throw new AppError('BAD_INPUT', 'Each model can be chosen once.');
  // One pass: each model read and checked, its line and its part of the step's description.
  const lines: IntentDraft['lines'] = [];
  const parts: string[] = [];
  let total = 0n;
  for (const { modelId, amountWei } of intent.allocations) {
    if (amountWei <= 0n) throw new AppError('BAD_INPUT', 'Each amount must be above zero.');
    const m = await reads.model(modelId);
    const room = m.capWei - m.navWei - m.pendingDepositWei;
    if (amountWei > room) throw new AppError('BAD_INPUT', `${m.name} has room for only ${formatNmr(room > 0n ? room : 0n)} more NMR.`);
    lines.push({ label: `To ${m.name}`, value: `${formatNmr(amountWei)} NMR (operator fee ${feePercent(m)} of gains)` });
    parts.push(`${formatNmr(amountWei)} NMR to ${m.name}`);
    total += amountWei;
  }
  const approval = nmrApprovalSteps({
    tokenAddress: reads.tokenAddress,
    poolAddress: reads.poolAddress,
    allowanceWei: await reads.allowance(ctx.holder),
    totalWei: total,
  });
  const delegate: PlanStep = {
    kind: 'delegate',
    description: `Delegate ${parts.join(', ')}`,
    tx: { to: reads.poolAddress, data: delegateCall(intent) },
    gasLimit: 0n,
  };
  lines.push({ label: 'Total', value: `${formatNmr(total)} NMR of your ${formatNmr(ctx.balances.nmrWei)} NMR` });
  lines.push({
    label: 'Staked from',
    value: 'the next Numerai round the pool stakes for the model; until then it waits in the pool and you can cancel it',
  });
  lines.push({
    label: 'Taking it back',
    value: 'after you ask, it stays at risk until every round the model is staked in then has resolved, then you can withdraw it',
  });
  return {
    title: `Delegate ${formatNmr(total)} NMR`,
    lines,
    warnings: ['Staked NMR grows or is burned with each Numerai round, depending on how the model scores.'],
    steps: [...approval, delegate],
    blocker: total > ctx.balances.nmrWei ? `You have only ${formatNmr(ctx.balances.nmrWei)} NMR.` : null,
  };
}

const feePercent = (m: Pick<StakingModel, 'feeBps'>) => `${(Number(m.feeBps) / 100).toFixed(1)}%`;

/** One model: `delegate`; several: one `delegateBatch`, so one transaction either way. */
function delegateCall({ allocations }: DelegateToPool): string {
  if (allocations.length > 1) {
    const ids = allocations.map((a) => a.modelId);
    return stakingPoolIface.encodeFunctionData('delegateBatch', [ids, allocations.map((a) => a.amountWei)]);
  }
  return stakingPoolIface.encodeFunctionData('delegate', [allocations[0]!.modelId, allocations[0]!.amountWei]);
}

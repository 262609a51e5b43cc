import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import type { OnChainModel } from '../../pool/pool-service';
import type { Intent, PlanStep } from '../plan';
import { approvalSteps } from './approval';
import { poolCalls, type IntentDraft, type PlanContext, type PoolReads } from './draft';

type Delegate = Extract<Intent, { kind: 'delegate' }>;

/**
 * Delegating to one model or several at once: each amount checked against the model's room, the
 * approvals NMR needs, then one `delegate` (one model) or one `delegateBatch` (several) call.
 */
export async function delegateDraft(intent: Delegate, reads: PoolReads, ctx: PlanContext): Promise<IntentDraft> {
  const models = new Map<number, OnChainModel>();
  let total = 0n;
  for (const a of intent.allocations) {
    const m = await reads.model(a.modelId);
    if (a.amountWei <= 0n) throw new AppError('BAD_INPUT', 'Each amount must be above zero.');
    const room = m.capWei - m.stakeWei - m.pendingInWei;
    if (a.amountWei > room) {
      throw new AppError('BAD_INPUT', `${m.name} has room for only ${formatNmr(room > 0n ? room : 0n)} more NMR.`);
    }
    models.set(a.modelId, m);
    total += a.amountWei;
  }
  const allowanceWei = await reads.allowance(ctx.holder);
  const steps: PlanStep[] = [
    ...approvalSteps({ tokenAddress: reads.tokenAddress, poolAddress: reads.poolAddress, allowanceWei, totalWei: total }),
    {
      kind: 'delegate',
      description: `Delegate ${intent.allocations.map((a) => `${formatNmr(a.amountWei)} NMR to ${models.get(a.modelId)!.name}`).join(', ')}`,
      tx: { to: reads.poolAddress, data: delegateCall(intent.allocations) },
      gasLimit: 0n,
    },
  ];
  const lines: IntentDraft['lines'] = intent.allocations.map((a) => {
    const m = models.get(a.modelId)!;
    return { label: `To ${m.name}`, value: `${formatNmr(a.amountWei)} NMR (operator fee ${(m.feeBps / 100).toFixed(1)}% of gains)` };
  });
  lines.push({ label: 'Total', value: `${formatNmr(total)} NMR of your ${formatNmr(ctx.balances.nmrWei)} NMR` });
  lines.push({ label: 'At risk from', value: `round ${ctx.round + 1} (round ${ctx.round} is open now)` });
  lines.push({
    label: 'Taking it back',
    value: `after you ask, it stays at risk for ${ctx.lockRounds} round${ctx.lockRounds === 1 ? '' : 's'}, then you can withdraw it`,
  });
  return {
    title: `Delegate ${formatNmr(total)} NMR`,
    lines,
    warnings: ['Delegated NMR grows or is burned each round, depending on how the model scores.'],
    steps,
    blocker: total > ctx.balances.nmrWei ? `You have only ${formatNmr(ctx.balances.nmrWei)} NMR.` : null,
  };
}

/** One model: `delegate(id, amount)`; several: one `delegateBatch(ids, amounts)`, so one transaction either way. */
function delegateCall(allocations: Delegate['allocations']): string {
  const [only] = allocations;
  if (allocations.length === 1 && only) return poolCalls.encodeFunctionData('delegate', [only.modelId, only.amountWei]);
  return poolCalls.encodeFunctionData('delegateBatch', [allocations.map((a) => a.modelId), allocations.map((a) => a.amountWei)]);
}

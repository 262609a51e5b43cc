import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import { onePoolCall, stakingPoolIface, type IntentDraft, type StakingPlanContext, type StakingReads } from './draft';

export interface CancelDeposit {
  kind: 'cancel-deposit';
  modelId: number;
}

/** Taking back NMR still waiting in the pool (not yet converted to shares): all of it, to the wallet. */
export async function cancelDepositDraft(intent: CancelDeposit, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  const [m, p] = await Promise.all([reads.model(intent.modelId), reads.position(ctx.holder, intent.modelId)]);
  if (p.pendingDepositWei === 0n) throw new AppError('BAD_INPUT', `You have no NMR waiting in ${m.name}.`);
  const amount = formatNmr(p.pendingDepositWei);
  return onePoolCall(reads, {
    title: `Cancel your waiting ${amount} NMR`,
    lines: [
      { label: 'From', value: m.name },
      { label: 'Back to your wallet', value: `${amount} NMR (all of it, nothing was at risk)` },
    ],
    warnings: ['If the pool stakes a round for this model before this is mined, the NMR is already in shares and this fails.'],
    kind: 'cancel-deposit',
    description: `Cancel your waiting ${amount} NMR in ${m.name}`,
    data: stakingPoolIface.encodeFunctionData('cancelDeposit', [intent.modelId]),
  });
}

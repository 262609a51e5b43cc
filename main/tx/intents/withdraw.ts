import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import type { Intent } from '../plan';
import { poolCalls, type IntentDraft, type PlanContext, type PoolReads } from './draft';

type Withdraw = Extract<Intent, { kind: 'withdraw' }>;

/** Withdrawing what the lock has released from one model to the holder's wallet. */
export async function withdrawDraft(intent: Withdraw, reads: PoolReads, ctx: PlanContext): Promise<IntentDraft> {
  const m = await reads.model(intent.modelId);
  const amount = (await reads.position(ctx.holder, intent.modelId)).withdrawableWei;
  if (amount === 0n) throw new AppError('BAD_INPUT', `Nothing from ${m.name} is withdrawable yet.`);
  return {
    title: `Withdraw ${formatNmr(amount)} NMR`,
    lines: [
      { label: 'From', value: m.name },
      { label: 'To your wallet', value: `${formatNmr(amount)} NMR` },
    ],
    warnings: [],
    steps: [
      {
        kind: 'withdraw',
        description: `Withdraw ${formatNmr(amount)} NMR from ${m.name} to your wallet`,
        tx: { to: reads.poolAddress, data: poolCalls.encodeFunctionData('withdraw', [intent.modelId]) },
        gasLimit: 0n,
      },
    ],
    blocker: null,
  };
}

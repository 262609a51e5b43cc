import { AppError } from '../../../shared/api';
import { ENGLISH_PAGES, shownNmr } from '../../../shared/amount-format';
import { formatNmr } from '../../../shared/money';
import type { Intent } from '../plan';
import { poolCalls, type IntentDraft, type PlanContext, type PoolReads } from './draft';

type Undelegate = Extract<Intent, { kind: 'undelegate' }>;

/**
 * Asking to take stake back: the amount becomes shares at today's price (never more than the holder
 * has), and the request starts the lock, after which the NMR can be withdrawn.
 */
export async function undelegateDraft(intent: Undelegate, reads: PoolReads, ctx: PlanContext): Promise<IntentDraft> {
  const m = await reads.model(intent.modelId);
  const held = (await reads.position(ctx.holder, intent.modelId)).shares;
  if (held === 0n) throw new AppError('BAD_INPUT', `You have no settled stake in ${m.name} to take back.`);
  let shares = held;
  if (intent.amountWei !== 'all') {
    shares = await reads.convertToShares(intent.modelId, intent.amountWei);
    if (shares === 0n) throw new AppError('BAD_INPUT', 'That amount is too small to take back.');
    if (shares > held) shares = held;
  }
  const value = await reads.convertToAssets(intent.modelId, shares);
  const all = shares === held;
  const shown = shownNmr(value, ENGLISH_PAGES).text;
  const lines = [
    { label: 'From', value: m.name },
    { label: 'Value now', value: `${formatNmr(value)} NMR (${all ? 'all of your stake' : 'part of your stake'})` },
  ];
  // Shares are whole numbers: what they are worth is rarely exactly what was typed. Said before signing.
  if (intent.amountWei !== 'all' && value !== intent.amountWei)
    lines.push({
      label: 'You will receive',
      value: all
        ? `${formatNmr(value)} NMR at today’s value: all of your stake, less than the ${formatNmr(intent.amountWei)} NMR you typed`
        : `${formatNmr(value)} NMR at today’s value, not the ${formatNmr(intent.amountWei)} NMR you typed: the pool counts stakes in whole shares. To take back everything, go back and tick “Take back all of it”.`,
    });
  lines.push({
    label: 'Withdrawable from',
    value: `round ${ctx.round + ctx.lockRounds}, after ${ctx.lockRounds} more round${ctx.lockRounds === 1 ? '' : 's'} at risk`,
  });
  return {
    title: `Take back ${shown} NMR from ${m.name}`,
    lines,
    warnings: ['Until then it still grows or is burned with the model’s results; the amount you receive can differ from today’s value.'],
    steps: [
      {
        kind: 'undelegate',
        description: `Ask to take back ${all ? 'all of your stake' : `${shown} NMR`} from ${m.name}`,
        tx: { to: reads.poolAddress, data: poolCalls.encodeFunctionData('requestUndelegate', [intent.modelId, shares]) },
        gasLimit: 0n,
      },
    ],
    blocker: null,
  };
}

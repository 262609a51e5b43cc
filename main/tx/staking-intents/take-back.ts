import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import {
  onePoolCall,
  settledWords,
  sharesForWei,
  sharesToWei,
  stakingPoolIface,
  type IntentDraft,
  type StakingPlanContext,
  type StakingReads,
} from './draft';

export interface TakeBack {
  kind: 'take-back';
  modelId: number;
  /** An amount of NMR at today's value, or every share held. */
  amountWei: bigint | 'all';
}

/**
 * Asking to take stake back (`requestRedeem`): an amount becomes the fewest shares worth at least
 * that much now (never more than the holder has), and the plan shows what those shares are worth
 * after the pool's rounding, which is what the request really asks for. The shares stay at risk
 * until every round the model is staked in now has settled, then convert at the next checkpoint.
 */
export async function takeBackDraft(intent: TakeBack, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  const [m, p] = await Promise.all([reads.model(intent.modelId), reads.position(ctx.holder, intent.modelId)]);
  if (p.shares === 0n) {
    const waiting = p.pendingDepositWei > 0n ? ` Your ${formatNmr(p.pendingDepositWei)} NMR still waiting can be cancelled instead.` : '';
    throw new AppError('BAD_INPUT', `You have no shares in ${m.name} to take back.${waiting}`);
  }
  let shares = p.shares;
  if (intent.amountWei !== 'all') {
    if (intent.amountWei <= 0n) throw new AppError('BAD_INPUT', 'The amount must be above zero.');
    const needed = sharesForWei(m, intent.amountWei);
    if (needed < shares) shares = needed;
  }
  const all = shares === p.shares;
  const worth = sharesToWei(m, shares);
  const lines: IntentDraft['lines'] = [
    { label: 'From', value: m.name },
    { label: 'Shares', value: all ? 'all of yours' : `${shareOfHeld(shares, p.shares)} of yours` },
    { label: 'Worth now', value: `${formatNmr(worth)} NMR (after the pool's rounding)` },
  ];
  if (intent.amountWei !== 'all' && worth !== intent.amountWei)
    lines.push({ label: 'You asked for', value: `${formatNmr(intent.amountWei)} NMR${all ? ', more than your stake is worth' : ''}` });
  lines.push({
    label: 'Withdrawable',
    value:
      m.headRound === 0n
        ? 'at the next checkpoint: the model has nothing at Numerai now'
        : `once ${settledWords(m)}, at the next checkpoint`,
  });
  const warnings = ['Until then it still grows or is burned with the model’s results; what you receive can differ from today’s value.'];
  if (p.exitingShares > 0n)
    warnings.push('You already asked to take back part of this stake: that request joins this one and waits as long as this one.');
  return onePoolCall(reads, {
    title: `Take back about ${formatNmr(worth)} NMR from ${m.name}`,
    lines,
    warnings,
    kind: 'request-redeem',
    description: `Ask to take back ${all ? 'all of your stake' : `${formatNmr(worth)} NMR`} from ${m.name}`,
    data: stakingPoolIface.encodeFunctionData('requestRedeem', [intent.modelId, shares]),
  });
}

/** "25.01%", "under 0.01%": a part of the holder's shares, rounded down to hundredths of a percent. */
function shareOfHeld(part: bigint, held: bigint): string {
  const bp = (part * 10_000n) / held;
  if (bp === 0n) return 'under 0.01%';
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`;
}

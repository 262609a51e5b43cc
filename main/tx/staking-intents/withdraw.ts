import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import type { PlanStep } from '../plan';
import { settledWords, stakingPoolIface, type IntentDraft, type StakingPlanContext, type StakingReads } from './draft';

export interface WithdrawFromPool {
  kind: 'withdraw';
  modelId: number;
}

/**
 * Withdrawing a model's converted exits to the wallet. When the holder's exit has matured (every
 * round it waited for has settled) but no checkpoint converted it yet, the plan runs that checkpoint
 * first (anyone may), so the holder does not wait for someone else to. The pool refuses that
 * checkpoint while a later round's result is posted and not claimed (the fairness rule): then the
 * plan withdraws only what is converted, or says which claim to relay first.
 */
export async function withdrawFromPoolDraft(intent: WithdrawFromPool, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  const [m, p] = await Promise.all([reads.model(intent.modelId), reads.position(ctx.holder, intent.modelId)]);
  const matured = p.exitingShares > 0n && (m.headRound === 0n || m.headRound > p.unlockRound);
  if (p.withdrawableWei === 0n && !matured) {
    const wait =
      p.exitingShares > 0n ? ` It is withdrawable once ${settledWords({ headRound: m.headRound, lastStakedRound: p.unlockRound })}.` : '';
    throw new AppError('BAD_INPUT', `Nothing from ${m.name} is withdrawable yet.${wait}`);
  }
  const toClaim = matured ? await reads.roundsToClaim(intent.modelId) : [];
  const claimFirst = toClaim.length > 0 ? `the result of round ${toClaim.join(', ')} is posted and must be claimed first` : null;
  const steps: PlanStep[] = [];
  const lines: IntentDraft['lines'] = [{ label: 'From', value: m.name }];
  const warnings: string[] = [];
  let amount = formatNmr(p.withdrawableWei);
  if (claimFirst && p.withdrawableWei > 0n) warnings.push(`The rest of your exit converts later: ${claimFirst}.`);
  if (matured && !claimFirst) {
    steps.push({
      kind: 'checkpoint',
      description: `Convert your finished exit from ${m.name}`,
      tx: { to: reads.poolAddress, data: stakingPoolIface.encodeFunctionData('checkpoint', [[intent.modelId]]) },
      gasLimit: 0n,
    });
    amount = `about ${formatNmr(p.withdrawableWei + p.exitingValueWei)}`;
    lines.push({ label: 'First', value: 'a checkpoint turns your finished exit into NMR at today’s price' });
  }
  steps.push({
    kind: 'withdraw',
    description: `Withdraw ${amount} NMR from ${m.name} to your wallet`,
    tx: { to: reads.poolAddress, data: stakingPoolIface.encodeFunctionData('withdraw', [intent.modelId]) },
    gasLimit: 0n,
  });
  lines.push({ label: 'To your wallet', value: `${amount} NMR` });
  const blocker = claimFirst && p.withdrawableWei === 0n ? `Not yet: ${claimFirst} (“Claim round”).` : null;
  return { title: `Withdraw ${amount} NMR`, lines, warnings, steps, blocker };
}

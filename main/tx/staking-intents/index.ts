// main/tx/staking-intents: StakingPool's intents, one builder per intent, each turning it into what to
// show and what to sign.
import { cancelDepositDraft, type CancelDeposit } from './cancel-deposit';
import { delegateToPoolDraft, type DelegateToPool } from './delegate';
import type { IntentDraft, StakingPlanContext, StakingReads } from './draft';
import { relayClaimDraft, type RelayClaim } from './relay-claim';
import { takeBackDraft, type TakeBack } from './take-back';
import { withdrawFromPoolDraft, type WithdrawFromPool } from './withdraw';

export type { IntentDraft, StakingPlanContext, StakingReads } from './draft';
export type StakingIntent = DelegateToPool | CancelDeposit | TakeBack | WithdrawFromPool | RelayClaim;

/** The words when NMR's emergency stop is on: every intent but a take-back moves NMR. */
export const NMR_STOPPED = 'NMR’s owners have stopped the token (an emergency stop): no NMR can move until they release it.';

/** Hands the intent to its own builder, and blocks one that moves NMR while the token is stopped. */
export async function draftStakingIntent(intent: StakingIntent, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  const draft = await builtDraft(intent, reads, ctx);
  if (ctx.nmrStopped && intent.kind !== 'take-back') draft.blocker ??= NMR_STOPPED;
  return draft;
}

function builtDraft(intent: StakingIntent, reads: StakingReads, ctx: StakingPlanContext): Promise<IntentDraft> {
  switch (intent.kind) {
    case 'delegate':
      return delegateToPoolDraft(intent, reads, ctx);
    case 'cancel-deposit':
      return cancelDepositDraft(intent, reads, ctx);
    case 'take-back':
      return takeBackDraft(intent, reads, ctx);
    case 'withdraw':
      return withdrawFromPoolDraft(intent, reads, ctx);
    case 'relay-claim':
      return relayClaimDraft(intent, reads);
  }
}

// main/tx/intents: one builder per intent, each turning it into what to show and what to sign.
import type { Intent } from '../plan';
import { delegateDraft } from './delegate';
import type { IntentDraft, PlanContext, PoolReads } from './draft';
import { undelegateDraft } from './undelegate';
import { withdrawDraft } from './withdraw';

export { completePlan } from './complete';
export { replacementPlan } from './replacement';
export type { IntentDraft, PlanContext, PoolReads } from './draft';

/** Hands the intent to its own builder; nothing else happens here. */
export function draftIntent(intent: Intent, reads: PoolReads, ctx: PlanContext): Promise<IntentDraft> {
  switch (intent.kind) {
    case 'delegate':
      return delegateDraft(intent, reads, ctx);
    case 'undelegate':
      return undelegateDraft(intent, reads, ctx);
    case 'withdraw':
      return withdrawDraft(intent, reads, ctx);
  }
}

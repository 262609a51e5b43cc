import { IntentWei, type ApiOutput } from '../../shared/api';
import { Wei } from '../../shared/money';
import type { Handlers } from '../ipc/router';
import type { TxCoordinator } from '../tx/coordinator';
import type { Plan } from '../tx/plan';
import type { ChainSession } from './chain-session';

export interface TxApiDeps {
  session: () => Promise<ChainSession>;
  coordinator: TxCoordinator;
}

/** What the page shows while main's confirmation window asks: the plan's facts, never its raw transactions. */
function requestView(plan: Plan, requestId: string, confirmUrl: string | null): ApiOutput<'tx.request'> {
  return {
    requestId,
    title: plan.title,
    networkLabel: plan.networkLabel,
    lines: plan.lines,
    warnings: plan.warnings,
    steps: plan.steps.map(({ kind, description }) => ({ kind, description })),
    gasCostWei: Wei.encode(plan.gasCostWei),
    blocker: plan.blocker,
    highFee: plan.highFee !== null,
    confirmUrl,
  };
}

/**
 * The transaction calls: an intent becomes a plan (main/tx/plan.ts) that the coordinator has
 * confirmed in main's own window before the pool signs and sends it; speed-up and cancel of a
 * waiting transaction go through the same confirmation.
 */
export function txHandlers({
  session,
  coordinator,
}: TxApiDeps): Pick<Handlers, 'tx.request' | 'tx.cancel' | 'tx.speedUp' | 'tx.cancelPending' | 'tx.inFlight'> {
  async function requestReplacement(txId: string, purpose: 'speed-up' | 'cancel'): Promise<ApiOutput<'tx.request'>> {
    const s = await session();
    const { plan, replacement } = await s.tx.replacementPlan(txId, purpose);
    const { requestId, confirmUrl } = await coordinator.request(plan, () => s.tx.sendReplacement(plan, replacement));
    return requestView(plan, requestId, confirmUrl);
  }

  return {
    'tx.request': async ({ intent }) => {
      const s = await session();
      const plan = await s.staking.plan(IntentWei.decode(intent));
      const { requestId, confirmUrl } = await coordinator.request(plan, (id) => s.staking.execute(plan, id));
      return requestView(plan, requestId, confirmUrl);
    },
    'tx.cancel': async ({ requestId }) => ({ cancelled: coordinator.cancel(requestId) }),
    'tx.speedUp': async ({ txId }) => requestReplacement(txId, 'speed-up'),
    'tx.cancelPending': async ({ txId }) => requestReplacement(txId, 'cancel'),
    'tx.inFlight': async () => ({ transactions: await (await session()).tx.inFlightList() }),
  };
}

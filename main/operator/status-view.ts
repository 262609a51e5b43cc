import type { OperatorModelStatus, OperatorStatusView, OperatorTokenView } from '../../shared/api';
import type { ModelRoundStatus } from './operator-round';
import type { OperatorStatus } from './operator-service';

/**
 * The OperatorService's status as the page gets it: amounts as wei strings, every refusal already in
 * words (refusal-words.ts, applied where it happened), and about the token only which account has one.
 */

function modelStatus(s: ModelRoundStatus): OperatorModelStatus {
  switch (s.state) {
    case 'staked':
      return { state: 'staked', roundId: Number(s.roundId), stakedWei: s.stakedWei.toString(), hash: s.hash };
    case 'already-staked':
    case 'nothing-to-stake':
      return { state: s.state, roundId: Number(s.roundId) };
    case 'refused':
    case 'failed':
      return { state: s.state, message: s.message, retrySoon: s.retrySoon };
  }
}

export interface StatusExtras {
  account: string | null;
  token: OperatorTokenView;
  automatic: boolean;
}

export function toStatusView(status: OperatorStatus, extras: StatusExtras): OperatorStatusView {
  const c = status.current;
  const neverRan = status.lastRunAt === null && c.state !== 'running';
  const done = c.state === 'done' ? c : null;
  return {
    state: neverRan ? 'not-run' : c.state,
    message: !neverRan && 'message' in c ? c.message : null,
    ...extras,
    models: (done?.round.models ?? []).map(({ model, status: s }) => ({
      modelId: model.poolModelId,
      name: model.name.slice(0, 100),
      status: modelStatus(s),
    })),
    claims: {
      refused: done?.claims.refused ?? null,
      results: (done?.claims.results ?? []).map((r) => ({
        roundId: Number(r.claim.roundId),
        modelId: r.claim.poolModelId,
        payoutWei: r.claim.payoutWei.toString(),
        burnWei: r.claim.burnWei.toString(),
        hash: r.state === 'relayed' ? r.hash : null,
        failure: r.state === 'failed' ? r.message : null,
      })),
      notPending: done?.claims.notPending ?? 0,
    },
    lastRunAt: status.lastRunAt,
    nextRunAt: status.nextRunAt,
  };
}

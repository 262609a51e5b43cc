import type { AppNotification, EventPayload, StakingPositionWei } from '../../../shared/api';

export const TX_HASH = `0x${'ab'.repeat(32)}`;

/** A position in the pool: nothing in it unless the test says so. */
export function position(over: Partial<StakingPositionWei>): StakingPositionWei {
  return {
    modelId: 1,
    name: 'alpha',
    numeraiModelId: `0x${'11'.repeat(32)}`,
    waitingWei: 0n,
    shares: 0n,
    valueWei: 0n,
    leavingShares: 0n,
    leavingValueWei: 0n,
    unlockRound: null,
    leavingMatured: false,
    withdrawableWei: 0n,
    withdrawnWei: 0n,
    rounds: [],
    ...over,
  };
}

/** The last step of a two-step request, confirmed on the demo chain. */
export function txStatus(over: Partial<EventPayload<'tx.status'>>): EventPayload<'tx.status'> {
  return {
    txId: 'r1:2',
    requestId: 'r1',
    label: 'Delegate 1.5 NMR to alpha',
    step: 2,
    steps: 2,
    state: 'confirmed',
    hash: TX_HASH,
    error: null,
    purpose: 'step',
    replaces: null,
    replacedBy: null,
    nonce: 3,
    sentAt: 1,
    confirmations: 1,
    confirmationsNeeded: 1,
    waitingFor: null,
    ...over,
  };
}

/** A round's result as the list carries it: 1.23456789 NMR earned by alpha in round 7. */
export function appNotification(over: Partial<AppNotification>): AppNotification {
  return {
    id: 'result:c:a:1:7',
    kind: 'round-result',
    timeMs: 1,
    title: 'alpha earned in round 7',
    amountWei: '1234567890000000000',
    account: `0x${'a1'.repeat(20)}`,
    modelId: 1,
    model: 'alpha',
    roundId: 7,
    txHash: null,
    detail: null,
    place: 'portfolio',
    read: false,
    ...over,
  };
}

import type { EventPayload, StakingPositionWei } from '../../../shared/api';

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
    ...over,
  };
}

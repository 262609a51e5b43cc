import { describe, expect, it } from 'vitest';
import type { HistoryEntryWei } from '../../shared/api';
import { resultNotifications, txNotification, withdrawableNotifications } from './derive';
import { position, TX_HASH as HASH, txStatus as tx } from './test-support/fixtures';

const A = '0x00000000000000000000000000000000000000a1';
const E18 = 10n ** 18n;

function row(over: Partial<HistoryEntryWei>): HistoryEntryWei {
  return {
    timeMs: 1,
    account: A,
    modelId: 1,
    model: 'alpha',
    kind: 'payout',
    roundId: 7,
    amountWei: 0n,
    valueChangeWei: 0n,
    valueAfterWei: 0n,
    txHash: HASH,
    block: 50,
    logIndex: 0,
    ...over,
  };
}

describe('txNotification', () => {
  it('tells a request confirmed once its last step is, and not for earlier steps', () => {
    expect(txNotification(tx({ step: 1, label: 'Approve' }), A, 'c')).toBeNull();
    expect(txNotification(tx({ state: 'mined' }), A, 'c')).toBeNull();
    const n = txNotification(tx({}), A, 'c')!;
    expect(n).toMatchObject({
      id: 'tx:c:r1:done',
      kind: 'tx-confirmed',
      title: 'Delegate 1.5 NMR to alpha: confirmed',
      txHash: HASH,
      account: A,
    });
    // A speed-up that won carries its step to the end.
    expect(txNotification(tx({ purpose: 'speed-up', txId: 'r1:2:r1' }), A, 'c')?.id).toBe('tx:c:r1:done');
  });

  it('tells a failure with its reason: reverted, refused before sending, or its place taken from elsewhere', () => {
    expect(txNotification(tx({ state: 'failed', error: 'The transaction was reverted.' }), A, 'c')).toMatchObject({
      id: 'tx:c:r1:failed',
      kind: 'tx-failed',
      detail: 'The transaction was reverted.',
    });
    expect(txNotification(tx({ state: 'failed', step: 1, hash: null, error: 'Not enough ETH' }), A, 'c')?.kind).toBe('tx-failed');
    expect(txNotification(tx({ state: 'replaced', replacedBy: { hash: null, by: 'other' } }), A, 'c')?.kind).toBe('tx-failed');
  });

  it('says nothing of the person’s own cancel, a step replaced by its own speed-up, or a speed-up not sent', () => {
    expect(txNotification(tx({ purpose: 'cancel' }), A, 'c')).toBeNull();
    expect(txNotification(tx({ state: 'replaced', replacedBy: { hash: HASH, by: 'speed-up' } }), A, 'c')).toBeNull();
    expect(txNotification(tx({ state: 'failed', purpose: 'speed-up', hash: null }), A, 'c')).toBeNull();
  });
});

describe('resultNotifications', () => {
  it('gives one per position and round, the payout less the fee exact to the wei, or the burn', () => {
    const rows = [
      row({ kind: 'payout', amountWei: 3n * E18 + 7n, valueChangeWei: 3n * E18 + 7n }),
      row({ kind: 'fee', amountWei: -(E18 / 10n), valueChangeWei: -(E18 / 10n), logIndex: 1 }),
      row({ modelId: 2, model: 'beta', kind: 'burn', amountWei: -5n, valueChangeWei: -5n, logIndex: 2 }),
      row({ roundId: 8, kind: 'payout', amountWei: 1n, valueChangeWei: 1n, block: 60 }),
    ];
    const ns = resultNotifications(rows, 0, 'c');
    expect(ns.map((n) => [n.id, n.amountWei, n.title])).toEqual([
      [`result:c:${A}:1:7`, 3n * E18 + 7n - E18 / 10n, 'alpha earned in round 7'],
      [`result:c:${A}:2:7`, -5n, 'beta lost in round 7 (burned by Numerai)'],
      [`result:c:${A}:1:8`, 1n, 'alpha earned in round 8'],
    ]);
    expect(ns[0]).toMatchObject({ kind: 'round-result', modelId: 1, model: 'alpha', roundId: 7, place: 'portfolio' });
  });

  it('leaves out rounds settled at or before the cursor, and rows that are no round result', () => {
    const rows = [
      row({ block: 50, valueChangeWei: 4n }),
      row({ roundId: 8, block: 51, valueChangeWei: 0n }),
      row({ kind: 'delegated', block: 52 }),
    ];
    const ns = resultNotifications(rows, 50, 'c');
    expect(ns.map((n) => [n.roundId, n.amountWei, n.title])).toEqual([[8, 0n, 'alpha: round 8 settled with no change']]);
  });
});

describe('withdrawableNotifications', () => {
  it('tells once when a position becomes ready, with what can be withdrawn', () => {
    const matured = position({ leavingShares: 9n, leavingValueWei: 30n * E18, leavingMatured: true, unlockRound: 12 });
    const first = withdrawableNotifications(A, [matured, position({ modelId: 2, leavingShares: 5n, leavingValueWei: 1n })], new Set(), 'c');
    expect(first.ready).toEqual([`c:${A}:1`]);
    expect(first.drafts).toHaveLength(1);
    expect(first.drafts[0]).toMatchObject({
      kind: 'withdrawable',
      amountWei: 30n * E18,
      roundId: 12,
      title: 'NMR from alpha is ready to withdraw',
    });
    // Still ready (and now converted): nothing new.
    const converted = position({ withdrawableWei: 30n * E18 });
    expect(withdrawableNotifications(A, [converted], new Set(first.ready), 'c').drafts).toEqual([]);
  });

  it('tells again after a withdrawal when a later exit is ready, under another id', () => {
    const before = withdrawableNotifications(A, [position({ withdrawableWei: 2n })], new Set(), 'c').drafts[0]!;
    const gone = withdrawableNotifications(A, [position({ withdrawnWei: 2n })], new Set([`c:${A}:1`]), 'c');
    expect(gone).toEqual({ drafts: [], ready: [] });
    const again = withdrawableNotifications(A, [position({ withdrawnWei: 2n, withdrawableWei: 3n })], new Set(gone.ready), 'c').drafts[0]!;
    expect(again.amountWei).toBe(3n);
    expect(again.id).not.toBe(before.id);
  });
});

import { describe, expect, it } from 'vitest';
import { fakeStakingReads, NMR, stakingContext } from '../../test-support/staking-reads';
import { draftStakingIntent, NMR_STOPPED } from './index';

describe('draftStakingIntent', () => {
  it('hands each intent to its own builder', async () => {
    const reads = fakeStakingReads({ positions: { 1: { pendingDepositWei: NMR, shares: NMR, withdrawableWei: NMR } } });
    const kinds = async (intent: Parameters<typeof draftStakingIntent>[0]) =>
      (await draftStakingIntent(intent, reads, stakingContext())).steps.map((s) => s.kind);
    expect(await kinds({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: NMR }] })).toEqual(['approve', 'delegate']);
    expect(await kinds({ kind: 'cancel-deposit', modelId: 1 })).toEqual(['cancel-deposit']);
    expect(await kinds({ kind: 'take-back', modelId: 1, amountWei: 'all' })).toEqual(['request-redeem']);
    expect(await kinds({ kind: 'withdraw', modelId: 1 })).toEqual(['withdraw']);
  });

  it('blocks every intent that moves NMR while the token is stopped, not a take-back', async () => {
    const reads = fakeStakingReads({ positions: { 1: { pendingDepositWei: NMR, shares: NMR } } });
    const stopped = stakingContext({ nmrStopped: true });
    const blocker = async (intent: Parameters<typeof draftStakingIntent>[0]) => (await draftStakingIntent(intent, reads, stopped)).blocker;
    expect(await blocker({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: NMR }] })).toBe(NMR_STOPPED);
    expect(await blocker({ kind: 'cancel-deposit', modelId: 1 })).toBe(NMR_STOPPED);
    expect(await blocker({ kind: 'take-back', modelId: 1, amountWei: 'all' })).toBeNull();
    // A blocker the builder found itself comes first.
    const broke = await draftStakingIntent({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 600n * NMR }] }, reads, {
      ...stopped,
      balances: { ethWei: 0n, nmrWei: NMR },
    });
    expect(broke.blocker).toBe('You have only 1 NMR.');
  });
});

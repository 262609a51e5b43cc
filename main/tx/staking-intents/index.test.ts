import { describe, expect, it } from 'vitest';
import { fakeStakingReads, NMR, stakingContext } from '../../test-support/staking-reads';
import { draftStakingIntent } from './index';

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
});

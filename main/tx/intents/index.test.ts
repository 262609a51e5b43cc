import { describe, expect, it } from 'vitest';
import { fakeReads, NMR, planContext } from '../../test-support/pool-reads';
import { draftIntent } from './index';

describe('draftIntent', () => {
  it('hands each kind of intent to its own builder', async () => {
    const reads = fakeReads({ positions: { 1: { shares: NMR, withdrawableWei: NMR } } });
    const kinds = async (intent: Parameters<typeof draftIntent>[0]) =>
      (await draftIntent(intent, reads, planContext())).steps.map((s) => s.kind);
    expect(await kinds({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: NMR }] })).toEqual(['approve', 'delegate']);
    expect(await kinds({ kind: 'undelegate', modelId: 1, amountWei: 'all' })).toEqual(['undelegate']);
    expect(await kinds({ kind: 'withdraw', modelId: 1 })).toEqual(['withdraw']);
  });
});

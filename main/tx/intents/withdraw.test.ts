import { describe, expect, it } from 'vitest';
import { fakeReads, NMR, planContext, POOL } from '../../test-support/pool-reads';
import { poolCalls } from './draft';
import { withdrawDraft } from './withdraw';

describe('withdrawDraft', () => {
  it('withdraws what the lock released, to the wallet', async () => {
    const reads = fakeReads({ positions: { 2: { shares: 0n, withdrawableWei: 7n * NMR + 5n } } });
    const d = await withdrawDraft({ kind: 'withdraw', modelId: 2 }, reads, planContext());
    expect(d.steps).toHaveLength(1);
    expect(d.steps[0]!.tx.to).toBe(POOL);
    const call = poolCalls.parseTransaction({ data: String(d.steps[0]!.tx.data) })!;
    expect([call.name, ...call.args.toArray()]).toEqual(['withdraw', 2n]);
    expect(d.title).toBe('Withdraw 7.000000000000000005 NMR');
    expect(d.steps[0]!.description).toBe('Withdraw 7.000000000000000005 NMR from model_2 to your wallet');
    expect(d.lines).toEqual([
      { label: 'From', value: 'model_2' },
      { label: 'To your wallet', value: '7.000000000000000005 NMR' },
    ]);
    expect(d.warnings).toEqual([]);
    expect(d.blocker).toBeNull();
  });

  it('refuses when nothing is withdrawable yet', async () => {
    await expect(withdrawDraft({ kind: 'withdraw', modelId: 2 }, fakeReads(), planContext())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Nothing from model_2 is withdrawable yet.',
    });
  });
});

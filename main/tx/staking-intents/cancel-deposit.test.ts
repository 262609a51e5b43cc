import { describe, expect, it } from 'vitest';
import { fakeStakingReads, NMR, POOL, stakingContext } from '../../test-support/staking-reads';
import { cancelDepositDraft } from './cancel-deposit';
import { stakingPoolIface } from './draft';

describe('cancelDepositDraft', () => {
  it('takes back all of the waiting NMR', async () => {
    const reads = fakeStakingReads({ positions: { 2: { pendingDepositWei: 7n * NMR + 1n } } });
    const d = await cancelDepositDraft({ kind: 'cancel-deposit', modelId: 2 }, reads, stakingContext());
    expect(d.steps).toHaveLength(1);
    expect(d.steps[0]!.kind).toBe('cancel-deposit');
    expect(d.steps[0]!.tx.to).toBe(POOL);
    const call = stakingPoolIface.parseTransaction({ data: String(d.steps[0]!.tx.data) })!;
    expect([call.name, ...call.args.toArray()]).toEqual(['cancelDeposit', 2n]);
    expect(d.title).toBe('Cancel your waiting 7.000000000000000001 NMR');
    expect(d.lines).toContainEqual({ label: 'Back to your wallet', value: '7.000000000000000001 NMR (all of it, nothing was at risk)' });
  });

  it('refuses when nothing is waiting', async () => {
    await expect(cancelDepositDraft({ kind: 'cancel-deposit', modelId: 1 }, fakeStakingReads(), stakingContext())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'You have no NMR waiting in model_1.',
    });
  });
});

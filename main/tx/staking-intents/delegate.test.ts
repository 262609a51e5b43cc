import { describe, expect, it } from 'vitest';
import { fakeStakingReads, NMR, POOL, stakingContext, stakingModel, TOKEN } from '../../test-support/staking-reads';
import { tokenCalls, stakingPoolIface } from './draft';
import { delegateToPoolDraft } from './delegate';

const decode = (data: unknown) => {
  const d = (stakingPoolIface.parseTransaction({ data: String(data) }) ?? tokenCalls.parseTransaction({ data: String(data) }))!;
  return [d.name, ...d.args.toArray()];
};

describe('delegateToPoolDraft', () => {
  it('approves from zero, then delegates to one model', async () => {
    const d = await delegateToPoolDraft(
      { kind: 'delegate', allocations: [{ modelId: 1, amountWei: 5n * NMR }] },
      fakeStakingReads(),
      stakingContext(),
    );
    expect(d.steps.map((s) => [s.kind, s.tx.to])).toEqual([
      ['approve', TOKEN],
      ['delegate', POOL],
    ]);
    expect(decode(d.steps[0]!.tx.data)).toEqual(['approve', POOL, 5n * NMR]);
    expect(decode(d.steps[1]!.tx.data)).toEqual(['delegate', 1n, 5n * NMR]);
    expect(d.title).toBe('Delegate 5 NMR');
    expect(d.lines[0]).toEqual({ label: 'To model_1', value: '5 NMR (operator fee 10.0% of gains)' });
    expect(d.lines[1]).toEqual({ label: 'Total', value: '5 NMR of your 500 NMR' });
    expect(d.blocker).toBeNull();
  });

  it('delegates to several in one batch, with changeApproval over an old allowance', async () => {
    const d = await delegateToPoolDraft(
      {
        kind: 'delegate',
        allocations: [
          { modelId: 1, amountWei: 2n * NMR },
          { modelId: 2, amountWei: 3n * NMR },
        ],
      },
      fakeStakingReads({ allowanceWei: NMR }),
      stakingContext(),
    );
    expect(d.steps.map((s) => decode(s.tx.data))).toEqual([
      ['changeApproval', POOL, NMR, 5n * NMR],
      ['delegateBatch', [1n, 2n], [2n * NMR, 3n * NMR]],
    ]);
    expect(d.steps[1]!.description).toBe('Delegate 2 NMR to model_1, 3 NMR to model_2');
  });

  it('skips the approval when the allowance covers it, and is blocked when the wallet does not', async () => {
    const d = await delegateToPoolDraft(
      { kind: 'delegate', allocations: [{ modelId: 1, amountWei: 600n * NMR }] },
      fakeStakingReads({ allowanceWei: 600n * NMR }),
      stakingContext(),
    );
    expect(d.steps.map((s) => s.kind)).toEqual(['delegate']);
    expect(d.blocker).toBe('You have only 500 NMR.');
  });

  it('counts waiting deposits against the cap as the pool does, and refuses zero or a model twice', async () => {
    const reads = fakeStakingReads({ models: [stakingModel(1, { capWei: 1100n * NMR, pendingDepositWei: 60n * NMR })] });
    const one = (amountWei: bigint) => ({ kind: 'delegate' as const, allocations: [{ modelId: 1, amountWei }] });
    await expect(delegateToPoolDraft(one(41n * NMR), reads, stakingContext())).rejects.toThrow('model_1 has room for only 40 more NMR.');
    await expect(delegateToPoolDraft(one(40n * NMR), reads, stakingContext())).resolves.toMatchObject({ blocker: null });
    await expect(delegateToPoolDraft(one(0n), reads, stakingContext())).rejects.toThrow('Each amount must be above zero.');
    const twice = { kind: 'delegate' as const, allocations: [one(NMR).allocations[0]!, one(NMR).allocations[0]!] };
    await expect(delegateToPoolDraft(twice, reads, stakingContext())).rejects.toThrow('Each model can be chosen once.');
  });
});

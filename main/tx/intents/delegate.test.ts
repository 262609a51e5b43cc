import { describe, expect, it } from 'vitest';
import { fakeReads, HOLDER, NMR, onChainModel, planContext, POOL, TOKEN } from '../../test-support/pool-reads';
import { delegateDraft } from './delegate';
import { poolCalls, tokenCalls } from './draft';

const call = (data: unknown) => {
  const d = poolCalls.parseTransaction({ data: String(data) })!;
  return [d.name, ...d.args.toArray().map((a: unknown) => (Array.isArray(a) ? [...a] : a))];
};

describe('delegateDraft', () => {
  it('delegates to one model with one delegate call, after approving exactly the amount', async () => {
    const d = await delegateDraft({ kind: 'delegate', allocations: [{ modelId: 2, amountWei: 25n * NMR }] }, fakeReads(), planContext());
    expect(d.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
    expect(tokenCalls.parseTransaction({ data: String(d.steps[0]!.tx.data) })!.args.toArray()).toEqual([POOL, 25n * NMR]);
    expect(d.steps[0]!.tx.to).toBe(TOKEN);
    expect(d.steps[1]!.tx.to).toBe(POOL);
    // What the person reads is what is encoded: model 2, 25 NMR.
    expect(call(d.steps[1]!.tx.data)).toEqual(['delegate', 2n, 25n * NMR]);
    expect(d.steps[1]!.description).toBe('Delegate 25 NMR to model_2');
    expect(d.title).toBe('Delegate 25 NMR');
    expect(d.lines).toEqual([
      { label: 'To model_2', value: '25 NMR (operator fee 10.0% of gains)' },
      { label: 'Total', value: '25 NMR of your 500 NMR' },
      { label: 'At risk from', value: 'round 101 (round 100 is open now)' },
      { label: 'Taking it back', value: 'after you ask, it stays at risk for 4 rounds, then you can withdraw it' },
    ]);
    expect(d.warnings).toEqual(['Delegated NMR grows or is burned each round, depending on how the model scores.']);
    expect(d.blocker).toBeNull();
  });

  it('delegates to several models in one delegateBatch call, in the order chosen', async () => {
    const d = await delegateDraft(
      {
        kind: 'delegate',
        allocations: [
          { modelId: 2, amountWei: 3n * NMR },
          { modelId: 1, amountWei: 1n },
        ],
      },
      fakeReads({ allowanceWei: 10n * NMR }),
      planContext({ lockRounds: 1 }),
    );
    expect(d.steps.map((s) => s.kind)).toEqual(['delegate']);
    expect(call(d.steps[0]!.tx.data)).toEqual(['delegateBatch', [2n, 1n], [3n * NMR, 1n]]);
    expect(d.steps[0]!.description).toBe('Delegate 3 NMR to model_2, 0.000000000000000001 NMR to model_1');
    expect(d.title).toBe('Delegate 3.000000000000000001 NMR');
    expect(d.lines.map((l) => l.label)).toEqual(['To model_2', 'To model_1', 'Total', 'At risk from', 'Taking it back']);
    expect(d.lines.at(-1)!.value).toContain('for 1 round,');
  });

  it('refuses an amount above the room the model has left, or zero', async () => {
    const reads = fakeReads({ models: [onChainModel(1, { capWei: 100n * NMR, stakeWei: 90n * NMR, pendingInWei: 5n * NMR })] });
    await expect(
      delegateDraft({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 5n * NMR + 1n }] }, reads, planContext()),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'model_1 has room for only 5 more NMR.',
    });
    const full = fakeReads({ models: [onChainModel(1, { capWei: 100n * NMR, stakeWei: 120n * NMR })] });
    await expect(delegateDraft({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 1n }] }, full, planContext())).rejects.toThrow(
      'model_1 has room for only 0 more NMR.',
    );
    await expect(delegateDraft({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 0n }] }, reads, planContext())).rejects.toThrow(
      'Each amount must be above zero.',
    );
    await expect(
      delegateDraft({ kind: 'delegate', allocations: [{ modelId: 9, amountWei: NMR }] }, reads, planContext()),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('is blocked, not refused, when the holder has less NMR than the total', async () => {
    const d = await delegateDraft(
      { kind: 'delegate', allocations: [{ modelId: 1, amountWei: 600n * NMR }] },
      fakeReads(),
      planContext({ holder: HOLDER }),
    );
    expect(d.blocker).toBe('You have only 500 NMR.');
    expect(d.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
  });
});

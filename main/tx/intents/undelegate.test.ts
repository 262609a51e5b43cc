import { describe, expect, it } from 'vitest';
import { fakeReads, NMR, planContext, POOL } from '../../test-support/pool-reads';
import { poolCalls } from './draft';
import { undelegateDraft } from './undelegate';

const call = (data: unknown) => {
  const d = poolCalls.parseTransaction({ data: String(data) })!;
  return [d.name, ...d.args.toArray()];
};
// One share is worth 2 wei in the fake pool.
const held = { 1: { shares: 50n * NMR, withdrawableWei: 0n } };

describe('undelegateDraft', () => {
  it('takes back all of the stake as every share held', async () => {
    const d = await undelegateDraft({ kind: 'undelegate', modelId: 1, amountWei: 'all' }, fakeReads({ positions: held }), planContext());
    expect(d.steps).toHaveLength(1);
    expect(d.steps[0]!.tx.to).toBe(POOL);
    expect(call(d.steps[0]!.tx.data)).toEqual(['requestUndelegate', 1n, 50n * NMR]);
    expect(d.steps[0]!.description).toBe('Ask to take back all of your stake from model_1');
    expect(d.title).toBe('Take back about 100 NMR from model_1');
    expect(d.lines).toEqual([
      { label: 'From', value: 'model_1' },
      { label: 'Value now', value: '100 NMR (all of your stake)' },
      { label: 'Withdrawable from', value: 'round 104, after 4 more rounds at risk' },
    ]);
    expect(d.blocker).toBeNull();
  });

  it('turns an amount into shares at today’s price and signs those shares', async () => {
    const d = await undelegateDraft(
      { kind: 'undelegate', modelId: 1, amountWei: 30n * NMR },
      fakeReads({ positions: held }),
      planContext({ lockRounds: 1 }),
    );
    expect(call(d.steps[0]!.tx.data)).toEqual(['requestUndelegate', 1n, 15n * NMR]);
    expect(d.steps[0]!.description).toBe('Ask to take back about 30 NMR from model_1');
    expect(d.lines[1]!.value).toBe('30 NMR (part of your stake)');
    expect(d.lines[2]!.value).toBe('round 101, after 1 more round at risk');
  });

  it('never asks for more shares than are held', async () => {
    const d = await undelegateDraft(
      { kind: 'undelegate', modelId: 1, amountWei: 1000n * NMR },
      fakeReads({ positions: held }),
      planContext(),
    );
    expect(call(d.steps[0]!.tx.data)).toEqual(['requestUndelegate', 1n, 50n * NMR]);
    expect(d.steps[0]!.description).toContain('all of your stake');
  });

  it('refuses when nothing is settled or the amount is under one share', async () => {
    await expect(undelegateDraft({ kind: 'undelegate', modelId: 1, amountWei: 'all' }, fakeReads(), planContext())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'You have no settled stake in model_1 to take back.',
    });
    await expect(
      undelegateDraft({ kind: 'undelegate', modelId: 1, amountWei: 1n }, fakeReads({ positions: held }), planContext()),
    ).rejects.toThrow('That amount is too small to take back.');
  });
});

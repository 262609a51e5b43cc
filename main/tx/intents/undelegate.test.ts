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
    expect(d.title).toBe('Take back 100 NMR from model_1');
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
    expect(d.steps[0]!.description).toBe('Ask to take back 30 NMR from model_1');
    expect(d.lines.map((l) => l.label)).not.toContain('You will receive');
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
    expect(d.lines).toContainEqual({
      label: 'You will receive',
      value: '100 NMR at today’s value: all of your stake, less than the 1000 NMR you typed',
    });
  });

  it('says what share rounding will pay when it is not what was typed, and offers all of it', async () => {
    // 30.25 NMR + 1 wei is 15.125 shares + half a wei of a share: rounded down, worth 30.25 NMR.
    const d = await undelegateDraft(
      { kind: 'undelegate', modelId: 1, amountWei: 30_250_000_000_000_000_001n },
      fakeReads({ positions: held }),
      planContext(),
    );
    expect(call(d.steps[0]!.tx.data)).toEqual(['requestUndelegate', 1n, 15_125_000_000_000_000_000n]);
    expect(d.title).toBe('Take back 30.25 NMR from model_1');
    expect(d.lines).toContainEqual({
      label: 'You will receive',
      value:
        '30.25 NMR at today’s value, not the 30.250000000000000001 NMR you typed: the pool counts stakes in whole shares. To take back everything, go back and tick “Take back all of it”.',
    });
    const odd = await undelegateDraft(
      { kind: 'undelegate', modelId: 1, amountWei: 123_456_789n * 10n ** 11n + 1n },
      fakeReads({ positions: held }),
      planContext(),
    );
    expect(odd.title).toBe('Take back ≈12.3457 NMR from model_1');
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

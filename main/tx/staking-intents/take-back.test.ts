import { describe, expect, it } from 'vitest';
import { formatNmr } from '../../../shared/money';
import { fakeStakingReads, NMR, POOL, stakingContext, stakingModel } from '../../test-support/staking-reads';
import { sharesToWei, stakingPoolIface } from './draft';
import { takeBackDraft } from './take-back';

const requested = (data: unknown) => {
  const d = stakingPoolIface.parseTransaction({ data: String(data) })!;
  expect(d.name).toBe('requestRedeem');
  return d.args.toArray() as [bigint, bigint];
};
// A model whose share price is not round: 1,234.567… NMR of NAV over 1,000 × 10^24 shares.
const model = stakingModel(1, { navWei: 1234_567_890_123_456_789_012n, headRound: 700n, lastStakedRound: 702n });
const held = 100n * NMR * 1_000_000n;
const reads = fakeStakingReads({ models: [model], positions: { 1: { shares: held } } });

describe('takeBackDraft', () => {
  it('asks for the fewest shares worth at least the amount, and shows what they are really worth', async () => {
    for (const amountWei of [30n * NMR, 1n, 77_777_777_777_777_777n]) {
      const d = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei }, reads, stakingContext());
      const [modelId, shares] = requested(d.steps[0]!.tx.data);
      expect(modelId).toBe(1n);
      expect(d.steps[0]!.tx.to).toBe(POOL);
      const worth = sharesToWei(model, shares);
      expect(worth).toBeGreaterThanOrEqual(amountWei);
      expect(sharesToWei(model, shares - 1n)).toBeLessThan(amountWei);
      expect(d.lines).toContainEqual({ label: 'Worth now', value: `${formatNmr(worth)} NMR (after the pool's rounding)` });
      expect(d.title).toBe(`Take back about ${formatNmr(worth)} NMR from model_1`);
    }
    const third = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 30n * NMR }, reads, stakingContext());
    // 30 NMR of a 123.4567… NMR stake (100 of 1,000 NMR of shares in a 1,234.567… NMR model).
    expect(third.lines).toContainEqual({ label: 'Shares', value: '24.30% of yours' });
    const tiny = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 1n }, reads, stakingContext());
    expect(tiny.lines).toContainEqual({ label: 'Shares', value: 'under 0.01% of yours' });
  });

  it('takes every share for "all" or for more than the stake is worth, and says how long it waits', async () => {
    const all = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 'all' }, reads, stakingContext());
    expect(requested(all.steps[0]!.tx.data)[1]).toBe(held);
    expect(all.steps[0]!.description).toBe('Ask to take back all of your stake from model_1');
    expect(all.lines).toContainEqual({ label: 'Shares', value: 'all of yours' });
    expect(all.lines).toContainEqual({
      label: 'Withdrawable',
      value: 'once rounds 700 to 702 have resolved and been claimed, at the next checkpoint',
    });
    const more = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 10_000n * NMR }, reads, stakingContext());
    expect(requested(more.steps[0]!.tx.data)[1]).toBe(held);
    expect(more.lines).toContainEqual({ label: 'You asked for', value: '10000 NMR, more than your stake is worth' });
  });

  it('warns that an earlier request joins this one, and says when nothing is at Numerai', async () => {
    const idle = fakeStakingReads({ positions: { 1: { shares: held, exitingShares: 5n } } });
    const d = await takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 'all' }, idle, stakingContext());
    expect(d.warnings).toHaveLength(2);
    expect(d.lines).toContainEqual({ label: 'Withdrawable', value: 'at the next checkpoint: the model has nothing at Numerai now' });
  });

  it('refuses without shares, pointing at a waiting deposit', async () => {
    const waiting = fakeStakingReads({ positions: { 1: { pendingDepositWei: 3n * NMR } } });
    await expect(takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 'all' }, waiting, stakingContext())).rejects.toThrow(
      'You have no shares in model_1 to take back. Your 3 NMR still waiting can be cancelled instead.',
    );
    await expect(takeBackDraft({ kind: 'take-back', modelId: 1, amountWei: 0n }, reads, stakingContext())).rejects.toThrow(
      'The amount must be above zero.',
    );
  });
});

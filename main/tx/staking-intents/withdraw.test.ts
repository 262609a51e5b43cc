import { describe, expect, it } from 'vitest';
import { fakeStakingReads, NMR, stakingContext, stakingModel } from '../../test-support/staking-reads';
import { stakingPoolIface } from './draft';
import { withdrawFromPoolDraft } from './withdraw';

const calls = (d: { steps: { tx: { data?: unknown } }[] }) =>
  d.steps.map((s) => {
    const c = stakingPoolIface.parseTransaction({ data: String(s.tx.data) })!;
    return [c.name, ...c.args.toArray()];
  });

describe('withdrawFromPoolDraft', () => {
  it('withdraws what is converted', async () => {
    const reads = fakeStakingReads({ positions: { 2: { withdrawableWei: 7n * NMR + 5n } } });
    const d = await withdrawFromPoolDraft({ kind: 'withdraw', modelId: 2 }, reads, stakingContext());
    expect(calls(d)).toEqual([['withdraw', 2n]]);
    expect(d.title).toBe('Withdraw 7.000000000000000005 NMR');
    expect(d.lines).toEqual([
      { label: 'From', value: 'model_2' },
      { label: 'To your wallet', value: '7.000000000000000005 NMR' },
    ]);
  });

  it('runs the checkpoint first when the exit has matured but is not converted', async () => {
    const reads = fakeStakingReads({
      models: [stakingModel(1, { headRound: 705n, lastStakedRound: 706n })],
      positions: { 1: { exitingShares: 10n, exitingValueWei: 4n * NMR, unlockRound: 704n, withdrawableWei: NMR } },
    });
    const d = await withdrawFromPoolDraft({ kind: 'withdraw', modelId: 1 }, reads, stakingContext());
    expect(calls(d)).toEqual([
      ['checkpoint', [1n]],
      ['withdraw', 1n],
    ]);
    expect(d.steps.map((s) => s.kind)).toEqual(['checkpoint', 'withdraw']);
    expect(d.title).toBe('Withdraw about 5 NMR');
  });

  it('withdraws only what is converted, or is blocked, while a later round’s result waits to be claimed', async () => {
    const models = [stakingModel(1, { headRound: 705n, lastStakedRound: 706n })];
    const exit = { exitingShares: 10n, exitingValueWei: 4n * NMR, unlockRound: 704n };
    const some = fakeStakingReads({ models, positions: { 1: { ...exit, withdrawableWei: NMR } }, toClaim: { 1: [705n] } });
    const d = await withdrawFromPoolDraft({ kind: 'withdraw', modelId: 1 }, some, stakingContext());
    expect(calls(d)).toEqual([['withdraw', 1n]]);
    expect(d.warnings).toEqual(['The rest of your exit converts later: the result of round 705 is posted and must be claimed first.']);
    expect(d.blocker).toBeNull();
    const none = fakeStakingReads({ models, positions: { 1: exit }, toClaim: { 1: [705n] } });
    const blocked = await withdrawFromPoolDraft({ kind: 'withdraw', modelId: 1 }, none, stakingContext());
    expect(blocked.blocker).toBe('Not yet: the result of round 705 is posted and must be claimed first (“Claim round”).');
  });

  it('refuses while the exit still waits for its rounds, or when there is nothing', async () => {
    const waiting = fakeStakingReads({
      models: [stakingModel(1, { headRound: 703n, lastStakedRound: 706n })],
      positions: { 1: { exitingShares: 10n, unlockRound: 704n } },
    });
    await expect(withdrawFromPoolDraft({ kind: 'withdraw', modelId: 1 }, waiting, stakingContext())).rejects.toThrow(
      'Nothing from model_1 is withdrawable yet. It is withdrawable once rounds 703 to 704 have resolved and been claimed.',
    );
    await expect(withdrawFromPoolDraft({ kind: 'withdraw', modelId: 2 }, fakeStakingReads(), stakingContext())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Nothing from model_2 is withdrawable yet.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { V3StakeClaim } from '../../numerai/v3-api';
import { fakeStakingReads, NMR, POOL, stakingModel } from '../../test-support/staking-reads';
import { stakingPoolIface } from './draft';
import { relayClaimDraft } from './relay-claim';

const m2 = stakingModel(2);
const claim = (over: Partial<V3StakeClaim> = {}): V3StakeClaim => ({
  apiModelId: 'b6a2f5f0-0000-4000-8000-000000000002',
  burnAmountWei: '0',
  merkleRoot: '0x' + '1'.repeat(64),
  modelId: m2.numeraiModelId,
  payoutAmountWei: (12n * NMR).toString(),
  proof: ['0x' + '2'.repeat(64), '0x' + '3'.repeat(64)],
  roundId: '701',
  staker: POOL,
  submissionId: null,
  tournamentId: 8,
  ...over,
});
const reads = fakeStakingReads({ tranches: { '2:701': 100n * NMR } });

describe('relayClaimDraft', () => {
  it('relays the claim to the pool by the pool’s model id, with what comes back', async () => {
    const d = await relayClaimDraft({ kind: 'relay-claim', claim: claim() }, reads);
    expect(d.steps[0]!.kind).toBe('claim');
    expect(d.steps[0]!.tx.to).toBe(POOL);
    const c = stakingPoolIface.parseTransaction({ data: String(d.steps[0]!.tx.data) })!;
    expect(c.name).toBe('claim');
    expect(c.args.toArray().map((a: unknown) => (Array.isArray(a) ? [...a] : a))).toEqual([
      701n,
      2n,
      12n * NMR,
      0n,
      ['0x' + '2'.repeat(64), '0x' + '3'.repeat(64)],
    ]);
    expect(d.title).toBe('Claim round 701 for model_2');
    expect(d.lines).toContainEqual({ label: 'Result', value: 'paid 12 NMR' });
    expect(d.lines).toContainEqual({ label: 'Back to the pool', value: '112 NMR' });
  });

  it('shows a burn', async () => {
    const d = await relayClaimDraft(
      { kind: 'relay-claim', claim: claim({ payoutAmountWei: '0', burnAmountWei: (5n * NMR).toString() }) },
      reads,
    );
    expect(d.lines).toContainEqual({ label: 'Result', value: 'burned 5 NMR' });
    expect(d.lines).toContainEqual({ label: 'Back to the pool', value: '95 NMR' });
  });

  it('refuses another staker’s claim, an unknown model, and a round already claimed', async () => {
    await expect(relayClaimDraft({ kind: 'relay-claim', claim: claim({ staker: '0x' + 'e'.repeat(40) }) }, reads)).rejects.toThrow(
      'This result is for another staker, not for the pool.',
    );
    await expect(relayClaimDraft({ kind: 'relay-claim', claim: claim({ modelId: '0x' + 'f'.repeat(64) }) }, reads)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(relayClaimDraft({ kind: 'relay-claim', claim: claim({ roundId: '702' }) }, reads)).rejects.toThrow(
      'The pool has nothing unsettled for model_2 in round 702: it was claimed already or never staked.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ZeroHash } from 'ethers';
import { buildRoundTree } from '../../contracts/test-support/numerai';
import type { V3StakeClaim } from './v3-api';
import { proofMatches, verifyClaim, type ClaimCheckReads } from './verify-claim';

const NMR = 10n ** 18n;
const pool = '0x' + '9'.repeat(40);
const model = (n: number) => '0x' + n.toString(16).padStart(64, 'b');
const rows = [
  { roundId: 701n, staker: pool, modelId: model(1), payout: 12n * NMR, burn: 0n },
  { roundId: 701n, staker: pool, modelId: model(2), payout: 0n, burn: 3n * NMR },
  { roundId: 701n, staker: '0x' + 'e'.repeat(40), modelId: model(3), payout: NMR, burn: 0n },
];
const tree = buildRoundTree(rows);
const claimOf = (i: number, over: Partial<V3StakeClaim> = {}): V3StakeClaim => ({
  apiModelId: `model-${i}`,
  burnAmountWei: rows[i]!.burn.toString(),
  merkleRoot: tree.root,
  modelId: rows[i]!.modelId,
  payoutAmountWei: rows[i]!.payout.toString(),
  proof: tree.proofs[i]!,
  roundId: '701',
  staker: rows[i]!.staker,
  submissionId: null,
  tournamentId: 8,
  ...over,
});
const reads = (root: string, booked: { principalWei: bigint; returnedWei: bigint } | null): ClaimCheckReads => ({
  postedRoot: async () => root,
  booked: async () => booked,
});

describe('proofMatches', () => {
  it('accepts each row of Numerai’s tree and refuses a changed amount, staker or proof', () => {
    for (const i of [0, 1, 2]) expect(proofMatches(claimOf(i), tree.root)).toBe(true);
    expect(proofMatches(claimOf(0, { payoutAmountWei: (12n * NMR + 1n).toString() }), tree.root)).toBe(false);
    expect(proofMatches(claimOf(1, { staker: '0x' + 'e'.repeat(40) }), tree.root)).toBe(false);
    expect(proofMatches(claimOf(0, { proof: tree.proofs[1]! }), tree.root)).toBe(false);
    expect(proofMatches(claimOf(0, { proof: [] }), tree.root)).toBe(false);
  });
});

describe('verifyClaim', () => {
  it('says verified when the proof leads to the posted root and the pool booked exactly the result', async () => {
    const check = await verifyClaim(claimOf(0), reads(tree.root, { principalWei: 100n * NMR, returnedWei: 112n * NMR }));
    expect(check).toEqual({
      verdict: 'verified',
      words: "Verified: Numerai's contract holds this result for round 701 (a payout of 12 NMR), and the pool booked exactly it.",
    });
    const burn = await verifyClaim(claimOf(1), reads(tree.root, { principalWei: 50n * NMR, returnedWei: 47n * NMR }));
    expect(burn.verdict).toBe('verified');
    expect(burn.words).toContain('(a burn of 3 NMR)');
    const unbooked = await verifyClaim(claimOf(2), reads(tree.root, null));
    expect(unbooked.verdict).toBe('verified');
    expect(unbooked.words).toContain('The pool has not booked it yet.');
  });

  it('says so when the root is not posted yet', async () => {
    const check = await verifyClaim(claimOf(0), reads(ZeroHash, null));
    expect(check).toEqual({
      verdict: 'root-not-posted',
      words: 'Numerai has not posted the results of round 701 on its contract yet, so there is nothing to check against.',
    });
  });

  it('says the proof does not match for other amounts or another root', async () => {
    const other = buildRoundTree([{ ...rows[0]!, payout: 13n * NMR }]);
    const changed = await verifyClaim(claimOf(0, { payoutAmountWei: (13n * NMR).toString() }), reads(tree.root, null));
    expect(changed.verdict).toBe('proof-mismatch');
    expect(changed.words).toContain('its proof does not lead to the root');
    const elsewhere = await verifyClaim(claimOf(0), reads(other.root, null));
    expect(elsewhere).toMatchObject({ verdict: 'proof-mismatch' });
    expect(elsewhere.words).toContain('names another root');
  });

  it('says the amounts differ when the pool booked another result than Numerai posted', async () => {
    const check = await verifyClaim(claimOf(0), reads(tree.root, { principalWei: 100n * NMR, returnedWei: 111n * NMR }));
    expect(check).toEqual({
      verdict: 'amounts-differ',
      words:
        "Numerai's contract confirms a payout of 12 NMR for round 701, but the pool booked 111 NMR back for 100 NMR staked instead of 112 NMR.",
    });
  });
});

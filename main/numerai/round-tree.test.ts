import { Wallet, zeroPadValue } from 'ethers';
import { describe, expect, it } from 'vitest';
import { claimLeafHash, type ClaimRow } from '../../contracts/numerai-layout';
import { buildRoundTree, loadRoundTree } from './round-tree';

const NMR = 10n ** 18n;
const stakers = [Wallet.createRandom().address, Wallet.createRandom().address];
const rows: ClaimRow[] = [
  { roundId: 7n, staker: stakers[0]!, modelId: zeroPadValue('0x01', 32), payout: 3n * NMR, burn: 0n },
  { roundId: 7n, staker: stakers[0]!, modelId: zeroPadValue('0x02', 32), payout: 0n, burn: NMR / 3n },
  { roundId: 7n, staker: stakers[1]!, modelId: zeroPadValue('0x01', 32), payout: 0n, burn: 0n },
];

describe('a round tree', () => {
  it('sums the payouts and burns and proves each row against its root', () => {
    const t = buildRoundTree(7n, rows);
    expect(t.totalPayout).toBe(3n * NMR);
    expect(t.totalBurn).toBe(NMR / 3n);
    expect(t.rowOf(stakers[0]!.toLowerCase(), rows[1]!.modelId)).toEqual(rows[1]);
    expect(t.rowOf(stakers[1]!, rows[1]!.modelId)).toBeUndefined();
    expect(() => t.proofOf(stakers[1]!, rows[1]!.modelId)).toThrow(/no result/);
  });

  it('loads back from its dump (through JSON) with the same root and proofs', () => {
    const t = buildRoundTree(7n, rows);
    const back = loadRoundTree(JSON.parse(JSON.stringify(t.dump())));
    expect(back.root).toBe(t.root);
    expect(back.roundId).toBe(7n);
    expect(back.totalPayout).toBe(t.totalPayout);
    expect(back.totalBurn).toBe(t.totalBurn);
    expect(back.rows).toEqual(rows);
    for (const r of rows) expect(back.proofOf(r.staker, r.modelId)).toEqual(t.proofOf(r.staker, r.modelId));
  });

  it('has the leaf hash the staking contract computes (contracts/numerai-layout.ts)', () => {
    const one = buildRoundTree(7n, [rows[0]!]);
    // A one-leaf tree's root is its leaf.
    expect(one.root).toBe(claimLeafHash(rows[0]!));
  });

  it('refuses a tampered dump (before its first answer), another encoding, mixed rounds and duplicate positions', () => {
    const dump = buildRoundTree(7n, rows).dump();
    const tampered = structuredClone(dump);
    tampered.tree.values[0]!.value[3] = '1';
    // Checked before the tree's first answer (not at load: a start need not pay for it).
    const loaded = loadRoundTree(tampered);
    expect(() => loaded.rows).toThrow();
    expect(() => loadRoundTree(tampered).proofOf(rows[1]!.staker, rows[1]!.modelId)).toThrow();
    expect(() => loadRoundTree(tampered).rowOf(rows[1]!.staker, rows[1]!.modelId)).toThrow();
    expect(loadRoundTree(dump).proofOf(rows[1]!.staker, rows[1]!.modelId)).toEqual(
      buildRoundTree(7n, rows).proofOf(rows[1]!.staker, rows[1]!.modelId),
    );
    const otherEncoding = structuredClone(dump);
    otherEncoding.tree.leafEncoding = ['uint256', 'address', 'bytes32', 'int256', 'uint256'];
    expect(() => loadRoundTree(otherEncoding)).toThrow(/not ours/);
    expect(() => loadRoundTree({ ...dump, roundId: '8' })).toThrow(/another round/);
    expect(() => loadRoundTree({ roundId: 'x' })).toThrow();
    expect(() => buildRoundTree(8n, rows)).toThrow(/round 7 in the tree of round 8/);
    expect(() => buildRoundTree(7n, [rows[0]!, { ...rows[0]!, payout: 1n }])).toThrow(/two results/);
    expect(() => buildRoundTree(7n, [])).toThrow();
  });
});

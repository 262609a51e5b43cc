/**
 * A Numerai round's results as Numerai posts them on chain (ABS.md T1, "Settlement"): one leaf of
 * (round, staker, model, payout, burn) per position, the Merkle root, the aggregate payout and burn,
 * and a proof per position. The leaf encoding is contracts/numerai-layout.ts's (our choice, ABS.md Q1
 * marks it unknown); @openzeppelin/merkle-tree builds the tree. A tree is dumped to JSON and loaded
 * back (checked) so the proofs survive a restart of whoever answers `v3StakeClaim`.
 */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { z } from 'zod';
import { CLAIM_LEAF_ENCODING, claimLeafValues, type ClaimLeaf, type ClaimRow } from '../../contracts/numerai-layout';

export interface RoundTree {
  readonly roundId: bigint;
  readonly root: string;
  readonly totalPayout: bigint;
  readonly totalBurn: bigint;
  /** The tree's rows, in the order they were given. */
  readonly rows: readonly ClaimRow[];
  /** The row of (staker, model), or undefined when the round has no such position. */
  rowOf(staker: string, modelId: string): ClaimRow | undefined;
  /** The proof of (staker, model)'s row; throws when there is none. */
  proofOf(staker: string, modelId: string): string[];
  dump(): RoundTreeDump;
}

const Hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const Decimal = z.string().regex(/^\d{1,78}$/);
const Leaf = z.tuple([Decimal, z.string().regex(/^0x[0-9a-fA-F]{40}$/), Hex32, Decimal, Decimal]);

/** What a tree is saved as: OpenZeppelin's own dump (bigints as decimal strings) plus the round. */
export const RoundTreeDump = z.object({
  roundId: Decimal,
  tree: z.object({
    format: z.literal('standard-v1'),
    leafEncoding: z.array(z.string()),
    tree: z.array(Hex32).min(1),
    values: z.array(z.object({ value: Leaf, treeIndex: z.number().int().nonnegative() })).min(1),
  }),
});
export type RoundTreeDump = z.infer<typeof RoundTreeDump>;

type StoredLeaf = z.infer<typeof Leaf>;

const key = (staker: string, modelId: string) => `${staker.toLowerCase()}:${modelId.toLowerCase()}`;

/** A round's tree from its positions' results. Every row must belong to `roundId`; (staker, model) is unique. */
export function buildRoundTree(roundId: bigint, rows: readonly ClaimRow[]): RoundTree {
  if (rows.length === 0) throw new Error('a round tree needs at least one position');
  for (const r of rows) {
    if (r.roundId !== roundId) throw new Error(`row of round ${r.roundId} in the tree of round ${roundId}`);
    if (r.payout < 0n || r.burn < 0n) throw new Error('payout and burn are never negative');
  }
  const tree = StandardMerkleTree.of<ClaimLeaf>(rows.map(claimLeafValues), [...CLAIM_LEAF_ENCODING]);
  return wrap(roundId, rows, tree.root, () => tree);
}

/** A tree saved by `dump()`, checked: its encoding is ours, its hashes match its values, one round. */
export function loadRoundTree(data: unknown): RoundTree {
  const d = RoundTreeDump.parse(data);
  if (JSON.stringify(d.tree.leafEncoding) !== JSON.stringify(CLAIM_LEAF_ENCODING)) {
    throw new Error(`a round tree with leaf encoding ${d.tree.leafEncoding.join(',')} is not ours`);
  }
  const roundId = BigInt(d.roundId);
  const rows = d.tree.values.map(({ value: [round, staker, modelId, payout, burn] }) => ({
    roundId: BigInt(round),
    staker,
    modelId,
    payout: BigInt(payout),
    burn: BigInt(burn),
  }));
  if (rows.some((r) => r.roundId !== roundId)) throw new Error(`the tree of round ${roundId} holds another round's rows`);
  // StandardMerkleTree.load() checks every leaf and node against the values (~35 ms for a demo
  // round, on every start): it is done before the tree's first answer instead; the root is the
  // stored one until then (the first node of a standard tree's array).
  let loaded: StandardMerkleTree<ClaimLeaf> | null = null;
  const tree = () => (loaded ??= StandardMerkleTree.load<StoredLeaf>(d.tree) as unknown as StandardMerkleTree<ClaimLeaf>);
  return wrap(roundId, rows, d.tree.tree[0]!, tree);
}

/** `tree()` is called before the first answer that depends on the values (it may check them then, and throw). */
function wrap(roundId: bigint, rows: readonly ClaimRow[], root: string, tree: () => StandardMerkleTree<ClaimLeaf>): RoundTree {
  const check = () => void tree();
  const index = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = key(r.staker, r.modelId);
    if (index.has(k)) throw new Error(`two results for ${r.staker} / ${r.modelId} in round ${roundId}`);
    index.set(k, i);
  });
  return {
    roundId,
    root,
    totalPayout: rows.reduce((a, r) => a + r.payout, 0n),
    totalBurn: rows.reduce((a, r) => a + r.burn, 0n),
    get rows() {
      check();
      return rows;
    },
    rowOf(staker, modelId) {
      check();
      const i = index.get(key(staker, modelId));
      return i === undefined ? undefined : rows[i];
    },
    proofOf(staker, modelId) {
      check();
      const i = index.get(key(staker, modelId));
      if (i === undefined) throw new Error(`no result for ${staker} / ${modelId} in round ${roundId}`);
      // A row's index in `rows` is its index in the values the tree was built (or dumped) from.
      return tree().getProof(i);
    },
    dump() {
      const raw = tree().dump();
      return {
        roundId: roundId.toString(),
        tree: {
          format: 'standard-v1',
          leafEncoding: [...raw.leafEncoding],
          tree: [...raw.tree],
          values: raw.values.map(({ value: [round, staker, modelId, payout, burn], treeIndex }) => ({
            value: [round.toString(), staker, modelId, payout.toString(), burn.toString()] as StoredLeaf,
            treeIndex,
          })),
        },
      };
    },
  };
}

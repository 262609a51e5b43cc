/**
 * How many confirmations (the block itself and those mined on top of it) make a block final enough
 * to rely on. A transaction is reported "confirmed" at this count, and the reward history reads
 * only blocks that have it: one table, so the two never disagree about what is settled.
 * The local demo chain is one node that makes a block only when a transaction arrives: there are no
 * reorgs to wait out, and waiting for a later block could wait forever, so mined is final there.
 * On a public network a block can still be swapped for a sibling for a block or two.
 */
export const CONFIRMATIONS_NEEDED = { local: 1, remote: 3 } as const satisfies Record<'local' | 'remote', number>;

/**
 * Blocks to stay behind the head so every block read has CONFIRMATIONS_NEEDED: the head itself has
 * one confirmation, so this is one less (0 on the local chain, where nothing reorganizes).
 */
export function blocksBehindHead(kind: 'local' | 'remote'): number {
  return CONFIRMATIONS_NEEDED[kind] - 1;
}

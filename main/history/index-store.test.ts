import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexStore } from './index-store';
import { packEvent, type PoolEvent } from './pool-events';

const dir = mkdtempSync(join(tmpdir(), 'history-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const id = { chainId: 31337, pool: '0xE7f1725E7734CE288F8367e1Bb143E90bb3F0512', deployBlock: 1 };

/** `n` results in transactions of 7 logs, the logs of a block in reverse order of arrival. */
function events(n: number, from = 0): PoolEvent[] {
  return Array.from({ length: n }, (_, k): PoolEvent => {
    const i = from + k;
    return {
      kind: 'RoundResolved',
      block: 10 + Math.floor(i / 7),
      logIndex: 6 - (i % 7),
      txHash: `0x${Math.floor(i / 7)
        .toString(16)
        .padStart(64, '0')}`,
      round: Math.floor(i / 7),
      modelId: i % 7,
      returnBps: (i % 11) - 5,
      stakeBeforeWei: BigInt(i) * 10n ** 20n,
      stakeAfterWei: BigInt(i + 1) * 10n ** 20n,
      rewardWei: 0n,
      feeWei: BigInt(i % 3),
      burnedWei: 0n,
      depositsInWei: 0n,
      sharesMinted: 0n,
      exitSharesBurned: 0n,
      exitAssetsWei: 0n,
      totalSharesAfter: 2n ** 200n + BigInt(i),
    };
  });
}

describe('IndexStore segments', () => {
  it.each([0, 1, 1_999, 2_000, 2_001, 4_500])(
    'writes %i events as the JSON of their packed form and reads them back in chain order',
    (n) => {
      const sub = join(dir, `n${n}`);
      const store = IndexStore.open(sub, id);
      const evs = events(n);
      expect(store.addEvents(evs)).toBe(n);
      // A range read twice adds nothing.
      expect(store.addEvents(evs.slice(0, 50))).toBe(0);
      store.noteBlock(10, `0x${'ab'.repeat(32)}`, 1_700_000_000);
      store.commit();
      const seg = readFileSync(join(sub, 'seg-000001.json'), 'utf8');
      expect(seg).toBe(JSON.stringify({ events: evs.map(packEvent), blocks: [[10, 1_700_000_000, `0x${'ab'.repeat(32)}`]] }));

      const again = IndexStore.open(sub, id);
      const sorted = [...evs].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
      expect(again.eventCount).toBe(n);
      expect(again.sortedEvents()).toEqual(sorted);
      expect(store.sortedEvents()).toEqual(sorted);
    },
  );

  it('forgets the events above a block on a rollback, and keeps them out after a reopen', () => {
    const sub = join(dir, 'rollback');
    const store = IndexStore.open(sub, id);
    store.addEvents(events(700));
    store.commit();
    store.rollback(40);
    const kept = events(700).filter((e) => e.block <= 40);
    expect(store.eventCount).toBe(kept.length);
    expect(IndexStore.open(sub, id).sortedEvents()).toEqual(kept.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex));
    // Read again after the rollback: the forgotten ones are new again, the kept ones are not.
    expect(store.addEvents(events(700))).toBe(700 - kept.length);
  });
});

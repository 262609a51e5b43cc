import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexStore } from './index-store';
import { packStakingEvent, type StakingEvent } from './staking-events';

const dir = mkdtempSync(join(tmpdir(), 'history-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const id = { chainId: 31337, pool: '0xE7f1725E7734CE288F8367e1Bb143E90bb3F0512', deployBlock: 1 };

/** `n` settled tranches in transactions of 7 logs, the logs of a block in reverse order of arrival. */
function events(n: number, from = 0): StakingEvent[] {
  return Array.from({ length: n }, (_, k): StakingEvent => {
    const i = from + k;
    return {
      kind: 'TrancheSettled',
      block: 10 + Math.floor(i / 7),
      logIndex: 6 - (i % 7),
      txHash: `0x${Math.floor(i / 7)
        .toString(16)
        .padStart(64, '0')}`,
      modelId: i % 7,
      roundId: Math.floor(i / 7),
      principalWei: BigInt(i) * 10n ** 20n,
      returnedWei: 2n ** 200n + BigInt(i),
      feeWei: BigInt(i % 3),
      alreadySettled: i % 5 === 0,
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
      expect(seg).toBe(JSON.stringify({ events: evs.map(packStakingEvent), blocks: [[10, 1_700_000_000, `0x${'ab'.repeat(32)}`]] }));

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

  it('keeps each kind of StakingPool event in its compact form, and reads an index of another version as none', () => {
    const sub = join(dir, 'staking');
    const tx = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;
    const staking: StakingEvent[] = [
      { kind: 'TrancheStaked', block: 12, logIndex: 1, txHash: tx(2), modelId: 3, roundId: 1_001, amountWei: 5n * 10n ** 20n, feeBps: 500 },
      {
        kind: 'TrancheSettled',
        block: 14,
        logIndex: 0,
        txHash: tx(3),
        modelId: 3,
        roundId: 1_001,
        principalWei: 5n * 10n ** 20n,
        returnedWei: 2n ** 200n,
        feeWei: 7n,
        alreadySettled: false,
      },
      { kind: 'Delegated', block: 11, logIndex: 4, txHash: tx(1), holder: `0x${'ab'.repeat(20)}`, modelId: 3, epoch: 1, amountWei: 1n },
    ];
    const store = IndexStore.open(sub, id);
    expect(store.addEvents(staking)).toBe(3);
    store.commit();
    expect(IndexStore.open(sub, id).sortedEvents()).toEqual([staking[2], staking[0], staking[1]]);
    // An index written by an earlier version (it may hold the earlier pool's events) is read again from the chain.
    const manifest = join(sub, 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"version":2', '"version":1'));
    expect(IndexStore.open(sub, id).eventCount).toBe(0);
  });
});

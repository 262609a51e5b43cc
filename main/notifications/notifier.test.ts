import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent, HistoryEntryWei, StakingPositionWei } from '../../shared/api';
import { EventBus } from '../ipc/events';
import { silentLogger } from '../log/logger';
import { Notifier, type NotifierChain } from './notifier';
import { NotificationStore } from './store';
import { position as emptyPosition, TX_HASH as HASH, txStatus } from './test-support/fixtures';

const position = (over: Partial<StakingPositionWei>) => emptyPosition({ name: 'm1', shares: 1n, valueWei: 1n, ...over });

const A = '0x00000000000000000000000000000000000000A1';
const B = '0x00000000000000000000000000000000000000b2';

/** A chain whose history and positions a test moves on by hand. */
class FakeChain implements NotifierChain {
  rows: HistoryEntryWei[] = [];
  head = 10;
  positionsOf = new Map<string, StakingPositionWei[]>();
  constructor(private readonly k = 'chain-1') {}
  key = async () => this.k;
  async results(accounts: readonly string[], afterBlock: number) {
    const mine = this.rows.filter((r) => accounts.includes(r.account) && r.block > afterBlock && r.block <= this.head);
    return { rows: mine, asOfBlock: this.head };
  }
  async positions(account: string) {
    return this.positionsOf.get(account) ?? [];
  }
  settle(account: string, modelId: number, roundId: number, valueChangeWei: bigint) {
    this.head += 1;
    this.rows.push({
      timeMs: 0,
      account,
      modelId,
      model: `m${modelId}`,
      kind: valueChangeWei < 0n ? 'burn' : 'payout',
      roundId,
      amountWei: valueChangeWei,
      valueChangeWei,
      valueAfterWei: 0n,
      txHash: HASH,
      block: this.head,
      logIndex: 0,
    });
  }
}

const dirs: string[] = [];
const running: Notifier[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.close()));
});

function setup(opts: { dir?: string; chain?: FakeChain; accounts?: string[] } = {}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'notify-'));
  dirs.push(dir);
  const chain = opts.chain ?? new FakeChain();
  const events = new EventBus();
  const seen: AnyEvent[] = [];
  events.subscribe((e) => seen.push(e));
  let accounts = opts.accounts ?? [A];
  const notifier = new Notifier({
    store: new NotificationStore(join(dir, 'notifications.json')),
    events,
    log: silentLogger,
    accounts: () => accounts,
    activeAccount: () => accounts[0] ?? null,
    chain: async () => chain,
    pollMs: 3_600_000,
  });
  running.push(notifier);
  const changes = () => seen.filter((e): e is Extract<AnyEvent, { name: 'notifications.changed' }> => e.name === 'notifications.changed');
  return { dir, chain, events, notifier, changes, setAccounts: (a: string[]) => (accounts = a) };
}

const confirmed = (requestId: string) => txStatus({ txId: `${requestId}:1`, requestId, label: 'Delegate 2 NMR to m1', step: 1, steps: 1 });

describe('Notifier', () => {
  it('notes where an account stands at the first look, then tells each new round result once', async () => {
    const { chain, notifier, changes } = setup();
    chain.settle(A, 1, 5, 7n); // before the app watched: History's, not news
    await notifier.look();
    expect(await notifier.list()).toEqual({ items: [], unread: 0 });

    chain.settle(A, 1, 6, 123_456_789_012_345_678_901n);
    chain.settle(A, 2, 6, -42n);
    await notifier.look();
    await notifier.look(); // the same history again: nothing more
    const { items, unread } = await notifier.list();
    expect(unread).toBe(2);
    expect(items.map((n) => [n.model, n.roundId, n.amountWei])).toEqual([
      ['m2', 6, '-42'],
      ['m1', 6, '123456789012345678901'],
    ]);
    expect(changes()).toHaveLength(1);
    expect(changes()[0]!.payload.added).toHaveLength(2);
  });

  it('tells nothing twice after a restart, and what happened while it was closed once', async () => {
    const first = setup();
    await first.notifier.look();
    first.chain.settle(A, 1, 6, 5n);
    await first.notifier.look();
    await first.notifier.markAllRead();
    await first.notifier.close();

    first.chain.settle(A, 1, 7, 6n); // while the app was closed
    const again = setup({ dir: first.dir, chain: first.chain });
    await again.notifier.look();
    await again.notifier.look();
    const { items, unread } = await again.notifier.list();
    expect(items.map((n) => [n.roundId, n.read])).toEqual([
      [7, false],
      [6, true],
    ]);
    expect(unread).toBe(1);
  });

  it('tells nothing twice when the history is read again from the start (a re-sync)', async () => {
    const { chain, notifier, dir } = setup();
    await notifier.look();
    chain.settle(A, 1, 6, 5n);
    await notifier.look();
    // A rebuilt index answers the same rows again; even a lost cursor finds the ids seen.
    const rewound = setup({ dir, chain });
    const store = new NotificationStore(join(dir, 'notifications.json'));
    expect(store.commit({ drafts: [], cursors: { [`chain-1:${A.toLowerCase()}`]: 0 } })).toEqual([]);
    await rewound.notifier.look();
    expect((await rewound.notifier.list()).items).toHaveLength(1);
  });

  it('tells a confirmed transaction from its status event, once, and only with a wallet', async () => {
    const { events, notifier, setAccounts } = setup();
    notifier.start();
    events.emit('tx.status', confirmed('r1'));
    events.emit('tx.status', confirmed('r1'));
    await notifier.look();
    await new Promise((r) => setTimeout(r, 10));
    expect((await notifier.list()).items.map((n) => [n.kind, n.title, n.account])).toEqual([
      ['tx-confirmed', 'Delegate 2 NMR to m1: confirmed', A],
    ]);

    setAccounts([]);
    events.emit('tx.status', confirmed('r2'));
    await new Promise((r) => setTimeout(r, 10));
    setAccounts([A]);
    expect((await notifier.list()).items).toHaveLength(1);
  });

  it('tells NMR ready to withdraw once per exit, not at the first look', async () => {
    const { chain, notifier } = setup({ accounts: [A, B] });
    chain.positionsOf.set(B, [position({ withdrawableWei: 9n })]);
    await notifier.look();
    expect((await notifier.list()).items).toEqual([]);

    chain.positionsOf.set(A, [position({ leavingShares: 3n, leavingValueWei: 30n, leavingMatured: true, unlockRound: 9 })]);
    await notifier.look();
    chain.positionsOf.set(A, [position({ withdrawableWei: 30n })]); // converted: still the same exit
    await notifier.look();
    const items = (await notifier.list()).items;
    expect(items.map((n) => [n.kind, n.account, n.amountWei])).toEqual([['withdrawable', A, '30']]);
  });

  it('keeps each chain apart: a fresh demo chain is watched from where it stands, and lists only its own', async () => {
    const old = new FakeChain('old');
    const first = setup({ chain: old });
    await first.notifier.look();
    old.settle(A, 1, 6, 5n);
    await first.notifier.look();
    await first.notifier.close();
    const fresh = new FakeChain('fresh');
    fresh.settle(A, 1, 6, 8n);
    const second = setup({ dir: first.dir, chain: fresh });
    await second.notifier.look();
    fresh.settle(A, 1, 7, 9n);
    await second.notifier.look();
    // The other chain's notification is kept, not shown: its links would open this network's pages.
    expect((await second.notifier.list()).items.map((n) => n.amountWei)).toEqual(['9']);
    await second.notifier.close();
    const back = setup({ dir: first.dir, chain: old });
    expect((await back.notifier.list()).items.map((n) => n.amountWei)).toEqual(['5']);
    await back.notifier.markAllRead();
    expect((await back.notifier.list()).unread).toBe(0);
    const freshAgain = setup({ dir: first.dir, chain: fresh });
    expect((await freshAgain.notifier.list()).unread).toBe(1);
  });

  it('sets a damaged file aside and starts an empty list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notify-'));
    writeFileSync(join(dir, 'notifications.json'), '{"version":1,"items":[');
    const store = new NotificationStore(join(dir, 'notifications.json'));
    expect(store.recoveredFrom).not.toBeNull();
    expect(store.list([A], 'x')).toEqual({ items: [], unread: 0 });
    expect(readdirSync(dir).some((f) => f.startsWith('notifications.json.corrupt-'))).toBe(true);
  });
});

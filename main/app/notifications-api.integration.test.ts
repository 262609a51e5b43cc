/**
 * Notifications through the app's router on the demo chain, as the page reads them: nothing without
 * a wallet; a delegation confirmed; one result per position and Numerai round, equal to the wei to
 * the position's result in the returns (Portfolio's "Your part"); NMR ready to withdraw once; read
 * state and no repeat after a restart on the same user-data folder and further demo steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationList, PositionReturns } from '../../shared/api';
import { createRecords } from './records-adapter';
import { startStakingTestApp, type StakingTestApp } from './test-support/staking-app';

const NMR = 10n ** 18n;
const holder = Wallet.createRandom();
const dir = mkdtempSync(join(tmpdir(), 'notifications-api-'));
let t: StakingTestApp;

const open = async () => (t = await startStakingTestApp('notifications-api-', createRecords({ chainModels: 12 }), {}, dir));
const list = async () => (await t.ok('notifications.list')) as unknown as NotificationList;

/** Polls `check` until it answers (main looks for news after each event, in the background). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await list())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function advanceUntil(what: string, done: () => Promise<boolean>, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    await t.ok('devnet.advanceRound');
    if (await done()) return;
  }
  throw new Error(`${what}: not after ${max} demo steps`);
}

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notifications through the router', () => {
  it('tells a delegation, each round result to the wei, NMR ready to withdraw, once each, across a restart', async () => {
    await open();
    expect(await list()).toEqual({ items: [], unread: 0 });
    await t.ok('devnet.advanceRound'); // a demo step without a wallet tells nobody anything
    expect(await list()).toEqual({ items: [], unread: 0 });

    await t.ok('wallet.importPrivateKey', { privateKey: holder.privateKey, password: 'long password' });
    await t.ok('faucet.request');
    const models = (await t.ok('models.list', { scope: 'pool', limit: 100 })) as { rows: { name: string; modelId: number }[] };
    const [first, second] = models.rows as [{ name: string; modelId: number }, { name: string; modelId: number }];
    await t.transact({
      kind: 'delegate',
      allocations: [first, second].map((m) => ({ modelId: m.modelId, amountWei: (100n * NMR).toString() })),
    });

    const confirmed = await eventually('the delegation confirmed', async () => (await list()).items.find((n) => n.kind === 'tx-confirmed'));
    expect(confirmed).toMatchObject({ account: holder.address, place: 'history', read: false });
    expect(confirmed.title).toMatch(/: confirmed$/);

    // A round staked, resolved and claimed: one result per position and round, as the returns say, to the wei.
    const settledRounds = async () => {
      const r = (await t.ok('portfolio.returns')) as { positions: PositionReturns[] };
      const rounds = r.positions.flatMap((p) => p.rounds.map((x) => ({ modelId: p.modelId, ...x })));
      return [first, second].every((m) => rounds.some((x) => x.modelId === m.modelId)) ? rounds : undefined;
    };
    await advanceUntil('a round settled for both positions', async () => (await settledRounds()) !== undefined);
    const rounds = (await settledRounds())!;
    const results = await eventually('every settled round told', async () => {
      const items = (await list()).items.filter((n) => n.kind === 'round-result');
      return items.length >= rounds.length ? items : undefined;
    });
    expect(results).toHaveLength(rounds.length);
    for (const x of rounds) {
      const told = results.find((n) => n.modelId === x.modelId && n.roundId === x.round);
      expect(told?.amountWei, `${x.modelId} round ${x.round}`).toBe(x.resultWei);
      expect(told).toMatchObject({
        model: [first, second].find((m) => m.modelId === x.modelId)!.name,
        account: holder.address,
        place: 'portfolio',
      });
    }

    // Take everything back from one position: once it leaves Numerai's rounds, "ready to withdraw" once.
    await t.transact({ kind: 'take-back', modelId: first.modelId, amountWei: 'all' });
    let ready = 0n;
    await advanceUntil('the exit ready', async () => {
      const x = (await t.portfolio()).positions.find((p) => p.modelId === first.modelId)!;
      ready = BigInt(x.withdrawableWei) + (x.leavingMatured ? BigInt(x.leavingValueWei) : 0n);
      return ready > 0n;
    });
    const withdrawable = await eventually('ready to withdraw told', async () =>
      (await list()).items.find((n) => n.kind === 'withdrawable'),
    );
    expect(withdrawable).toMatchObject({ modelId: first.modelId, amountWei: ready.toString() });

    const read = (await t.ok('notifications.markAllRead')) as unknown as NotificationList;
    expect(read.unread).toBe(0);
    const before = read.items.map((n) => n.id);
    expect(new Set(before).size).toBe(before.length);

    // Restart on the same folder, and move on: nothing told twice, what was read stays read.
    await t.close();
    await open();
    await t.ok('wallet.unlock', { password: 'long password' });
    await t.ok('devnet.advanceRound');
    await t.ok('devnet.advanceRound');
    const after = await list();
    const ids = after.items.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The chain reloaded from its saved state is the same chain (its first block is), so its facts keep their ids.
    expect(ids.length).toBeGreaterThan(before.length);
    expect(new Set(ids.map((id) => id.split(':')[1]))).toEqual(new Set([before[0]!.split(':')[1]]));
    for (const id of before) expect(after.items.find((n) => n.id === id)?.read, id).toBe(true);
    expect(after.items.filter((n) => n.kind === 'withdrawable')).toHaveLength(1);
    for (const x of rounds) expect(after.items.filter((n) => n.modelId === x.modelId && n.roundId === x.round)).toHaveLength(1);
  }, 300_000);
});

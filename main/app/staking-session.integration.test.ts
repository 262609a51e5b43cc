/**
 * The app on the staking world (the demo chain), through its own API as the page
 * calls it: a holder gets demo NMR, delegates to three models, the demo moves by itself (operators
 * stake through the demo Numerai's API, Numerai resolves, results are relayed), the portfolio shows
 * the rounds with a payout for one model and a burn for another, equal to the chain to the wei,
 * "Check with Numerai" says verified, and the holder takes back and withdraws exactly what the
 * portfolio said; NMR still waiting is cancelled back whole, and a result already booked is not relayed twice.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StakingPortfolio } from '../../shared/api';
import { demoModelRoundResult } from '../records';
import { createRecords } from './records-adapter';
import { expectPortfolioOnChain, startStakingTestApp, type StakingTestApp } from './test-support/staking-app';

type Position = StakingPortfolio['positions'][number];
const NMR = 10n ** 18n;
const MODELS = 12;

const holder = Wallet.createRandom();
let t: StakingTestApp;
const ok = (method: string, input?: unknown) => t.ok(method, input);
const call = (method: string, input?: unknown) => t.call(method, input);
const transact = (intent: unknown) => t.transact(intent);
const portfolio = () => t.portfolio();

/** Moves the demo until `done` holds (a step is a demo day), at most `max` steps. */
async function advanceUntil(what: string, done: () => Promise<boolean>, max = 12): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await ok('devnet.advanceRound');
    if (await done()) return i;
  }
  throw new Error(`${what}: not after ${max} demo steps`);
}

beforeAll(async () => {
  t = await startStakingTestApp('staking-session-', createRecords({ chainModels: MODELS }), {});
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the app on the staking world', () => {
  it('delegates, stakes through Numerai, shows a payout and a burn to the wei, verifies, takes back and withdraws', async () => {
    expect(await ok('app.info')).toMatchObject({ network: { kind: 'local' } });
    await ok('wallet.importPrivateKey', { privateKey: holder.privateKey, password: 'long password' });
    expect(await ok('faucet.request')).toMatchObject({ balanceNmrWei: (1_000n * NMR).toString() });

    // The pool's models, and the Numerai round the operators stake next.
    const list = await ok('models.list', { scope: 'pool', limit: 100 });
    const rows = list.rows as { name: string; modelId: number }[];
    expect(rows).toHaveLength(MODELS);
    const round = Number(list.currentRound);
    // Numerai pays 5×CORR + 10×MMC: a model with both positive is paid, both negative burned.
    const result = (name: string) => demoModelRoundResult(name, round);
    const winner = rows.find((r) => (result(r.name)?.corr20 ?? 0) > 0 && (result(r.name)?.mmc ?? 0) > 0);
    const loser = rows.find((r) => (result(r.name)?.corr20 ?? 0) < 0 && (result(r.name)?.mmc ?? 0) < 0);
    expect(winner, 'a demo model paid in the round').toBeDefined();
    expect(loser, 'a demo model burned in the round').toBeDefined();
    const third = rows.find((r) => r !== winner && r !== loser)!;
    const chosen = [winner!, loser!, third];

    await transact({ kind: 'delegate', allocations: chosen.map((m) => ({ modelId: m.modelId, amountWei: (100n * NMR).toString() })) });
    let p = await portfolio();
    expect(p.positions.map((x) => [x.modelId, x.waitingWei])).toEqual(
      chosen.map((m) => [m.modelId, (100n * NMR).toString()]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );

    // Operators stake the round, Numerai resolves it, someone relays: the demo moves by itself.
    const settledIn = (x: Position | undefined) => x?.rounds.find((r) => r.roundId === round && r.state === 'claimed');
    const byId = (id: number) => p.positions.find((x) => x.modelId === id);
    const steps = await advanceUntil('the round staked, resolved and claimed', async () => {
      p = await portfolio();
      return chosen.every((m) => settledIn(byId(m.modelId)) !== undefined);
    });
    expect(steps).toBeGreaterThanOrEqual(2);
    const paid = settledIn(byId(winner!.modelId))!;
    const burned = settledIn(byId(loser!.modelId))!;
    expect(BigInt(paid.result!.paidWei)).toBeGreaterThan(0n);
    expect(BigInt(burned.result!.burnedWei)).toBeGreaterThan(0n);
    // Later rounds are at stake with their states (staked while open, closed once Numerai moved a day).
    expect(p.positions.flatMap((x) => x.rounds.map((r) => r.state))).toEqual(expect.arrayContaining(['claimed', 'closed']));

    // The portfolio equals the chain, read directly, to the wei.
    await t.withPool(async (pool) => {
      await expectPortfolioOnChain(pool, holder.address, p);

      // "Check with Numerai" on both settled results.
      for (const m of [winner!, loser!])
        expect(await ok('claims.check', { modelId: m.modelId, roundId: round })).toMatchObject({ verdict: 'verified' });

      // Relaying asks Numerai's API for the result and its proof: this one is booked already.
      const relay = await call('tx.request', { intent: { kind: 'relay-claim', modelId: winner!.modelId, roundId: round } });
      expect(relay).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('claimed already') } });

      // Take back everything from the winner, wait until it is out of Numerai's rounds, withdraw.
      await transact({ kind: 'take-back', modelId: winner!.modelId, amountWei: 'all' });
      await advanceUntil('the exit matured', async () => {
        p = await portfolio();
        const x = byId(winner!.modelId)!;
        return x.leavingMatured || (BigInt(x.leavingShares) === 0n && BigInt(x.withdrawableWei) > 0n);
      });
      const x = byId(winner!.modelId)!;
      const said = BigInt(x.withdrawableWei) + (x.leavingMatured ? BigInt(x.leavingValueWei) : 0n);
      const nmrBefore = BigInt((await ok('account.balances')).nmrWei as string);
      await transact({ kind: 'withdraw', modelId: winner!.modelId });
      const nmrAfter = BigInt((await ok('account.balances')).nmrWei as string);
      expect(nmrAfter - nmrBefore).toBe(said);
      p = await portfolio();
      expect(BigInt(byId(winner!.modelId)!.withdrawnWei)).toBe(said);

      // NMR still waiting comes back whole, at once.
      await transact({ kind: 'delegate', allocations: [{ modelId: third.modelId, amountWei: (7n * NMR).toString() }] });
      const beforeCancel = BigInt((await ok('account.balances')).nmrWei as string);
      await transact({ kind: 'cancel-deposit', modelId: third.modelId });
      expect(BigInt((await ok('account.balances')).nmrWei as string) - beforeCancel).toBe(7n * NMR);
    });
  }, 600_000);
});

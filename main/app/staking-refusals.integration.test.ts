/**
 * The staking demo when nobody does the operator's last part, and when Numerai refuses one (issue 13's
 * must-show), through the app's own API as the page calls it. With relaying off (pool-choice.ts) the
 * operators stake but never relay: Numerai's result stays posted ('resolved') until the holder's app
 * claims it, after which the holder's figures equal the chain. One model's operator holds a token
 * without the web3_staking scope: Numerai refuses its authorization, the developer panel's step says
 * so in words, and the pool's NMR for that model stays idle (nothing at stake, no tranche).
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StakingPortfolio } from '../../shared/api';
import { refusalWords } from '../operator/refusal-words';
import { demoModelRoundResult } from '../records';
import { DEMO_RELAY_VARIABLE, DEMO_UNSCOPED_TOKEN_VARIABLE } from './pool-choice';
import { createRecords } from './records-adapter';
import { expectPortfolioOnChain, startStakingTestApp, type StakingTestApp } from './test-support/staking-app';

const NMR = 10n ** 18n;
const MODELS = 12;

const records = createRecords({ chainModels: MODELS });
/** The model whose operator's token Numerai refuses for staking. */
const refusedName = records.demoSpec().models[0]!.name;
const holder = Wallet.createRandom();
let t: StakingTestApp;

beforeAll(async () => {
  t = await startStakingTestApp('staking-refusals-', records, {
    [DEMO_RELAY_VARIABLE]: 'off',
    [DEMO_UNSCOPED_TOKEN_VARIABLE]: refusedName,
  });
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the staking demo with an operator who never relays and a token Numerai refuses', () => {
  it('leaves the result posted until the holder claims it, and keeps the refused model’s NMR idle with the reason in words', async () => {
    await t.ok('wallet.importPrivateKey', { privateKey: holder.privateKey, password: 'long password' });
    await t.ok('faucet.request');
    const list = await t.ok('models.list', { scope: 'pool', limit: 100 });
    const rows = list.rows as { name: string; modelId: number }[];
    const round = Number(list.currentRound);
    const refused = rows.find((r) => r.name === refusedName)!;
    // A model Numerai scores in the round (so it has a submission to stake and a result to claim).
    const staked = rows.find((r) => r !== refused && demoModelRoundResult(r.name, round) !== undefined)!;
    expect(refused).toBeDefined();
    expect(staked).toBeDefined();
    await t.transact({
      kind: 'delegate',
      allocations: [refused, staked].map((m) => ({ modelId: m.modelId, amountWei: (100n * NMR).toString() })),
    });

    // The demo moves a day at a time; nobody relays, so the staked model's result stays posted.
    const happened: string[] = [];
    const warnings: string[][] = [];
    const roundOf = (p: StakingPortfolio, modelId: number) =>
      p.positions.find((x) => x.modelId === modelId)?.rounds.find((r) => r.roundId === round);
    let p = await t.portfolio();
    for (let i = 0; i < 8 && roundOf(p, staked.modelId)?.state !== 'resolved'; i++) {
      const step = await t.ok('devnet.advanceRound');
      happened.push(String(step.happened));
      warnings.push(step.warnings as string[]);
      p = await t.portfolio();
    }
    expect(roundOf(p, staked.modelId), happened.join('\n')).toMatchObject({ state: 'resolved', result: null });
    for (const h of happened) expect(h).toContain('results left for anyone to relay');

    // Numerai refused the unscoped token: a warning of the step (not part of its success sentence).
    expect(warnings[0]).toEqual([`${refusedName} not staked: ${refusalWords('missing-scope', refusedName)}`]);
    for (const h of happened) expect(h).not.toContain('not staked');

    // The holder's app relays: "Claim" on the portfolio, confirmed in main's window.
    await t.transact({ kind: 'relay-claim', modelId: staked.modelId, roundId: round });
    p = await t.portfolio();
    const settled = roundOf(p, staked.modelId)!;
    expect(settled.state).toBe('claimed');
    expect(BigInt(settled.result!.paidWei) + BigInt(settled.result!.burnedWei)).toBeGreaterThan(0n);

    await t.withPool(async (pool) => {
      // The holder's figures equal the chain, to the wei.
      await expectPortfolioOnChain(pool, holder.address, p);
      // The refused model's NMR stayed idle: still waiting, nothing at stake, no tranche in the round.
      const m = (await pool.getFunction('model')(refused.modelId)) as Record<string, bigint>;
      expect([m.pendingDepositWei, m.atStakeWei]).toEqual([100n * NMR, 0n]);
      expect(m.lastStakedRound).toBeLessThan(BigInt(round)); // the demo's history round, before the holder came
      const [principal] = (await pool.getFunction('tranche')(refused.modelId, round)) as [bigint, bigint];
      expect(principal).toBe(0n);
      const mine = p.positions.find((x) => x.modelId === refused.modelId)!;
      expect(mine.waitingWei).toBe((100n * NMR).toString());
      expect(mine.rounds.filter((r) => r.roundId >= round)).toEqual([]);
    });
  }, 600_000);
});

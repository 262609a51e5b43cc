/**
 * The staking demo world as the app will start it: deployed with its history on first start (timed),
 * reloaded from saved state on the next (timed), with the demo Numerai's records surviving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { localNmrAbi, localNumeraiStakingAbi, stakingPoolAbi } from '../../contracts/generated';
import { silentLogger } from '../log/logger';
import { demoChainModels, DEMO_LATEST_ROUND } from '../records';
import { startStakingWorld, NUMERAI_OWNER_KEY, type StakingWorld, type StakingWorldSpec } from './staking-world';
import { Wallet } from 'ethers';

const NMR = 10n ** 18n;
const MODELS = Number(process.env.STAKING_WORLD_MODELS ?? 20);
const spec: StakingWorldSpec = {
  models: demoChainModels(MODELS).map((m) => ({ name: m.name, feeBps: m.operatorFeeBps, capWei: 50_000n * NMR })),
  firstRoundId: BigInt(DEMO_LATEST_ROUND + 1),
  historyRounds: 3,
};

describe('the staking demo world', () => {
  const dir = mkdtempSync(join(tmpdir(), 'staking-world-'));
  let world: StakingWorld | null = null;
  afterAll(async () => {
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys NMR, Numerai, the pool, the models by Numerai id, and a staked and settled history', async () => {
    world = await startStakingWorld({ dir, spec, log: silentLogger });
    console.log(`staking world cold start: ${world.startup.seconds.toFixed(2)} s (${MODELS} models, 3 rounds)`);
    expect(world.startup.cold).toBe(true);
    const d = world.deployment;
    const pool = new Contract(d.pool, stakingPoolAbi, world.provider);
    const staking = new Contract(d.staking, localNumeraiStakingAbi, world.provider);
    expect(await pool.getFunction('numeraiStaking')()).toBe(d.staking);
    expect(await staking.getFunction('owner')()).toBe(new Wallet(NUMERAI_OWNER_KEY).address);
    expect(await staking.getFunction('authorizationSigner')()).toBe((await world.numerai.config()).authorizationSigner);
    for (const m of d.models) {
      const v = await pool.getFunction('model')(m.poolModelId);
      expect(v.numeraiModelId).toBe(m.numeraiModelId);
      expect(v.operator).toBe(m.operator);
      expect(await pool.getFunction('modelIdOf')(m.numeraiModelId)).toBe(BigInt(m.poolModelId));
      expect(await world.provider.getBalance(m.operator)).toBeGreaterThan(0n);
    }
    // History: three rounds resolved and all claimed (nothing left at stake from them), a fourth open.
    const ids = world.numerai.roundIds();
    expect(ids).toEqual([spec.firstRoundId, spec.firstRoundId + 1n, spec.firstRoundId + 2n, spec.firstRoundId + 3n]);
    for (const r of ids.slice(0, 3)) {
      const round = await world.numerai.round(r);
      expect(round.state).toBe('resolved');
      expect(BigInt(round.totalStaked)).toBeGreaterThan(0n);
      expect(round.remainingPayout).toBe('0');
      expect(round.remainingBurn).toBe('0');
    }
    expect((await world.numerai.round(ids[3]!)).state).toBe('open');
    expect(await world.numerai.claims(d.pool)).toEqual([]);
    const totals = await pool.getFunction('totals')();
    expect(totals.atStakeWei).toBe(0n);
    const nmr = new Contract(d.nmr, localNmrAbi, world.provider);
    expect(await nmr.getFunction('balanceOf')(d.pool)).toBe(
      totals.idleWei + totals.pendingDepositWei + totals.owedExitWei + totals.feesOwedWei,
    );
  });

  it('reloads the saved chain and the demo Numerai on the next start', async () => {
    const before = world!.deployment;
    const rounds = world!.numerai.roundIds();
    await world!.stop();
    world = await startStakingWorld({ dir, spec, log: silentLogger });
    console.log(`staking world warm start: ${world.startup.seconds.toFixed(2)} s`);
    expect(world.startup.cold).toBe(false);
    expect(world.deployment).toEqual(before);
    // The newest round is known from the saved state's head, before the state itself is read.
    expect(world.numerai.latestRoundId()).toBe(rounds.at(-1));
    expect(world.numerai.roundIds()).toEqual(rounds);
    const last = rounds[2]!;
    const c = await world.numerai.round(last);
    expect(c.state).toBe('resolved');
    expect(c.merkleRoot).toMatch(/^0x[0-9a-f]{64}$/);
    // Numerai's saved tree still answers a history position's claim, against the root on chain.
    const m = world.deployment.models[0]!;
    const claim = await world.numerai.claim({ roundId: last, apiModelId: m.apiModelId, staker: world.deployment.pool });
    const staking = new Contract(world.deployment.staking, localNumeraiStakingAbi, world.provider);
    expect(claim.merkleRoot).toBe((await staking.getFunction('rounds')(last)).merkleRoot);
    expect(claim.proof.length).toBeGreaterThan(0);
    expect((await staking.getFunction('positions')(last, world.deployment.pool, m.numeraiModelId)).settled).toBe(true);
  });

  it('runs on a timer: opens a round a day, resolves on schedule, a round nobody staked without a root', async () => {
    const n = world!.numerai;
    const open = n.roundIds().at(-1)!;
    expect(await n.tick()).toEqual({ opened: null, resolved: [], finalized: 0 });
    const r0 = await n.round(open);
    expect(r0.state).toBe('open');
    await n.advanceDays(1);
    expect(await n.tick()).toEqual({ opened: open + 1n, resolved: [], finalized: 0 });
    expect((await n.round(open)).state).toBe('closed');
    await n.advanceDays(3);
    // `open` resolves 4 days after it opened; nobody staked it.
    const t = await n.tick();
    expect(t.resolved).toEqual([open]);
    const r = await n.round(open);
    expect(r).toMatchObject({ state: 'resolved', merkleRoot: null, totalStaked: '0' });
  });
});

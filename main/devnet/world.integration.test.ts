/**
 * The local demo chain as the app starts it: deployed on first start, reloaded from anvil's saved
 * state on the next, redeployed when the state and the record of the deployment disagree, and the
 * faucet and the round reporter working on it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { poolAbi, tokenAbi } from '../chain/contracts';
import { silentLogger } from '../log/logger';
import { advanceDemoRound } from './reporter';
import { tinyDemo } from './test-support/tiny-world';
import { DEVNET_CHAIN_ID, faucet, startDevnet, type Devnet } from './world';

const NMR = 10n ** 18n;
const demo = tinyDemo(3, 2);

describe('the local demo chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devnet-world-'));
  let devnet: Devnet | null = null;
  afterAll(async () => {
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pool = (d: Devnet) => new Contract(d.deployment.pool, poolAbi, d.provider);

  it('deploys the token, the pool, the models and their resolved history on first start', async () => {
    devnet = await startDevnet({ dir, demo, log: silentLogger });
    expect(devnet.startup.cold).toBe(true);
    expect(devnet.deployment).toMatchObject({ version: 1, chainId: DEVNET_CHAIN_ID, models: 3 });
    expect(Number(await devnet.provider.send('eth_chainId', []))).toBe(DEVNET_CHAIN_ID);
    const p = pool(devnet);
    expect(await p.getFunction('nmr')()).toBe(devnet.deployment.token);
    expect(Number(await p.getFunction('modelCount')())).toBe(3);
    // Rounds 99 and 100 were resolved, so round 101 is open.
    expect(Number(await p.getFunction('currentRound')())).toBe(demo.lastRound + 1);
    for (const [i, spec] of demo.models.entries()) {
      const m = await p.getFunction('model')(i + 1);
      expect(m.name).toBe(spec.name);
      expect(Number(m.feeBps)).toBe(spec.feeBps);
      expect(BigInt(m.capWei)).toBe(spec.capWei);
      // The demo holders delegated before the history started: every model has stake at risk.
      expect(BigInt(m.stakeWei)).toBeGreaterThan(0n);
    }
  });

  it('reloads the saved chain on the next start instead of deploying again', async () => {
    const before = devnet!.deployment;
    const round = Number(await pool(devnet!).getFunction('currentRound')());
    await devnet!.stop();
    devnet = await startDevnet({ dir, demo, log: silentLogger });
    expect(devnet.startup.cold).toBe(false);
    expect(devnet.deployment).toEqual(before);
    expect(Number(await pool(devnet).getFunction('currentRound')())).toBe(round);
  });

  it('resolves the open round for every model, as the reporter', async () => {
    const p = pool(devnet!);
    const stakeBefore = await Promise.all([1, 2, 3].map(async (id) => BigInt((await p.getFunction('model')(id)).stakeWei)));
    const resolved = await advanceDemoRound(devnet!, demo);
    expect(resolved).toBe(demo.lastRound + 1);
    expect(Number(await p.getFunction('currentRound')())).toBe(demo.lastRound + 2);
    const stakeAfter = await Promise.all([1, 2, 3].map(async (id) => BigInt((await p.getFunction('model')(id)).stakeWei)));
    // model_1 lost 1 %, model_2 stood still, model_3 gained 1 % (before its operator's fee).
    expect(stakeAfter[0]).toBeLessThan(stakeBefore[0]!);
    expect(stakeAfter[1]).toBe(stakeBefore[1]);
    expect(stakeAfter[2]).toBeGreaterThan(stakeBefore[2]!);
  });

  it('hands out demo NMR and ETH to a wallet', async () => {
    const to = Wallet.createRandom().address;
    await faucet(devnet!, to, 123n * NMR, 2n * NMR);
    const token = new Contract(devnet!.deployment.token, tokenAbi, devnet!.provider);
    expect(BigInt(await token.getFunction('balanceOf')(to))).toBe(123n * NMR);
    expect(await devnet!.provider.getBalance(to)).toBe(2n * NMR);
  });

  it('deploys afresh when the saved chain has no pool where the record says one is', async () => {
    await devnet!.stop();
    devnet = null;
    // The record of the deployment names a pool the saved chain does not have.
    const file = join(dir, 'deployment.json');
    const stray = Wallet.createRandom().address;
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pool: stray }));
    devnet = await startDevnet({ dir, demo, log: silentLogger });
    expect(devnet.startup.cold).toBe(true);
    expect(devnet.deployment.pool).not.toBe(stray);
    expect(await devnet.provider.getCode(devnet.deployment.pool)).not.toBe('0x');
    expect(Number(await pool(devnet).getFunction('modelCount')())).toBe(3);
    // The old chain was dropped with its state: the history starts again, at round 101.
    expect(Number(await pool(devnet).getFunction('currentRound')())).toBe(demo.lastRound + 1);
    expect(JSON.parse(readFileSync(file, 'utf8')).pool).toBe(devnet.deployment.pool);
  });
});

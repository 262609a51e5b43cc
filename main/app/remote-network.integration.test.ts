import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNmrAbi, stakingPoolAbi } from '../../contracts/generated';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { createProvider } from '../chain/provider';
import { waitForReceipt } from '../chain/receipts';
import { demoNumeraiFor, demoOperatorKey, deployStakingWorld, type StakingDeployment } from '../devnet/staking-world';
import { DEPLOYER_KEY } from '../devnet/demo-accounts';
import type { DemoNumerai } from '../numerai/demo/demo-numerai';
import { startDemoNumeraiApi, type DemoNumeraiApi } from '../numerai/demo/demo-api';
import { NUMERAI_URL_ENV } from './numerai-records';
import { createRecords } from './records-adapter';
import { stakingWorldSpec } from './staking-session';
import { expectPortfolioOnChain, startStakingTestApp, type StakingTestApp } from './test-support/staking-app';

/**
 * A holder with a real network running the staking pool: a separate node process on loopback (anvil,
 * as a stand-in for Sepolia, chain id 11155111) with NMR, Numerai's staking stand-in and StakingPool
 * deployed by the test (the staking world's deploy code), Numerai's API served by the stand-in server
 * on loopback and named by NMR_DELEGATE_NUMERAI_URL, all reached through the app's own API: the
 * addresses are checked one by one, the holder delegates, the operator's round runs through the real
 * HTTP client with the token saved in the app, Numerai resolves, the holder's app relays the result,
 * and the portfolio, the chain and the history agree to the wei.
 */
const CHAIN_ID = 11155111;
const MODELS = 4;
const NMR = 10n ** 18n;
const records = createRecords({ chainModels: MODELS });
const world = stakingWorldSpec(records.demoSpec());
/** Numerai's scores on this network: model 1 is paid (5×CORR + 10×MMC > 0), the others burn. */
const spec = {
  ...world,
  historyRounds: 0,
  scores: (name: string) => (name === world.models[0]!.name ? { corr: 0.02, mmc: 0.01 } : { corr: -0.02, mmc: -0.01 }),
};
/** The app's wallet: model 1's operator (its Numerai owner), who also delegates to it as a holder. */
const me = new Wallet(demoOperatorKey(0));
let node: AnvilHandle;
let provider: JsonRpcProvider;
let d: StakingDeployment;
let numerai: DemoNumerai;
let api: DemoNumeraiApi;
let dir: string;
let t: StakingTestApp | null = null;

const open = async () => (t = await startStakingTestApp('remote-', records, { [NUMERAI_URL_ENV]: api.server.url }, dir));

beforeAll(async () => {
  node = await startAnvil({ chainId: CHAIN_ID });
  // Dependent calls one after another: no batching stall before each.
  provider = createProvider(node.url, CHAIN_ID, 20, 1);
  d = await deployStakingWorld(provider, spec, CHAIN_ID);
  dir = mkdtempSync(join(tmpdir(), 'remote-'));
  numerai = demoNumeraiFor(provider, d, spec, join(dir, 'numerai-stand-in.json'));
  api = await startDemoNumeraiApi(numerai);
  // NMR for the holder on that network (ETH it has: the deploy funds the operators).
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  const mint = await new Contract(d.nmr, localNmrAbi, deployer).getFunction('demoMint').send(me.address, 1_000n * NMR);
  await waitForReceipt(provider, mint.hash);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await api?.server.close();
  provider?.destroy();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a real network running the staking pool', () => {
  it('checks each address with its own message, connects, stakes through Numerai, and agrees with the chain and the history', async () => {
    const app = await open();
    const call = (method: string, input?: unknown) => app.call(method, input);
    const ok = (method: string, input?: unknown) => app.ok(method, input);
    const good = { rpcUrl: node.url, chainId: CHAIN_ID, nmrAddress: d.nmr, stakingAddress: d.staking, poolAddress: d.pool };

    // The node's own faults are about the URL and chain id fields.
    expect(await call('network.checkAddresses', { ...good, rpcUrl: 'not a url' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await call('network.checkAddresses', { ...good, chainId: 1 })).toMatchObject({ ok: false, error: { code: 'WRONG_CHAIN' } });
    const dead = await call('network.checkAddresses', { ...good, rpcUrl: 'http://127.0.0.1:9' });
    expect(dead).toMatchObject({ ok: false, error: { code: 'RPC_UNREACHABLE' } });
    // Each address has its own verdict: here the pool is given as the staking contract and an account as the pool.
    const swapped = await ok('network.checkAddresses', { ...good, stakingAddress: d.pool, poolAddress: me.address });
    expect(swapped.checks).toEqual([
      { role: 'nmr', address: d.nmr, ok: true, detail: 'NMR, 18 decimals' },
      { role: 'staking', address: d.pool, ok: false, message: 'This contract does not answer as Numerai’s staking contract does.' },
      { role: 'pool', address: me.address, ok: false, message: 'There is no contract at this address on Sepolia.' },
    ]);
    // Nothing is saved until all three pass: the app stays on its local chain.
    const refused = await call('network.connect', { ...good, nmrAddress: d.staking });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_A_POOL', message: expect.stringContaining('NMR: ') } });
    expect(await ok('app.info')).toMatchObject({ network: { kind: 'local' } });

    expect((await ok('network.checkAddresses', good)).checks).toEqual([
      expect.objectContaining({ role: 'nmr', ok: true }),
      { role: 'staking', address: d.staking, ok: true, detail: 'Numerai staking, tournament 8' },
      expect.objectContaining({ role: 'pool', ok: true }),
    ]);
    expect(await ok('network.connect', good)).toEqual({ kind: 'remote', chainId: CHAIN_ID, label: 'Sepolia' });
    expect(await ok('app.info')).toMatchObject({ network: { kind: 'remote', chainId: CHAIN_ID } });
    // No demo parts on a real network.
    expect(await call('faucet.request')).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(await call('devnet.advanceRound')).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(await ok('models.list', { scope: 'pool', limit: 100 })).toMatchObject({ total: MODELS });

    // Numerai opens a round; the holder delegates to model 1.
    const roundId = await numerai.openRound();
    await ok('wallet.importPrivateKey', { privateKey: me.privateKey, password: 'long password' });
    await t!.transact({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: (100n * NMR).toString() }] });

    // The operator's round, through the real HTTP client, with the token saved in the app and the consent given in main's window.
    await ok('operator.setToken', { token: api.tokenOf(d.models[0]!.apiModelId)! });
    await ok('operator.runNow');
    type Row = { modelId: number; status: { state: string } };
    let staked: Row['status'] | undefined;
    for (const deadline = Date.now() + 60_000; !staked && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const row = ((await ok('operator.status')).models as Row[]).find((m) => m.modelId === 1);
      if (row && !['queued', 'running'].includes(row.status.state)) staked = row.status;
    }
    expect(staked).toMatchObject({ state: 'staked', roundId: Number(roundId) });

    // Numerai closes and resolves the round (demo days on this node), and the holder's app relays the result.
    for (let day = 0; day < 8 && !(await numerai.tick()).resolved.includes(roundId); day++) await numerai.advanceDays(1);
    expect((await numerai.round(roundId)).resolved).toBe(true);
    await t!.transact({ kind: 'relay-claim', modelId: 1, roundId: Number(roundId) });
    // The history reads confirmed blocks only: the node moves on.
    await provider.send('anvil_mine', ['0x20']);

    const p = await t!.portfolio();
    const mine = p.positions.find((x) => x.modelId === 1)!;
    const settled = mine.rounds.find((r) => r.roundId === Number(roundId))!;
    expect(settled).toMatchObject({ state: 'claimed', result: expect.anything() });
    const result = settled.result!;
    expect(BigInt(result.paidWei)).toBeGreaterThan(0n);
    expect(result.burnedWei).toBe('0');
    expect(await ok('claims.check', { modelId: 1, roundId: Number(roundId) })).toMatchObject({ verdict: 'verified' });
    await expectPortfolioOnChain(new Contract(d.pool, stakingPoolAbi, provider), me.address, p);

    // The history's rows of the position sum to the portfolio's value, to the wei.
    const exported = await ok('history.export', { exportId: 'remote-history-1', format: 'json' });
    const rows = (
      JSON.parse(readFileSync(join(dir, 'exports', String(exported.fileName)), 'utf8')) as {
        rows: { modelId: number; numeraiRound: number | null; type: string; valueChangeWei: string }[];
      }
    ).rows.filter((r) => r.modelId === 1);
    const total = rows.reduce((s, r) => s + BigInt(r.valueChangeWei), 0n);
    const value = BigInt(mine.valueWei) + BigInt(mine.waitingWei) + BigInt(mine.leavingValueWei) + BigInt(mine.withdrawableWei);
    expect(total).toBe(value);
    // The round paid: the holder's part of the payout, and of the fee at the round's own rate (to a wei of rounding).
    const ofType = (type: string) =>
      rows.filter((r) => r.type === type && r.numeraiRound === Number(roundId)).reduce((sum, r) => sum + BigInt(r.valueChangeWei), 0n);
    const [payout, fee] = [ofType('payout'), ofType('fee')];
    expect(ofType('burn')).toBe(0n);
    expect(payout).toBeGreaterThan(0n);
    expect(payout).toBeLessThanOrEqual(BigInt(result.paidWei));
    const feeAtRate = (payout * BigInt(result.feeWei)) / BigInt(result.paidWei);
    expect(-fee - feeAtRate).toBeGreaterThanOrEqual(0n);
    expect(-fee - feeAtRate).toBeLessThanOrEqual(1n);

    // The network is remembered across a restart.
    await t!.close();
    t = null;
    const again = await open();
    expect(await again.ok('app.info')).toMatchObject({ network: { kind: 'remote', chainId: CHAIN_ID } });
  }, 600_000);

  it('opens the demo chain and says why when the saved node is down at start', async () => {
    await t!.close();
    t = null;
    await node.stop();
    const again = await open();
    const info = await again.ok('app.info');
    expect(info.network).toMatchObject({ kind: 'local' });
    expect(info.notice).toMatch(/could not be reached/);
  }, 120_000);
});

/**
 * A real network whose node lies, through the app's own API: a separate anvil (as Sepolia, chain
 * id 11155111) with NMR, Numerai's staking stand-in and StakingPool deployed (the staking world's
 * deploy code), behind a JSON-RPC proxy on loopback that changes its answers on demand
 * (main/chain/test-support/lying-node.ts). Whatever the node says, the holder gets an error with a
 * stable code and plain words, never a crash or a hang, and nothing is signed that was not
 * confirmed: the proxy counts every signed transaction that reached it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbiCoder, Contract, HDNodeWallet, Interface, Mnemonic, Transaction, Wallet, id, toBeHex } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/api';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { createProvider } from '../chain/provider';
import { stakingPoolAbi, tokenAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';
import { startLyingNode, type LyingNode } from '../chain/test-support/lying-node';
import { DEPLOYER_KEY } from '../devnet/demo-accounts';
import { deployStakingWorld, type StakingDeployment } from '../devnet/staking-world';
import { silentLogger } from '../log/logger';
import { createRouter } from '../ipc/router';
import type { Decide } from '../tx/coordinator';
import type { Plan } from '../tx/plan';
import { MAX_BAD_ANSWERS } from '../tx/in-flight';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { createTestApp } from '../test-support/test-app';
import { EARLIER_POOL_NETWORK, stakingWorldSpec } from './staking-session';
import { until as waitUntil } from './test-support/until';

type TxEvent = EventPayload<'tx.status'>;
type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

const CHAIN_ID = 11155111;
const NMR = 10n ** 18n;
const GWEI = 10n ** 9n;
// Anvil's dev account #5 (10,000 test ETH on any anvil). Local test chain only.
const HOLDER_KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
  "m/44'/60'/0'/0/5",
).privateKey;
const delegate = (amount: bigint, modelId = 1) => ({
  intent: { kind: 'delegate', allocations: [{ modelId, amountWei: amount.toString() }] },
});

const records = createRecords({ chainModels: 4 });
let anvil: AnvilHandle;
let node: LyingNode;
let deployment: StakingDeployment;
let dir: string;
let app: App | null = null;
let call: (method: string, input?: unknown) => Promise<Envelope>;
/** What main's confirmation window was shown, with the person's hand on its buttons. */
let shown: { plan: Plan; decide: Decide }[] = [];
let events: TxEvent[] = [];

async function open(): Promise<void> {
  shown = [];
  events = [];
  app = await createTestApp(dir, { records });
  app.coordinator.setConfirmer({ present: async (request, decide) => (shown.push({ plan: request.plan, decide }), { confirmUrl: null }) });
  app.events.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  call = async (method, input = {}) => (await router.handle(method, input, { kind: 'harness', token: 'x' })) as Envelope;
}

const until = <T>(what: string, find: () => T | undefined, timeoutMs?: number): Promise<T> =>
  waitUntil(what, find, () => events.map((e) => [e.txId, e.state, e.error]), timeoutMs);

/** Asks for a delegation and returns main's confirmation as it was shown. */
async function requestDelegation(
  amount: bigint,
): Promise<{ requestId: string; plan: Plan; decide: Decide; view: Record<string, unknown> }> {
  const before = shown.length;
  const r = await call('tx.request', delegate(amount));
  if (!r.ok) throw new Error(`tx.request: ${r.error.code} ${r.error.message}`);
  expect(shown).toHaveLength(before + 1);
  return { requestId: String(r.value.requestId), ...shown.at(-1)!, view: r.value };
}

const lastStepMined = (requestId: string, steps: number) => () =>
  events.find((e) => e.requestId === requestId && e.step === steps && e.state === 'mined');
const failedStep = (requestId: string) => () => events.find((e) => e.requestId === requestId && e.state === 'failed');

/** A revert as geth reports one: JSON-RPC error 3 with the revert data. */
const revert = (data: string) => ({ error: { code: 3, message: 'execution reverted', data } });
const errorString = (reason: string) => id('Error(string)').slice(0, 10) + AbiCoder.defaultAbiCoder().encode(['string'], [reason]).slice(2);
/** The latest block, with a base fee the node made up. */
const baseFeeLie = (hexFee: string) => ({ result: (b: unknown) => (b && typeof b === 'object' ? { ...b, baseFeePerGas: hexFee } : b) });

beforeAll(async () => {
  anvil = await startAnvil({ chainId: CHAIN_ID });
  // Dependent calls one after another: no batching stall before each.
  const provider = createProvider(anvil.url, CHAIN_ID, 20, 1);
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  deployment = await deployStakingWorld(provider, { ...stakingWorldSpec(records.demoSpec()), historyRounds: 0 }, CHAIN_ID);
  const holder = new Wallet(HOLDER_KEY).address;
  await waitForReceipt(
    provider,
    (await new Contract(deployment.nmr, tokenAbi, deployer).getFunction('demoMint').send(holder, 1_000n * NMR)).hash,
  );
  provider.destroy();
  node = await startLyingNode(anvil.url);
  dir = mkdtempSync(join(tmpdir(), 'lying-node-'));
  await open();
  expect(await call('wallet.importPrivateKey', { privateKey: HOLDER_KEY, password: 'long password' })).toMatchObject({ ok: true });
  // Validated through the proxy while it still tells the truth.
  const addresses = { nmrAddress: deployment.nmr, stakingAddress: deployment.staking, poolAddress: deployment.pool };
  expect(await call('network.connect', { rpcUrl: node.url, chainId: CHAIN_ID, ...addresses })).toMatchObject({
    ok: true,
    value: { chainId: CHAIN_ID },
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await node?.close();
  await anvil?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a node that lies about its chain', () => {
  it('refuses to plan when the node claims another chain id than the one validated', async () => {
    node.lies.set('eth_chainId', { result: () => '0x1' });
    try {
      const r = await call('tx.request', delegate(5n * NMR));
      expect(r).toMatchObject({ ok: false, error: { code: 'WRONG_CHAIN' } });
      expect(r.ok || r.error.message).toMatch(/now says it is on chain id 1, not Sepolia \(chain id 11155111\).*nothing was signed/);
      expect(shown).toHaveLength(0);
      expect(node.sent).toHaveLength(0);
    } finally {
      node.lies.clear();
    }
  });

  it('signs nothing when the chain id changes between confirming and signing', async () => {
    const { requestId, decide } = await requestDelegation(5n * NMR);
    node.lies.set('eth_chainId', { result: () => '0x89' });
    try {
      expect(decide('confirm')).toBe(true);
      const failed = await until('the step refused', failedStep(requestId));
      expect(failed).toMatchObject({ step: 1, hash: null });
      expect(failed.error).toMatch(/chain id 137, not Sepolia \(chain id 11155111\).*nothing was signed/);
      expect(node.sent).toHaveLength(0);
    } finally {
      node.lies.clear();
    }
  });

  it('signs the validated chain id into every transaction', async () => {
    const { requestId, plan, decide } = await requestDelegation(5n * NMR);
    expect(plan.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
    decide('confirm');
    await until('the delegation mined', lastStepMined(requestId, 2));
    expect(node.sent).toHaveLength(2);
    for (const raw of node.sent) expect(Transaction.from(raw).chainId).toBe(BigInt(CHAIN_ID));
  });
});

describe('a node that answers nonsense', () => {
  it('says so for a balance that is not a number, a body that is not JSON and a read of the wrong shape', async () => {
    const sentBefore = node.sent.length;
    node.lies.set('eth_getBalance', { result: () => 'lots' });
    const balance = await call('account.balances');
    expect(balance).toMatchObject({ ok: false, error: { code: 'RPC_BAD_ANSWER' } });
    expect(balance.ok || balance.error.message).toMatch(/^The network node gave an answer that makes no sense.*faulty or dishonest/);

    node.lies.clear();
    node.lies.set('eth_call', { body: '{"jsonrpc":"2.0","id":1,"resu' });
    const positions = await call('portfolio.staking');
    expect(positions).toMatchObject({ ok: false, error: { code: 'RPC_BAD_ANSWER' } });
    expect(positions.ok || positions.error.message).toMatch(/not JSON/);

    node.lies.set('eth_call', { result: () => '0x1234' });
    expect(await call('tx.request', delegate(NMR))).toMatchObject({ ok: false, error: { code: 'RPC_BAD_ANSWER' } });
    node.lies.clear();
    expect(node.sent.length).toBe(sentBefore);
    // Honest again, the same calls work.
    expect(await call('account.balances')).toMatchObject({ ok: true });
  });

  it('stops watching, and sends no further step, when every receipt is garbage', async () => {
    const { requestId, decide } = await requestDelegation(5n * NMR);
    const sentBefore = node.sent.length;
    node.lies.set('eth_getTransactionReceipt', { result: () => ({ blockNumber: 'soon', status: 'fine', logs: 'many' }) });
    try {
      decide('confirm');
      const failed = await until('the watch to give up', failedStep(requestId), 15_000);
      expect(failed.step).toBe(1);
      expect(failed.error).toMatch(/answers about this transaction that make no sense.*may still go through: look up 0x[0-9a-f]{64}/);
      expect(node.calls.filter((m) => m === 'eth_getTransactionReceipt').length).toBeGreaterThanOrEqual(MAX_BAD_ANSWERS);
      // The approval went out (it was signed before the node's nonsense); the delegation did not.
      expect(node.sent.length - sentBefore).toBe(1);
      expect(Transaction.from(node.sent.at(-1)).to?.toLowerCase()).toBe(deployment.nmr.toLowerCase());
    } finally {
      node.lies.clear();
    }
  });
});

describe('a node that quotes absurd fees', () => {
  it('warns of a fee of a million gwei and takes a confirm only with the extra tick; what is signed is what was shown', async () => {
    node.lies.set('eth_getBlockByNumber', baseFeeLie(toBeHex(1_000_000n * GWEI)));
    let req: Awaited<ReturnType<typeof requestDelegation>>;
    try {
      req = await requestDelegation(5n * NMR);
    } finally {
      node.lies.clear();
    }
    const { requestId, plan, decide, view } = req;
    expect(plan.highFee).toMatch(
      /^The network asks for an unusually high fee: up to ≈?[\d.,]+ ETH \(about [\d,]+× normal: ≈?[\d.,]+ gwei per unit of gas, where about 25 gwei is usual\)/,
    );
    // The page sees the same words first among the warnings; the plan has no blocker (10,000 test ETH).
    expect(view.warnings).toEqual([plan.highFee, expect.any(String)]);
    expect(plan.blocker).toBeNull();
    expect(plan.fees.type === 2 && plan.fees.maxFeePerGas).toBeGreaterThanOrEqual(2_000_000n * GWEI);

    const sentBefore = node.sent.length;
    expect(decide('confirm')).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((e) => e.requestId === requestId)).toEqual([]);
    expect(node.sent.length).toBe(sentBefore);

    expect(decide('confirm', { highFeeAccepted: true })).toBe(true);
    await until('the delegation mined', lastStepMined(requestId, plan.steps.length));
    const signed = node.sent.slice(sentBefore).map((raw) => Transaction.from(raw));
    expect(signed).toHaveLength(plan.steps.length);
    for (const tx of signed) {
      expect(plan.fees.type).toBe(2);
      if (plan.fees.type !== 2) continue;
      expect(tx.maxFeePerGas).toBe(plan.fees.maxFeePerGas);
      expect(tx.maxPriorityFeePerGas).toBe(plan.fees.maxPriorityFeePerGas);
    }
  });

  it('asks for the same extra tick before a speed-up at an absurd fee', async () => {
    const anvilRpc = (method: string, params: unknown[] = []) =>
      fetch(anvil.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
    // No blocks: the step waits in the node's pool, as on a busy network.
    await anvilRpc('evm_setAutomine', [false]);
    let done!: () => TxEvent | undefined;
    try {
      const { requestId, plan, decide } = await requestDelegation(NMR);
      done = lastStepMined(requestId, plan.steps.length);
      decide('confirm');
      const pending = await until('step 1 pending', () =>
        events.find((e) => e.requestId === requestId && e.step === 1 && e.state === 'pending'),
      );
      expect(plan.highFee).toBeNull();

      node.lies.set('eth_getBlockByNumber', baseFeeLie(toBeHex(1_000_000n * GWEI)));
      const r = await call('tx.speedUp', { txId: pending.txId });
      node.lies.clear();
      expect(r).toMatchObject({ ok: true });
      const speedUp = shown.at(-1)!;
      expect(speedUp.plan.steps[0]!.kind).toBe('speed-up');
      expect(speedUp.plan.highFee).toMatch(/^The network asks for an unusually high fee: up to ≈?[\d.,]+ ETH \(about [\d,]+× normal/);
      expect(r.ok && r.value.warnings).toEqual(expect.arrayContaining([speedUp.plan.highFee]));
      const sentBefore = node.sent.length;
      expect(speedUp.decide('confirm')).toBe(false);
      expect(speedUp.decide('reject')).toBe(true);
      expect(node.sent.length).toBe(sentBefore);
    } finally {
      await anvilRpc('evm_setAutomine', [true]);
      await anvilRpc('evm_mine');
    }
    // The original goes on to the end at its own fee; nothing of it is left for the next test.
    await until('the delegation mined', done);
  });

  it('refuses an impossible fee, negative or beyond 2^256, with a clear error and nothing to confirm', async () => {
    const shownBefore = shown.length;
    for (const [fee, words] of [
      ['-0xe8d4a51000', /impossible fee \(a negative fee\)/],
      [toBeHex(2n ** 260n), /impossible fee \(a fee larger than any number the network can hold\)/],
    ] as const) {
      node.lies.set('eth_getBlockByNumber', baseFeeLie(fee));
      const r = await call('tx.request', delegate(NMR));
      node.lies.clear();
      expect(r).toMatchObject({ ok: false, error: { code: 'RPC_BAD_ANSWER' } });
      expect(r.ok || r.error.message).toMatch(words);
    }
    expect(shown).toHaveLength(shownBefore);
  });
});

describe('a node that reverts', () => {
  const pool = new Interface(stakingPoolAbi);

  it('names the pool’s reason when the gas estimate reverts, and sends nothing', async () => {
    const sentBefore = node.sent.length;
    node.lies.set('eth_estimateGas', revert(pool.encodeErrorResult('CapExceeded', [1, 10n * NMR, 11n * NMR])));
    const custom = await call('tx.request', delegate(NMR));
    node.lies.set('eth_estimateGas', revert(errorString('Pausable: paused')));
    const text = await call('tx.request', delegate(NMR));
    node.lies.set('eth_estimateGas', revert('0xdeadbeef'));
    const unknown = await call('tx.request', delegate(NMR));
    node.lies.clear();
    expect(custom).toEqual({ ok: false, error: { code: 'TX_FAILED', message: 'The pool refused it: cap exceeded.' } });
    expect(text).toEqual({ ok: false, error: { code: 'TX_FAILED', message: 'The pool refused it: Pausable: paused.' } });
    expect(unknown).toEqual({ ok: false, error: { code: 'TX_FAILED', message: 'The transaction would fail on chain.' } });
    expect(node.sent.length).toBe(sentBefore);
  });

  it('says a read of the pool failed, with the reason, when eth_call reverts', async () => {
    node.lies.set('eth_call', revert(errorString('not today')));
    const r = await call('portfolio.staking');
    node.lies.clear();
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'RPC_BAD_ANSWER',
        message: expect.stringMatching(/^The network node says reading the pool failed \(not today\)\. It may be faulty or dishonest/),
      },
    });
  });
});

describe('a node that changed chains while the app was closed', () => {
  it('opens the demo chain at the next start and says which chain the node claims', async () => {
    await app!.close();
    app = null;
    node.lies.set('eth_chainId', { result: () => '0xa' });
    try {
      await open();
      const info = await call('app.info');
      expect(info).toMatchObject({ ok: true, value: { network: { kind: 'local' } } });
      expect(info.ok && info.value.notice).toMatch(
        /now says it is on chain id 10, not Sepolia \(chain id 11155111\).*opened the local demo chain/,
      );
    } finally {
      node.lies.clear();
    }
    // Once the node tells the truth again, the saved network is back at the next start.
    await app!.close();
    await open();
    expect(await call('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'remote', chainId: CHAIN_ID } } });
  }, 120_000);
});

describe('a network saved by an earlier version for the first pool (a pool address alone)', () => {
  it('is not opened: the demo chain starts and the notice says to enter the three addresses', async () => {
    await app!.close();
    app = null;
    const file = join(dir, 'settings.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { network: Record<string, unknown> };
    expect(saved.network).toHaveProperty('staking');
    const { staking: _staking, ...earlier } = saved.network;
    writeFileSync(file, JSON.stringify({ ...saved, network: earlier }));
    await open();
    expect(await call('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'local' }, notice: EARLIER_POOL_NETWORK } });
    // The person's other settings are kept (the file was not set aside as damaged).
    expect(await call('settings.get')).toMatchObject({ ok: true, value: { notice: EARLIER_POOL_NETWORK } });
  }, 120_000);
});

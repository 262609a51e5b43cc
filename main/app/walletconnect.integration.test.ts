/**
 * The whole app with a wallet over WalletConnect, offline: the relay stand-in on 127.0.0.1, a test
 * wallet (the SDK in wallet mode) holding anvil's account #6, the demo staking world. Through the
 * app's own API: pair from Settings' list, take demo NMR, delegate (the wallet signs and
 * broadcasts each step, the position appears), a refusal in the wallet leaves nothing sent, a
 * wallet gone says so. No socket may leave loopback meanwhile.
 */
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsList, EventPayload } from '../../shared/api';
import { refuseNonLoopbackSockets } from '../../scripts/test-support/loopback-sockets';
import { startRelayStandIn, type RelayStandIn } from '../walletconnect/test-support/relay';
import { startTestWallet, type TestWallet } from '../walletconnect/test-support/test-wallet';
import { createRecords } from './records-adapter';
import { startStakingTestApp, type StakingTestApp } from './test-support/staking-app';
import { until } from './test-support/until';
import { rawRpc } from '../devnet/test-support/raw-rpc';

const NMR = 10n ** 18n;
// Anvil's dev account #6: not one the demo world uses. Local test chain only.
const WALLET_KEY = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e';

const outside: string[] = [];
let restoreSockets: () => void;
let relay: RelayStandIn;
let wallet: TestWallet;
let t: StakingTestApp;
let provider: JsonRpcProvider;
const events: EventPayload<'tx.status'>[] = [];

const list = async () => (await t.ok('accounts.list')) as unknown as AccountsList;

beforeAll(async () => {
  restoreSockets = refuseNonLoopbackSockets((host) => {
    outside.push(host);
    return new Error(`offline test: a socket to ${host}`);
  });
  relay = await startRelayStandIn();
  t = await startStakingTestApp('wc-app-', createRecords({ chainModels: 4 }), {
    NMR_DELEGATE_WC_PROJECT_ID: 'offline-test',
    NMR_DELEGATE_WC_RELAY_URL: relay.url,
  });
  t.app.events.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  const rpcUrl = t.app.localRpcUrl()!;
  provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  wallet = await startTestWallet({ relayUrl: relay.url, privateKey: WALLET_KEY, rpcUrl, name: 'Test Wallet' });
}, 180_000);

afterAll(async () => {
  await wallet?.close();
  await t?.close();
  await relay?.close();
  provider?.destroy();
  restoreSockets?.();
});

describe('delegating with a wallet over WalletConnect', () => {
  it('pairs from the account list; the wallet becomes the account in use', async () => {
    const before = await list();
    expect(before.walletconnect).toEqual({ ok: true });
    expect(before.ledger).toEqual({ ok: false, reason: 'The browser version has no USB access: connect a Ledger in the desktop app.' });
    const pairing = ((await t.ok('accounts.pairWalletConnect')) as unknown as AccountsList).pairing;
    if (pairing?.state !== 'waiting') throw new Error(`no pairing code: ${JSON.stringify(pairing)}`);
    // What a person does with the QR code: open it in the wallet, which approves.
    await wallet.pair(pairing.uri);
    await expect.poll(async () => (await list()).inUse, { timeout: 10_000 }).toMatch(/^wc:/);
    const l = await list();
    expect(l.accounts.find((a) => a.id === l.inUse)).toMatchObject({
      kind: 'walletconnect',
      label: 'WalletConnect: Test Wallet',
      address: wallet.address,
    });
    expect(l.pairing).toBeNull();
  });

  it('delegates: the wallet signs and broadcasts each step with the confirmed fields; the position appears', async () => {
    // Demo NMR goes to the account in use.
    await t.ok('faucet.request');
    const balances = await t.ok('account.balances');
    expect(balances).toMatchObject({ address: wallet.address, nmrWei: (1_000n * NMR).toString() });
    const models = (await t.ok('models.list', { scope: 'pool', limit: 10 })).rows as { modelId: number }[];
    const modelId = models[0]!.modelId;
    await t.transact({ kind: 'delegate', allocations: [{ modelId, amountWei: (25n * NMR).toString() }] });
    // Each step waited for the wallet, saying so.
    expect(events.filter((e) => e.state === 'signing').map((e) => e.waitingFor)).toEqual(
      wallet.requests.map(() => 'Waiting for your wallet (Test Wallet): approve the transaction there.'),
    );
    expect(wallet.requests.length).toBeGreaterThanOrEqual(1);
    for (const r of wallet.requests) expect(r).toMatchObject({ from: wallet.address, chainId: '0x7a69', type: '0x2' });
    const p = await t.portfolio();
    expect(p.positions.map((x) => [x.modelId, x.waitingWei])).toEqual([[modelId, (25n * NMR).toString()]]);
    await t.withPool(async (pool) =>
      expect(((await pool.getFunction('positionOf')(wallet.address, modelId)) as { pendingDepositWei: bigint }).pendingDepositWei).toBe(
        25n * NMR,
      ),
    );
  });

  it('speeds up a waiting step through the wallet: the same nonce, higher fees, sent by the wallet; the plan goes on', async () => {
    const rpcUrl = t.app.localRpcUrl()!;
    // A busy network: nothing is mined until the speed-up is out.
    await rawRpc(rpcUrl, 'evm_setAutomine', [false]);
    const asked = wallet.requests.length;
    const models = (await t.ok('models.list', { scope: 'pool', limit: 10 })).rows as { modelId: number }[];
    const v = await t.ok('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: models[2]!.modelId, amountWei: (3n * NMR).toString() }] },
    });
    const ofRequest = () => events.filter((e) => e.requestId === v.requestId).map((e) => [e.txId, e.state, e.error]);
    const first = await until(
      'step 1 waiting',
      () => events.find((e) => e.requestId === v.requestId && e.step === 1 && e.state === 'pending'),
      ofRequest,
    );
    await t.ok('tx.speedUp', { txId: first.txId });
    await until('the speed-up waiting', () => events.find((e) => e.replaces === first.txId && e.state === 'pending'), ofRequest);
    const [original, faster] = wallet.requests.slice(asked);
    expect(faster).toMatchObject({ from: wallet.address, nonce: original!.nonce, to: original!.to, data: original!.data });
    expect(BigInt(faster!.maxFeePerGas!)).toBeGreaterThan(BigInt(original!.maxFeePerGas!));
    await rawRpc(rpcUrl, 'evm_setAutomine', [true]);
    await rawRpc(rpcUrl, 'evm_mine');
    await until(
      'the original replaced by the speed-up',
      () => events.find((e) => e.txId === first.txId && e.state === 'replaced' && e.replacedBy?.by === 'speed-up'),
      ofRequest,
    );
    // The next step (the delegation after its approve) is sent once the sped-up approve is mined.
    const steps = (v.steps as unknown[]).length;
    expect(steps).toBe(2);
    const last = await until(
      'the last step',
      () => events.find((e) => e.requestId === v.requestId && e.step === steps && (e.state === 'mined' || e.state === 'failed')),
      ofRequest,
    );
    expect(last.state).toBe('mined');
  });

  it('a refusal in the wallet leaves nothing sent', async () => {
    wallet.mode('reject');
    const nonce = await provider.getTransactionCount(wallet.address, 'latest');
    const asked = wallet.requests.length;
    const models = (await t.ok('models.list', { scope: 'pool', limit: 10 })).rows as { modelId: number }[];
    const v = await t.ok('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: models[1]!.modelId, amountWei: (5n * NMR).toString() }] },
    });
    const failed = await until(
      'the refusal',
      () => events.find((e) => e.requestId === v.requestId && e.state === 'failed'),
      () => events.filter((e) => e.requestId === v.requestId).map((e) => [e.state, e.error]),
    );
    expect(failed.error).toBe('You rejected it in Test Wallet, so it was not sent.');
    expect(wallet.requests.length).toBe(asked + 1);
    expect(await provider.getTransactionCount(wallet.address, 'pending')).toBe(nonce);
    expect((await t.portfolio()).positions.some((x) => x.modelId === models[1]!.modelId)).toBe(false);
    wallet.mode('approve');
  });

  it('a wallet that disconnected stays in use, marked so, and the next request says to connect again', async () => {
    const inUse = (await list()).inUse;
    await wallet.disconnectAll();
    await expect
      .poll(async () => (await list()).accounts.find((a) => a.id === inUse)?.label, { timeout: 10_000 })
      .toBe('WalletConnect: disconnected');
    expect((await list()).inUse).toBe(inUse);
    const r = await t.call('tx.request', { intent: { kind: 'withdraw', modelId: 1 } });
    expect(r.ok ? null : r.error.code).toBe('WALLET_DISCONNECTED');
  });

  it('left no socket open to anything but 127.0.0.1', () => {
    expect(outside).toEqual([]);
  });
});

/**
 * WalletConnect v2 end to end without internet: the app's side (WalletConnectService) and a test
 * wallet (the SDK in wallet mode) talk through our relay stand-in on 127.0.0.1. The unit project's
 * guard fails the test on any socket that leaves loopback, so the SDK's hosted services stay unused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import type { WalletTx } from '../accounts';
import { walletConnectConfig } from './config';
import { WalletConnectService, type WalletConnectSession } from './walletconnect';
import { startRelayStandIn, type RelayStandIn } from './test-support/relay';
import { startTestWallet, type TestWallet } from './test-support/test-wallet';

// Anvil's dev account #6 (public test key; never used for anything real).
const WALLET_KEY = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e';
const CHAIN = 31337;
const TIMEOUT_MS = 1_500;

let relay: RelayStandIn;
let wallet: TestWallet;
let dir: string;
let service: WalletConnectService;
let session: WalletConnectSession;
let changes = 0;

const config = () =>
  walletConnectConfig({
    NMR_DELEGATE_WC_PROJECT_ID: 'offline-test',
    NMR_DELEGATE_WC_RELAY_URL: relay.url,
    NMR_DELEGATE_WC_TIMEOUT_MS: String(TIMEOUT_MS),
  });

const tx = (over: Partial<WalletTx> = {}): WalletTx => ({
  from: session.address,
  to: '0x00000000000000000000000000000000000000aa',
  data: '0x095ea7b3',
  value: 0n,
  gasLimit: 60_000n,
  nonce: 7,
  chainId: CHAIN,
  maxFeePerGas: 3_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
  ...over,
});

async function paired(s: WalletConnectService): Promise<WalletConnectSession> {
  let approved: (v: WalletConnectSession) => void = () => undefined;
  const done = new Promise<WalletConnectSession>((resolve) => (approved = resolve));
  const uri = await s.pair(CHAIN, approved);
  expect(uri).toMatch(/^wc:[0-9a-f]{64}@2\?/);
  expect(s.pairingState()).toEqual({ state: 'waiting', uri });
  await wallet.pair(uri);
  return done;
}

beforeAll(async () => {
  relay = await startRelayStandIn();
  // The chain is never reached here: this wallet only rejects, ignores or is refused before sending.
  wallet = await startTestWallet({ relayUrl: relay.url, privateKey: WALLET_KEY, rpcUrl: 'http://127.0.0.1:9', name: 'Test Wallet' });
  dir = mkdtempSync(join(tmpdir(), 'wc-'));
  service = new WalletConnectService(config(), dir, silentLogger);
  service.onChange(() => changes++);
});

afterAll(async () => {
  await service?.close();
  await wallet?.close();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WalletConnect on a relay of our own', () => {
  it('says it needs a project id, and where one comes from, when it has none', async () => {
    const none = new WalletConnectService(walletConnectConfig({}), dir, silentLogger);
    expect(none.availability()).toEqual({ ok: false, reason: expect.stringContaining('cloud.reown.com') as string });
    await expect(none.pair(CHAIN, () => undefined)).rejects.toMatchObject({ code: 'NEEDS_SETUP' });
  });

  it('pairs with the wallet in well under the 35 s a trial once stalled on hosted calls', async () => {
    const t0 = Date.now();
    session = await paired(service);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(session).toMatchObject({ walletName: 'Test Wallet', address: wallet.address, chainIds: [CHAIN] });
    expect(await service.sessions()).toEqual([session]);
    expect(service.pairingState()).toBeNull();
    expect(changes).toBeGreaterThan(0);
    // The relay-side pairing methods of the current SDK, and the plain relay ones.
    expect(relay.methods).toEqual(expect.arrayContaining(['wc_proposeSession', 'irn_subscribe', 'wc_approveSession']));
  });

  it('sends each step as eth_sendTransaction with the exact fields, and a refusal in the wallet in plain words', async () => {
    wallet.mode('reject');
    const signer = service.signer(await service.live(session.topic));
    await expect(signer.sendTransaction(tx())).rejects.toMatchObject({
      code: 'WALLET_REJECTED',
      message: 'You rejected it in Test Wallet, so it was not sent.',
    });
    expect(wallet.requests.at(-1)).toEqual({
      from: session.address,
      to: '0x00000000000000000000000000000000000000aa',
      data: '0x095ea7b3',
      value: '0x00',
      gas: '0xea60',
      nonce: '0x07',
      maxFeePerGas: '0xb2d05e00',
      maxPriorityFeePerGas: '0x3b9aca00',
      chainId: '0x7a69',
      type: '0x2',
    });
  });

  it('refuses a step for another chain or another account before asking the wallet', async () => {
    const before = wallet.requests.length;
    const signer = service.signer(session);
    await expect(signer.sendTransaction(tx({ chainId: 1 }))).rejects.toMatchObject({ code: 'WRONG_CHAIN' });
    await expect(signer.sendTransaction(tx({ from: '0x00000000000000000000000000000000000000bb' }))).rejects.toMatchObject({
      code: 'WALLET_WRONG_ACCOUNT',
    });
    expect(wallet.requests.length).toBe(before);
  });

  it('gives up on a wallet that does not answer, and says so', async () => {
    wallet.mode('ignore');
    const t0 = Date.now();
    await expect(service.signer(session).sendTransaction(tx())).rejects.toMatchObject({ code: 'WALLET_TIMEOUT' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it('keeps the session across a restart (the SDK storage in the user-data folder)', async () => {
    await service.close();
    service = new WalletConnectService(config(), dir, silentLogger);
    await service.resume();
    expect(await service.sessions()).toEqual([session]);
    wallet.mode('reject');
    await expect(service.signer(await service.live(session.topic)).sendTransaction(tx())).rejects.toMatchObject({
      code: 'WALLET_REJECTED',
    });
  });

  it('tells when the wallet disconnects, and a step then says to connect again', async () => {
    let told = 0;
    service.onChange(() => told++);
    await wallet.disconnectAll();
    await expect.poll(() => told, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await service.sessions()).toEqual([]);
    await expect(service.live(session.topic)).rejects.toMatchObject({ code: 'WALLET_DISCONNECTED' });
  });

  it('disconnects from the app too', async () => {
    wallet.approveFor(null);
    const again = await paired(service);
    await service.disconnect(again.topic);
    expect(await service.sessions()).toEqual([]);
  });

  it('a wallet approving for another chain is refused at the first step', async () => {
    wallet.approveFor([1]);
    const other = await paired(service);
    expect(other.chainIds).toEqual([1]);
    await expect(service.signer(other).sendTransaction(tx({ from: other.address }))).rejects.toMatchObject({
      code: 'WRONG_CHAIN',
      message: expect.stringContaining('Disconnect it and connect it again') as string,
    });
    wallet.approveFor(null);
  });
});

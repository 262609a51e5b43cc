import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { createProvider } from '../chain/provider';
import { tokenAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';
import { DEPLOYER_KEY, deployWorld, type Deployment } from '../devnet/world';
import { silentLogger } from '../log/logger';
import { createRouter } from '../ipc/router';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { phraseRecorder } from '../test-support/phrase-recorder';
import { createTestApp } from '../test-support/test-app';

/**
 * A holder with a real network: a separate node process on loopback (anvil, as a stand-in for
 * Sepolia, chain id 11155111) with the pool deployed, reached by URL through the app's own API.
 */
const CHAIN_ID = 11155111;
const records = createRecords({ chainModels: 6, historyRounds: 3 });
let node: AnvilHandle;
let deployment: Deployment;
let dir: string;
let app: App | null = null;
const phrases = phraseRecorder();

async function open() {
  app = await createTestApp(dir, { records, demoPool: 'delegation' });
  // Main's confirmation step, answered as the person would: yes.
  app.coordinator.setConfirmer({ present: async (_req, decide) => (setTimeout(() => decide('confirm'), 10), { confirmUrl: null }) });
  app.setPhraseDisplay(phrases);
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  return async (method: string, input: unknown = {}) => router.handle(method, input, { kind: 'harness', token: 'x' });
}

beforeAll(async () => {
  node = await startAnvil({ chainId: CHAIN_ID });
  const provider = createProvider(node.url, CHAIN_ID, 20);
  deployment = await deployWorld(provider, new Wallet(DEPLOYER_KEY, provider), records.demoSpec(), CHAIN_ID);
  provider.destroy();
  dir = mkdtempSync(join(tmpdir(), 'remote-'));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a real network by URL', () => {
  it('tells apart a bad URL, a wrong chain id and an address without a pool, then connects and delegates', async () => {
    const call = await open();
    const good = { rpcUrl: node.url, chainId: CHAIN_ID, poolAddress: deployment.pool };

    expect(await call('network.connect', { ...good, rpcUrl: 'not a url' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const dead = await call('network.connect', { ...good, rpcUrl: 'http://127.0.0.1:9' });
    expect(dead).toMatchObject({ ok: false, error: { code: 'RPC_UNREACHABLE' } });
    const wrong = await call('network.connect', { ...good, chainId: 1 });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_CHAIN' } });
    expect(JSON.stringify(wrong)).toContain('Sepolia');
    const eoa = await call('network.connect', { ...good, poolAddress: new Wallet(DEPLOYER_KEY).address });
    expect(eoa).toMatchObject({ ok: false, error: { code: 'NOT_A_POOL' } });
    expect(JSON.stringify(eoa)).toContain('no contract');
    const notPool = await call('network.connect', { ...good, poolAddress: deployment.token });
    expect(notPool).toMatchObject({ ok: false, error: { code: 'NOT_A_POOL' } });
    expect(JSON.stringify(notPool)).toContain('not an NMR delegation pool');
    // After all of that, the app is still on its local chain.
    expect(await call('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'local' } } });

    expect(await call('network.connect', good)).toEqual({ ok: true, value: { kind: 'remote', chainId: CHAIN_ID, label: 'Sepolia' } });
    const list = await call('models.list', {});
    expect(list).toMatchObject({ ok: true, value: { total: 6 } });
    expect(await call('faucet.request')).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });

    // A holder whose NMR arrived on that network delegates through the app.
    const draft = (await call('wallet.createDraft', { words: 12 })) as { ok: true; value: { draftId: string; confirmPositions: number[] } };
    const words = phrases.last();
    const confirmations = draft.value.confirmPositions.map((position) => ({ position, word: words[position - 1]! }));
    const created = (await call('wallet.confirmCreate', { draftId: draft.value.draftId, password: 'long password', confirmations })) as {
      ok: true;
      value: { address: string };
    };
    const provider = createProvider(node.url, CHAIN_ID, 20);
    const deployer = new Wallet(DEPLOYER_KEY, provider);
    await waitForReceipt(
      provider,
      (await new Contract(deployment.token, tokenAbi, deployer).getFunction('demoMint').send(created.value.address, 10n ** 20n)).hash,
    );
    await waitForReceipt(provider, (await deployer.sendTransaction({ to: created.value.address, value: 10n ** 18n })).hash);
    provider.destroy();
    const done = new Promise<void>((resolve) =>
      app!.events.subscribe(
        (e) => e.name === 'tx.status' && e.payload.state === 'mined' && e.payload.step === e.payload.steps && resolve(),
      ),
    );
    const req = await call('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: 2, amountWei: '40000000000000000000' }] },
    });
    expect(req).toMatchObject({ ok: true, value: { blocker: null, confirmUrl: null } });
    await done;
    const positions = (await call('portfolio.positions')) as {
      ok: true;
      value: { positions: { modelId: number; pendingInWei: string }[] };
    };
    expect(positions.value.positions).toEqual([expect.objectContaining({ modelId: 2, pendingInWei: '40000000000000000000' })]);

    // The network is remembered across a restart.
    await app!.close();
    const again = await open();
    expect(await again('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'remote', chainId: CHAIN_ID } } });
    await again('wallet.unlock', { password: 'long password' });
    const after = (await again('portfolio.positions')) as { ok: true; value: { positions: unknown[] } };
    expect(after.value.positions).toHaveLength(1);
  }, 180_000);

  it('opens the demo chain and says why when the saved node is down at start', async () => {
    await app!.close();
    await node.stop();
    const call = await open();
    const info = (await call('app.info')) as { ok: true; value: { network: { kind: string }; notice: string | null } };
    expect(info.value.network.kind).toBe('local');
    expect(info.value.notice).toMatch(/could not be reached/);
  }, 120_000);
});

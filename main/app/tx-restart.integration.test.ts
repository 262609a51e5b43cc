/**
 * A delegation still waiting when the app quits is picked up by the next start on the same user-data
 * folder: listed by tx.inFlight, offered for speed up, and followed until it is confirmed. The local
 * demo chain has mining off and then a fee spike (its next base fee far above what the delegation
 * offered), as a busy network leaves a transaction stuck; the restarted chain forgets its pool, so
 * the app sends the signed transaction again, and the node refuses it until it is sped up.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, HDNodeWallet, Mnemonic, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/api';
import { createProvider } from '../chain/provider';
import { stakingPoolAbi, tokenAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';
import { rawRpc } from '../devnet/test-support/raw-rpc';
import { createRouter } from '../ipc/router';
import { silentLogger } from '../log/logger';
import { feeCapPerGas } from '../tx/fees';
import { pendingTxFile } from '../tx/pending-file';
import type { Plan } from '../tx/plan';
import { createTestApp } from '../test-support/test-app';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { stakingWorldDir } from '../devnet/staking-chain';
import { until as waitUntil } from './test-support/until';

type TxEvent = EventPayload<'tx.status'>;
type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
const NMR = 10n ** 18n;
const PASSWORD = 'long password';
// Anvil's dev account #6: not one the demo world uses. Local test chain only.
const HOLDER_KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
  "m/44'/60'/0'/0/6",
).privateKey;

let dir: string;
let app: App | null = null;

/** One run of the app on `dir`: its API as the renderer calls it, its tx.status events, the plans it asked to confirm. */
async function start() {
  const events: TxEvent[] = [];
  const presented: Plan[] = [];
  app = await createTestApp(dir, { records: createRecords({ chainModels: 4 }) });
  // Main's confirmation step, answered yes as the person would after reading it (high fee included).
  app.coordinator.setConfirmer({
    present: async (req, decide) => {
      presented.push(req.plan);
      setTimeout(() => decide('confirm', { highFeeAccepted: true }), 10);
      return { confirmUrl: null };
    },
  });
  app.events.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  const call = async (method: string, input: unknown = {}) =>
    (await router.handle(method, input, { kind: 'harness', token: 'x' })) as Envelope;
  const until = <T>(what: string, find: () => T | undefined) => waitUntil(what, find, () => events.map((e) => [e.txId, e.state]), 30_000);
  const rpcUrl = app.localRpcUrl()!;
  return { events, presented, call, until, rpc: (m: string, p: unknown[] = []) => rawRpc(rpcUrl, m, p), rpcUrl };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tx-restart-'));
});

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a delegation waiting when the app quits', () => {
  it('is listed after a restart on the same folder, can be sped up, and is confirmed', async () => {
    const first = await start();
    expect(await first.call('wallet.importPrivateKey', { privateKey: HOLDER_KEY, password: PASSWORD })).toMatchObject({ ok: true });
    expect(await first.call('faucet.request')).toMatchObject({ ok: true });
    const provider = createProvider(first.rpcUrl, 31337, 20);
    const holder = new Wallet(HOLDER_KEY, provider);
    const deployment = JSON.parse(readFileSync(join(stakingWorldDir(dir), 'deployment.json'), 'utf8')) as { nmr: string; pool: string };
    const token = new Contract(deployment.nmr, tokenAbi, provider);
    // An allowance that covers it: the delegation is one step.
    await waitForReceipt(
      provider,
      (
        await token
          .connect(holder)
          .getFunction('approve')
          .send(deployment.pool, 100n * NMR)
      ).hash,
    );
    provider.destroy();

    await first.rpc('evm_setAutomine', [false]);
    const sent = await first.call('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: 2, amountWei: (7n * NMR).toString() }] },
    });
    expect(sent).toMatchObject({ ok: true });
    const plan = first.presented.at(-1)!;
    expect(plan.steps.map((s) => s.kind)).toEqual(['delegate']);
    if (!sent.ok) throw new Error(sent.error.message);
    const requestId = String(sent.value.requestId);
    const txId = `${requestId}:1`;
    const pending = await first.until('the delegation pending', () => first.events.find((e) => e.txId === txId && e.state === 'pending'));
    // The network gets busy: the next blocks' base fee is far above what the delegation offered.
    await first.rpc('anvil_setNextBlockBaseFeePerGas', [`0x${(feeCapPerGas(plan.fees) * 1000n).toString(16)}`]);
    await first.rpc('evm_mine');
    expect(await first.rpc('eth_getTransactionReceipt', [pending.hash])).toBeNull();
    await app!.close();
    app = null;
    // What is kept is public: the signed transaction, never a key.
    const kept = readFileSync(pendingTxFile(dir, 31337), 'utf8');
    expect(kept).toContain(pending.hash);
    expect(kept).not.toContain(HOLDER_KEY.slice(2));

    const second = await start();
    // Still waiting, from before the restart, with the same id, nonce and hash; no plan ran again.
    const listed = (await second.call('tx.inFlight')) as { ok: true; value: { transactions: TxEvent[] } };
    expect(listed.value.transactions.map((t) => [t.txId, t.state, t.hash, t.nonce])).toEqual([
      [txId, 'pending', pending.hash, pending.nonce],
    ]);
    expect(second.events.filter((e) => e.txId === txId).map((e) => e.state)).toEqual(['pending']);
    // Speeding it up needs the wallet, which is locked after a restart.
    expect(await second.call('tx.speedUp', { txId })).toMatchObject({ ok: false, error: { code: 'WALLET_LOCKED' } });
    expect(await second.call('wallet.unlock', { password: PASSWORD })).toMatchObject({ ok: true });
    await second.rpc('evm_setAutomine', [false]);
    expect(await second.call('tx.speedUp', { txId })).toMatchObject({ ok: true });
    const faster = second.presented.at(-1)!;
    expect(faster.steps[0]).toMatchObject({ kind: 'speed-up', tx: { data: plan.steps[0]!.tx.data } });
    const replacement = await second.until('the speed-up pending', () =>
      second.events.find((e) => e.replaces === txId && e.state === 'pending'),
    );
    expect(replacement).toMatchObject({ nonce: pending.nonce, requestId });

    await second.rpc('evm_setAutomine', [true]);
    await second.rpc('evm_mine');
    await second.until('the speed-up confirmed', () => second.events.find((e) => e.txId === replacement.txId && e.state === 'confirmed'));
    const replaced = await second.until('the original replaced', () =>
      second.events.find((e) => e.txId === txId && e.state === 'replaced'),
    );
    expect(replaced.replacedBy).toEqual({ hash: replacement.hash, by: 'speed-up' });
    const check = createProvider(second.rpcUrl, 31337, 20);
    const view = (await new Contract(deployment.pool, stakingPoolAbi, check).getFunction('positionOf')(holder.address, 2)) as {
      pendingDepositWei: bigint;
    };
    check.destroy();
    expect(view.pendingDepositWei).toBe(7n * NMR);
    expect(await second.call('tx.inFlight')).toEqual({ ok: true, value: { transactions: [] } });
    // Nothing left waiting in the file either.
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(pendingTxFile(dir, 31337)) && JSON.parse(readFileSync(pendingTxFile(dir, 31337), 'utf8')).entries).toEqual([]);
  });
});

/**
 * Speed up and cancel through the app's own API, on the local demo chain (the staking world) with
 * mining switched off through its JSON-RPC URL (as a busy network would leave a transaction waiting):
 * every signature goes through main's confirmation step, the two-step delegation to StakingPool (with
 * NMR's approve rule: a leftover allowance is replaced by changeApproval) goes on after a speed-up and
 * stops cleanly after a cancel, and what is mined is what was confirmed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, HDNodeWallet, Mnemonic, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/api';
import { createProvider } from '../chain/provider';
import { rawRpc } from '../devnet/test-support/raw-rpc';
import { stakingPoolAbi, tokenAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';
import { silentLogger, type Logger } from '../log/logger';
import { createRouter } from '../ipc/router';
import type { Plan } from '../tx/plan';
import { feeCapPerGas, type Fees } from '../tx/fees';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { stakingWorldDir } from '../devnet/staking-chain';
import { createTestApp } from '../test-support/test-app';
import { until as waitUntil } from './test-support/until';

type TxEvent = EventPayload<'tx.status'>;
type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
const NMR = 10n ** 18n;
// Anvil's dev account #5: not one the demo world uses. Local test chain only.
const HOLDER_KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
  "m/44'/60'/0'/0/5",
).privateKey;

let dir: string;
let app: App;
let rpcUrl: string;
const presented: Plan[] = [];
const events: TxEvent[] = [];
const failures: string[] = [];
let call: (method: string, input?: unknown) => Promise<Envelope>;
let holder: Wallet;
let token: Contract;
let pool: Contract;

const rpc = (method: string, params: unknown[] = []) => rawRpc(rpcUrl, method, params);

const until = <T>(what: string, find: () => T | undefined, timeoutMs?: number): Promise<T> =>
  waitUntil(what, find, () => events.map((e) => [e.txId, e.state]), timeoutMs);

const ev = (txId: string, state: TxEvent['state']) => () => events.find((e) => e.txId === txId && e.state === state);
const ofRequest = (requestId: string) => events.filter((e) => e.requestId === requestId);

async function request(method: string, input: unknown): Promise<{ requestId: string; plan: Plan }> {
  const r = await call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  // The confirmer below has seen the very plan main will sign.
  return { requestId: String(r.value.requestId), plan: presented.at(-1)! };
}

function minedFees(tx: { type: number; gasPrice: bigint; maxFeePerGas: bigint | null; maxPriorityFeePerGas: bigint | null }): Fees {
  return tx.type === 2
    ? { type: 2, maxFeePerGas: tx.maxFeePerGas!, maxPriorityFeePerGas: tx.maxPriorityFeePerGas! }
    : { type: 0, gasPrice: tx.gasPrice };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tx-replace-'));
  const log: Logger = { ...silentLogger, warn: (event, fields) => event === 'tx.execution_failed' && failures.push(String(fields?.error)) };
  app = await createTestApp(dir, { log, records: createRecords({ chainModels: 4 }) });
  // Main's confirmation step, answered as the person would after reading it: yes.
  app.coordinator.setConfirmer({
    present: async (req, decide) => {
      presented.push(req.plan);
      setTimeout(() => decide('confirm'), 10);
      return { confirmUrl: null };
    },
  });
  app.events.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  call = async (method, input = {}) => (await router.handle(method, input, { kind: 'harness', token: 'x' })) as Envelope;
  rpcUrl = app.localRpcUrl()!;

  expect(await call('wallet.importPrivateKey', { privateKey: HOLDER_KEY, password: 'long password' })).toMatchObject({ ok: true });
  expect(await call('faucet.request')).toMatchObject({ ok: true });
  const provider = createProvider(rpcUrl, 31337, 20);
  holder = new Wallet(HOLDER_KEY, provider);
  const deployment = JSON.parse(readFileSync(join(stakingWorldDir(dir), 'deployment.json'), 'utf8')) as { nmr: string; pool: string };
  token = new Contract(deployment.nmr, tokenAbi, provider);
  pool = new Contract(deployment.pool, stakingPoolAbi, provider);
  // A small permission left over from before: NMR refuses to change it straight to another non-zero value.
  await waitForReceipt(
    provider,
    (
      await token
        .connect(holder)
        .getFunction('approve')
        .send(await pool.getAddress(), NMR)
    ).hash,
  );
  await rpc('evm_setAutomine', [false]);
}, 120_000);

afterAll(async () => {
  await rpc('evm_setAutomine', [true]).catch(() => undefined);
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a transaction stuck in flight', () => {
  it('speeds up the first of two steps; the replacement is mined, the original reported replaced, and the plan goes on', async () => {
    const { requestId, plan } = await request('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: 1, amountWei: (5n * NMR).toString() }] },
    });
    // The leftover allowance is replaced in one step (NMR's changeApproval), then the delegation.
    expect(plan.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
    expect(plan.steps.at(0)?.tx.data?.slice(0, 10)).toBe(token.interface.getFunction('changeApproval')!.selector);
    const first = `${requestId}:1`;
    const pending = await until('step 1 pending', ev(first, 'pending'));
    await new Promise((r) => setTimeout(r, 300));
    // No block comes: it stays pending, and nothing after it was signed.
    expect(ofRequest(requestId).map((e) => [e.step, e.state])).toEqual([
      [1, 'signing'],
      [1, 'pending'],
    ]);
    // What was sent carries the fees the confirmation showed.
    const sent = await holder.provider!.getTransaction(pending.hash!);
    expect(minedFees(sent!)).toEqual(plan.fees);
    expect(sent!.gasLimit * feeCapPerGas(plan.fees)).toBeLessThanOrEqual(plan.gasCostWei);

    const { plan: faster } = await request('tx.speedUp', { txId: first });
    expect(faster.steps).toHaveLength(1);
    expect(faster.steps[0]).toMatchObject({ kind: 'speed-up', tx: { to: sent!.to, data: sent!.data } });
    expect(feeCapPerGas(faster.fees) * 10n).toBeGreaterThanOrEqual(feeCapPerGas(plan.fees) * 11n);
    expect(faster.lines.map((l) => l.label)).toEqual(
      expect.arrayContaining(['Fee per gas', 'Network fee (at most)', 'Total cost (at most)']),
    );
    const replacement = await until('the speed-up pending', () => events.find((e) => e.replaces === first && e.state === 'pending'));
    expect(replacement).toMatchObject({ purpose: 'speed-up', step: 1, nonce: pending.nonce, requestId });
    // A page opened now (the dialog closed, or reloaded) gets both from main, as their last status.
    const inFlight = (await call('tx.inFlight')) as { ok: true; value: { transactions: TxEvent[] } };
    expect(inFlight.value.transactions.map((t) => [t.txId, t.state, t.purpose])).toEqual([
      [first, 'pending', 'step'],
      [replacement.txId, 'pending', 'speed-up'],
    ]);

    await rpc('evm_mine');
    const replaced = await until('the original replaced', ev(first, 'replaced'));
    expect(replaced.replacedBy).toEqual({ hash: replacement.hash, by: 'speed-up' });
    await until('the speed-up confirmed', ev(replacement.txId, 'confirmed'));
    const mined = await holder.provider!.getTransaction(replacement.hash!);
    // Fee caps respected: exactly what the speed-up's confirmation showed, within its "at most".
    expect(minedFees(mined!)).toEqual(faster.fees);
    expect(mined!.nonce).toBe(pending.nonce);
    expect(mined!.gasLimit * feeCapPerGas(faster.fees)).toBe(faster.gasCostWei);

    // The delegation follows, mined when a block comes.
    await until('step 2 pending', ev(`${requestId}:2`, 'pending'));
    await rpc('evm_mine');
    await until('step 2 confirmed', ev(`${requestId}:2`, 'confirmed'));
    // The NMR waits in the pool for the model's next Numerai round, as the portfolio and the pool say.
    const position = (await call('portfolio.staking')) as { ok: true; value: { positions: { modelId: number; waitingWei: string }[] } };
    expect(position.value.positions.find((p) => p.modelId === 1)?.waitingWei).toBe((5n * NMR).toString());
    const view = (await pool.getFunction('positionOf')(holder.address, 1)) as { pendingDepositWei: bigint };
    expect(view.pendingDepositWei).toBe(5n * NMR);
    expect(failures).toEqual([]);
    expect(await call('tx.inFlight')).toEqual({ ok: true, value: { transactions: [] } });
  });

  it('cancels the approve of a two-step delegation: the delegation is never sent, and the NMR has not moved', async () => {
    const nmrBefore = BigInt(await token.getFunction('balanceOf')(holder.address));
    const { requestId, plan } = await request('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: 1, amountWei: (3n * NMR).toString() }] },
    });
    expect(plan.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
    const first = `${requestId}:1`;
    const pending = await until('step 1 pending', ev(first, 'pending'));

    const { plan: cancel } = await request('tx.cancelPending', { txId: first });
    expect(cancel.steps[0]).toMatchObject({ kind: 'cancel', tx: { to: holder.address, data: '0x', value: 0n }, gasLimit: 21_000n });
    expect(cancel.gasCostWei).toBe(21_000n * feeCapPerGas(cancel.fees));
    expect(cancel.warnings.join(' ')).toMatch(/later steps of this action will not be sent/);
    const cancelTx = await until('the cancel pending', () => events.find((e) => e.replaces === first && e.state === 'pending'));
    expect(cancelTx.purpose).toBe('cancel');

    await rpc('evm_mine');
    const replaced = await until('the original replaced', ev(first, 'replaced'));
    expect(replaced.replacedBy).toEqual({ hash: cancelTx.hash, by: 'cancel' });
    expect(replaced.error).toMatch(/cancelled/);
    await until('the cancel confirmed', ev(cancelTx.txId, 'confirmed'));
    await until('the plan stopped', () => failures.find((f) => f.includes('cancelled')));
    expect(failures.at(-1)).toMatch(/You cancelled “Let the pool move 3 NMR.*”\. The next step was not sent\./);

    // The self-transfer of 0 took the nonce; no delegation was signed; nothing moved.
    const mined = await holder.provider!.getTransaction(cancelTx.hash!);
    expect({ to: mined!.to, value: mined!.value, nonce: mined!.nonce }).toEqual({ to: holder.address, value: 0n, nonce: pending.nonce });
    await new Promise((r) => setTimeout(r, 300));
    expect(ofRequest(requestId).some((e) => e.step === 2)).toBe(false);
    expect(BigInt(await token.getFunction('allowance')(holder.address, await pool.getAddress()))).toBe(0n);
    expect(BigInt(await token.getFunction('balanceOf')(holder.address))).toBe(nmrBefore);
  });

  it('reports a step replaced by a transaction sent from elsewhere, and stops the plan', async () => {
    const { requestId } = await request('tx.request', {
      intent: { kind: 'delegate', allocations: [{ modelId: 1, amountWei: NMR.toString() }] },
    });
    const first = `${requestId}:1`;
    const pending = await until('step 1 pending', ev(first, 'pending'));
    const sent = await holder.provider!.getTransaction(pending.hash!);
    const fees = minedFees(sent!);
    const higher =
      fees.type === 2
        ? { maxFeePerGas: fees.maxFeePerGas * 2n, maxPriorityFeePerGas: fees.maxPriorityFeePerGas * 2n }
        : { gasPrice: fees.gasPrice * 2n };
    await holder.sendTransaction({ to: holder.address, value: 0n, gasLimit: 21_000n, nonce: pending.nonce!, chainId: 31337, ...higher });
    await rpc('evm_mine');
    const replaced = await until('the original replaced', ev(first, 'replaced'));
    expect(replaced.replacedBy).toEqual({ hash: null, by: 'other' });
    await until('the plan stopped', () => failures.find((f) => f.includes('took the place')));
    expect(ofRequest(requestId).some((e) => e.step === 2)).toBe(false);
  });

  it('refuses to replace what is not waiting, and malformed ids', async () => {
    expect(await call('tx.speedUp', { txId: `${'0'.repeat(32)}:1` })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('tx.cancelPending', { txId: 'nope' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const done = events.find((e) => e.state === 'confirmed' && e.purpose === 'step')!;
    expect(await call('tx.speedUp', { txId: done.txId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

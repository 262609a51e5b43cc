/**
 * What main answers before a wallet exists and while it is locked (the renderer lets a person look
 * around first, renderer/src/app/wallet-gate.tsx): the models and the network are answered; anything
 * about "your" NMR needs a wallet (NO_WALLET); anything that would be signed needs it unlocked
 * (WALLET_LOCKED, asked before a plan is drafted, so no confirmation window opens for nothing).
 * Reads of a locked wallet's public address stay answered: the chain shows them to anyone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet, Mnemonic } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { createRouter } from '../ipc/router';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { createTestApp } from '../test-support/test-app';

type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
// Anvil's dev account #6: not one the demo world uses. Local test chain only.
const HOLDER_KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
  "m/44'/60'/0'/0/6",
).privateKey;
const DELEGATE = { intent: { kind: 'delegate', allocations: [{ modelId: 1, amountWei: (10n ** 18n).toString() }] } };

let dir: string;
let app: App;
let presented = 0;
let call: (method: string, input?: unknown) => Promise<Envelope>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'without-wallet-'));
  app = await createTestApp(dir, { records: createRecords({ chainModels: 4 }) });
  app.coordinator.setConfirmer({
    present: async () => {
      presented++;
      return { confirmUrl: null };
    },
  });
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  call = async (method, input = {}) => (await router.handle(method, input, { kind: 'harness', token: 'x' })) as Envelope;
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('before a wallet exists', () => {
  it('answers the network and the models', async () => {
    expect(await call('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'local' } } });
    expect(await call('wallet.status')).toMatchObject({ ok: true, value: { state: 'none' } });
    const list = await call('models.list', {});
    expect(list.ok).toBe(true);
    expect((list as { ok: true; value: { rows: unknown[] } }).value.rows.length).toBeGreaterThan(0);
  });

  it('refuses what is about your NMR with NO_WALLET, and drafts nothing to sign', async () => {
    for (const method of ['account.balances', 'portfolio.staking', 'history.summary']) {
      expect(await call(method), method).toMatchObject({ ok: false, error: { code: 'NO_WALLET' } });
    }
    expect(await call('tx.request', DELEGATE)).toMatchObject({ ok: false, error: { code: 'NO_WALLET' } });
    expect(presented).toBe(0);
  });
});

describe('with a locked wallet', () => {
  beforeAll(async () => {
    expect(await call('wallet.importPrivateKey', { privateKey: HOLDER_KEY, password: 'long password' })).toMatchObject({ ok: true });
    expect(await call('faucet.request')).toMatchObject({ ok: true });
    expect(await call('wallet.lock')).toMatchObject({ ok: true, value: { state: 'locked' } });
  }, 60_000);

  it('asks for the password before drafting a delegation: WALLET_LOCKED, no confirmation shown', async () => {
    const r = await call('tx.request', DELEGATE);
    expect(r).toMatchObject({ ok: false, error: { code: 'WALLET_LOCKED' } });
    expect((r as { ok: false; error: { message: string } }).error.message).toMatch(/Unlock it with your password/);
    expect(presented).toBe(0);
  });

  it("still answers the public reads of the wallet's address", async () => {
    expect(await call('account.balances')).toMatchObject({ ok: true });
    expect(await call('portfolio.staking')).toMatchObject({ ok: true });
  });

  it('drafts the delegation once unlocked', async () => {
    expect(await call('wallet.unlock', { password: 'long password' })).toMatchObject({ ok: true });
    expect(await call('tx.request', DELEGATE)).toMatchObject({ ok: true });
    expect(presented).toBe(1);
  });
});

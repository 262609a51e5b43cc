import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { API, type AnyEvent, type ApiOutput } from '../../shared/api';
import { EventBus } from '../ipc/events';
import { createRouter, type Handlers } from '../ipc/router';
import { createLogger } from '../log/logger';
import { AutomaticConsent } from '../operator/automatic-consent';
import { NO_CONSENT, type OperatorHandle } from '../operator/create-operator-service';
import { OperatorService } from '../operator/operator-service';
import { NumeraiRefusal } from '../numerai/v3-api';
import { refusalWords } from '../operator/refusal-words';
import { NOW, POOL, fakeApi, fakeOperatorPool, models } from '../operator/test-support/fakes';
import { TokenVault } from '../operator/token-vault';
import { TxCoordinator, type Decide } from '../tx/coordinator';
import type { KeyAccess } from '../wallet/signer';
import { operatorHandlers } from './operator-api';

/** numer.ai's form: 32 + 64 upper-case letters and digits. */
const TOKEN = 'QWERTYUIOPASDFGHJKLZXCVBNM123456$MNBVCXZLKJHGFDSAPOIUYTREWQ0987654321MNBVCXZLKJHGFDSAPOIUYTREWQ09';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Methods = 'operator.status' | 'operator.setToken' | 'operator.clearToken' | 'operator.runNow' | 'operator.setAutomatic';

/**
 * The operator's calls as the page reaches them (through the router, inputs and answers checked by
 * the contract), over the operator's fakes: Numerai's API and the pool from main/operator/test-support,
 * the real token vault, consent file, coordinator and logger, and a confirmer standing for main's window.
 */
function operatorRouter(opts: { numerai?: Parameters<typeof fakeApi>[0] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'operator-api-'));
  dirs.push(dir);
  const owner = new Wallet(Wallet.createRandom().privateKey);
  let unlocked = true;
  const keys: KeyAccess = {
    withKey: (address, use) => (unlocked && address === owner.address ? use(owner) : Promise.reject(new Error('WALLET_LOCKED'))),
  };
  const tokens = new TokenVault(join(dir, 'operator'), keys);
  const consent = new AutomaticConsent(join(dir, 'operator', 'automatic-staking.json'));
  const scope = { chainId: 31337, pool: POOL, account: owner.address };

  const { api } = fakeApi(opts.numerai);
  const { pool, sent } = fakeOperatorPool();
  const tokensGiven: string[] = [];
  const service = new OperatorService({
    tokens,
    account: () => owner.address,
    isUnlocked: () => unlocked,
    api: (token) => {
      tokensGiven.push(token);
      return api;
    },
    pool: () => pool,
    linkedModels: () => Promise.resolve(models),
    mayAct: (account) => (consent.allows({ ...scope, account }) ? null : NO_CONSENT),
    now: () => NOW,
  });
  const handle: OperatorHandle = { service, pool: { chainId: 31337, address: POOL, networkLabel: 'Local demo chain' } };

  const events = new EventBus();
  const seen: AnyEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const logFile = join(dir, 'logs', 'main.log');
  const log = createLogger({ file: logFile });
  const coordinator = new TxCoordinator(events, log);
  // Main's window: what it was asked, and the decision only it can take.
  const asked: { title: string; steps: number; decide: Decide }[] = [];
  coordinator.setConfirmer({
    present: (request, decide) => {
      asked.push({ title: request.plan.title, steps: request.plan.steps.length, decide });
      return Promise.resolve({ confirmUrl: `http://127.0.0.1:9/confirm/${request.id}` });
    },
  });

  const handlers = operatorHandlers({
    operator: () => Promise.resolve(handle),
    tokens,
    consent,
    account: () => owner.address,
    isUnlocked: () => unlocked,
    coordinator,
    events,
    log,
  });
  const router = createRouter({ handlers: handlers as unknown as Handlers, allowSender: () => true, log });
  /** Every answer, error and event the page got, as text. */
  const traffic: string[] = [];
  async function call<M extends Methods>(method: M, input: object = {}): Promise<ApiOutput<M>> {
    const r = await router.handle(method, input, { kind: 'harness', token: 'x' });
    traffic.push(JSON.stringify(r));
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return API[method].output.parse(r.value) as ApiOutput<M>;
  }
  const pageSaw = () => [...traffic, ...seen.map((e) => JSON.stringify(e))].join('\n');
  const logText = () => readFileSync(logFile, 'utf8');
  return {
    call,
    owner,
    service,
    sent,
    asked,
    seen,
    consent,
    scope,
    dir,
    tokensGiven,
    pageSaw,
    logText,
    lock: () => (unlocked = false),
  };
}

/** Every file under `dir`, as text. */
function filesText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

const tokenParts = [TOKEN, ...TOKEN.split('$')];

describe('the operator calls', () => {
  it('keep the token in main: saved sealed for the active account, never in an answer, an event, a log line or a file', async () => {
    const o = operatorRouter();
    expect((await o.call('operator.status')).token.savedFor).toBeNull();
    expect(await o.call('operator.setToken', { token: `  ${TOKEN}\n` })).toEqual({ savedFor: o.owner.address });
    const status = await o.call('operator.status');
    expect(status).toMatchObject({ state: 'not-run', account: o.owner.address, token: { savedFor: o.owner.address }, automatic: false });
    // A wrong token is refused with words that do not repeat it.
    const bad = `${TOKEN.slice(0, 20)} ${TOKEN.slice(21)}`;
    await expect(o.call('operator.setToken', { token: bad })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /no spaces/ });
    // A run opens the token for Numerai's client only.
    await o.call('operator.setAutomatic', { on: true });
    o.asked[0]!.decide('confirm');
    await o.service.runNow();
    expect(o.tokensGiven).toContain(TOKEN);
    const saw = o.pageSaw();
    const logged = o.logText();
    const files = filesText(o.dir);
    expect(logged).toContain('operator.token_saved');
    for (const part of [...tokenParts, bad.slice(0, 20)]) {
      expect(saw).not.toContain(part);
      expect(logged).not.toContain(part);
      expect(files).not.toContain(part);
    }
    expect(await o.call('operator.clearToken')).toEqual({ savedFor: null });
    expect((await o.call('operator.status')).token.savedFor).toBeNull();
    o.service.stop();
  });

  it('need the wallet unlocked to save a token', async () => {
    const o = operatorRouter();
    o.lock();
    await expect(o.call('operator.setToken', { token: TOKEN })).rejects.toThrow();
    expect((await o.call('operator.status')).token.savedFor).toBeNull();
  });

  it('turn automatic staking on only once main’s window confirms it; off at once', async () => {
    const o = operatorRouter();
    await o.call('operator.setToken', { token: TOKEN });
    const ask = await o.call('operator.setAutomatic', { on: true });
    expect(ask).toMatchObject({ asking: true, status: { automatic: false } });
    expect(ask.confirmUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/confirm\//);
    expect(o.asked).toEqual([expect.objectContaining({ title: 'Stake your models automatically each Numerai round', steps: 0 })]);
    // Asking again does not grant it either; a rejection in main's window leaves it off.
    expect((await o.call('operator.setAutomatic', { on: true })).asking).toBe(true);
    expect(o.asked[1]!.decide('reject')).toBe(true);
    expect((await o.call('operator.status')).automatic).toBe(false);
    expect(o.consent.isOn(o.scope)).toBe(false);

    expect(o.asked[0]!.decide('confirm')).toBe(true);
    // The timer's first run starts at once and sends without asking; the next one is planned.
    await expect.poll(() => o.service.get().nextRunAt).toBe(NOW + 10 * 60_000);
    const on = await o.call('operator.status');
    expect(on).toMatchObject({ automatic: true, state: 'done', lastRunAt: NOW, nextRunAt: NOW + 10 * 60_000 });
    expect(o.sent).toHaveLength(1);
    expect(o.seen.some((e) => e.name === 'operator.status' && e.payload.automatic)).toBe(true);
    // Kept per account on this pool and chain, across restarts (the file), and not on another chain.
    expect(new AutomaticConsent(join(o.dir, 'operator', 'automatic-staking.json')).isOn(o.scope)).toBe(true);
    expect(o.consent.isOn({ ...o.scope, chainId: 1 })).toBe(false);

    const off = await o.call('operator.setAutomatic', { on: false });
    expect(off).toMatchObject({ asking: false, confirmUrl: null, status: { automatic: false, nextRunAt: null } });
    expect(o.asked).toHaveLength(2);
    o.service.stop();
  });

  it('run now: asks main’s window while automatic staking is off, runs at once while it is on', async () => {
    const o = operatorRouter();
    await o.call('operator.setToken', { token: TOKEN });
    const ask = await o.call('operator.runNow');
    expect(ask.asking).toBe(true);
    expect(o.asked[0]).toMatchObject({ title: 'Stake your models in this Numerai round now', steps: 0 });
    expect(o.sent).toEqual([]);
    o.asked[0]!.decide('confirm');
    const done = await o.service.runNow();
    expect(done.current.state).toBe('done');
    expect(o.sent).toHaveLength(1);
    const status = await o.call('operator.status');
    expect(status.models.map((m) => [m.name, m.status.state])).toEqual([
      ['model_1', 'staked'],
      ['model_2', 'staked'],
      ['model_3', 'staked'],
    ]);
    expect(status.models[0]!.status).toMatchObject({ roundId: 1200, stakedWei: (10n ** 20n).toString() });
    // The one-run grant ended with the run: the timer's next run would not send.
    expect(o.consent.allows(o.scope)).toBe(false);
    expect((await o.service.runNow()).current).toEqual({ state: 'no-consent', message: NO_CONSENT });
    expect(o.sent).toHaveLength(1);
  });

  it('run now without a token asks nothing: the status says what is missing', async () => {
    const o = operatorRouter();
    const r = await o.call('operator.runNow');
    expect(r.asking).toBe(false);
    await o.service.runNow();
    expect((await o.call('operator.status')).state).toBe('no-token');
    expect(o.asked).toEqual([]);
  });

  it('show Numerai’s refusals in the status in words: no scope, no selected submission, staking closed', async () => {
    const refuse = {
      [models[0]!.apiModelId]: new NumeraiRefusal('missing-scope', 'no'),
      [models[1]!.apiModelId]: new NumeraiRefusal('no-selected-submission', 'no'),
    };
    const o = operatorRouter({ numerai: { refuse } });
    await o.call('operator.setToken', { token: TOKEN });
    await o.call('operator.runNow');
    o.asked[0]!.decide('confirm');
    await o.service.runNow();
    const { models: rows } = await o.call('operator.status');
    expect(rows.map((m) => m.status)).toEqual([
      { state: 'refused', message: refusalWords('missing-scope', 'model_1'), retrySoon: false },
      { state: 'refused', message: refusalWords('no-selected-submission', 'model_2'), retrySoon: false },
      expect.objectContaining({ state: 'staked' }),
    ]);
    expect(rows[0]!.status).toMatchObject({ message: expect.stringContaining('web3_staking') });

    const closed = operatorRouter({ numerai: { state: 'closed' } });
    await closed.call('operator.setToken', { token: TOKEN });
    await closed.call('operator.runNow');
    closed.asked[0]!.decide('confirm');
    await closed.service.runNow();
    const after = await closed.call('operator.status');
    expect(after.models.map((m) => m.status)).toEqual(
      models.map(() => ({ state: 'refused', message: refusalWords('staking-closed', ''), retrySoon: false })),
    );
    expect(closed.sent).toEqual([]);
  });
});

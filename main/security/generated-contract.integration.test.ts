/**
 * Every answer inside the contract, under generated input (issue 19). For every method of the
 * contract, inputs are derived from its own zod schema (test-support/schema-arbitrary.ts): near
 * misses the schema refuses (wrong types, unknown keys, huge strings, extreme numbers, deep nesting),
 * and values of its shape. Each answer must parse with the contract's result schema or its error
 * schema, no answer may be INTERNAL ("something went wrong" is never an answer to a call the page
 * can make), and the refused calls change nothing. Seeded: a failure names its seed and input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, ApiErrorShape, METHOD_NAMES, type MethodName } from '../../shared/api';
import type { App } from '../app/create-app';
import { createRouter, type Router, type Sender } from '../ipc/router';
import { silentLogger } from '../log/logger';
import { createWalletAsPerson, phraseRecorder } from '../test-support/phrase-recorder';
import { createTestApp } from '../test-support/test-app';
import { neverConfirms } from '../tx/test-support/never-confirms';
import { mutated, valid } from './test-support/schema-arbitrary';

const SEED = 0x19_2026;
const REFUSED_PER_METHOD = 340;
const VALID_PER_METHOD = 170;
const PASSWORD = 'generated contract test password';
const sender: Sender = { kind: 'harness', token: 'generated' };

/**
 * Not sent with valid input: they change what every other call relies on (the wallet, the network,
 * the chain) or take seconds each (scrypt, a demo day). They still get every refused input here,
 * and the hostile test (hostile-input.integration.test.ts) sends them well-formed.
 */
const NOT_SENT_VALID = new Set<MethodName>([
  'devnet.reset',
  'devnet.advanceRound',
  'network.connect',
  'network.useLocal',
  'wallet.createDraft',
  'wallet.confirmCreate',
  'wallet.importPhrase',
  'wallet.importPrivateKey',
  'wallet.importKeystore',
  'wallet.unlock',
  'wallet.lock',
  'wallet.exportKeystore',
  'wallet.revealPhrase',
  'wallet.addAccount',
  'faucet.request',
  'history.export',
  'operator.setToken',
  'operator.runNow',
]);

let dir = '';
let app: App;
let router: Router;
const confirmer = neverConfirms();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'generated-contract-'));
  app = await createTestApp(dir);
  app.coordinator.setConfirmer(confirmer);
  const phrases = phraseRecorder();
  app.setPhraseDisplay(phrases);
  router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  const call = async (method: MethodName, input: unknown) => {
    const r = await router.handle(method, input, sender);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  await createWalletAsPerson(call, phrases, PASSWORD);
  await call('faucet.request', {});
  const rows = (await call('models.list', { limit: 500 })).rows as { modelId: number | null; name: string }[];
  realNames = rows.map((r) => r.name);
  realIds = rows.map((r) => r.modelId).filter((id): id is number => id !== null);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let realNames: string[] = [];
let realIds: number[] = [];

/** `input` with every model name and pool model id replaced by a real one (picked by `seed`). */
function withRealModels(input: unknown, seed: number): unknown {
  let n = seed;
  const next = () => (n = (n * 1_103_515_245 + 12_345) % 2 ** 31);
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (typeof v === 'string' && (key === 'name' || key === 'names') && realNames.length) return realNames[next() % realNames.length];
    if (typeof v === 'number' && (key === 'modelId' || key === 'modelIds') && realIds.length) return realIds[next() % realIds.length];
    return v;
  };
  return walk(input, '');
}

/** Why an answer breaks the contract, or null. */
function breaks(method: MethodName, answer: unknown): string | null {
  const a = answer as { ok?: unknown; value?: unknown; error?: unknown };
  if (a?.ok === true) {
    const out = API[method].output.safeParse(a.value);
    return out.success ? null : `result outside the contract: ${out.error.issues[0]?.message ?? ''}`;
  }
  if (a?.ok !== false) return 'not an envelope';
  const e = ApiErrorShape.safeParse(a.error);
  if (!e.success) return `error outside the contract: ${JSON.stringify(a.error).slice(0, 120)}`;
  if (e.data.code === 'INTERNAL') return `INTERNAL: ${e.data.message}`;
  return null;
}

async function state() {
  const direct = async (m: MethodName) => (app.handlers[m] as (i: unknown) => Promise<unknown>)(API[m].input.parse({}));
  const rpc = await fetch(app.localRpcUrl()!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: ['latest', false] }),
  });
  const head = ((await rpc.json()) as { result: { hash: string } }).result.hash;
  return JSON.stringify({
    head,
    wallet: await direct('wallet.status'),
    balances: await direct('account.balances'),
    settings: await direct('settings.get'),
    inFlight: await direct('tx.inFlight'),
    portfolio: await direct('portfolio.staking'),
  });
}

describe('generated calls against the whole contract', () => {
  it('answers every generated call within the contract, never INTERNAL; refused calls change nothing', async () => {
    const found: string[] = [];
    let calls = 0;
    const send = async (method: MethodName, input: unknown) => {
      calls++;
      let answer: unknown;
      try {
        answer = await router.handle(method, input, sender);
      } catch (e) {
        answer = { thrown: e instanceof Error ? e.message : String(e) };
      }
      const why = breaks(method, answer);
      if (why && found.length < 20) found.push(`${method} ${JSON.stringify(input)?.slice(0, 200)}: ${why}`);
      return answer as { ok: boolean; error?: { code: string } };
    };

    // 1. Near misses the schema refuses: BAD_INPUT, nothing moves.
    const before = await state();
    let refusedSent = 0;
    for (const [k, method] of METHOD_NAMES.entries()) {
      const schema = API[method].input;
      const inputs = fc
        .sample(mutated(schema), { numRuns: REFUSED_PER_METHOD * 2, seed: SEED + k })
        .filter((i) => !schema.safeParse(i ?? {}).success);
      for (let i = 0; i < inputs.length && i < REFUSED_PER_METHOD; i += 24) {
        const batch = inputs.slice(i, Math.min(i + 24, REFUSED_PER_METHOD));
        const answers = await Promise.all(batch.map((input) => send(method, input)));
        refusedSent += batch.length;
        for (const a of answers)
          if (a.ok || a.error?.code !== 'BAD_INPUT') found.push(`${method}: a refused input got ${a.ok ? 'ok' : a.error?.code}`);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await state(), 'refused calls changed the state').toBe(before);
    expect(confirmer.presented, 'a refused call reached the confirmation').toBe(0);

    // 2. Values of each schema's shape: answered or refused in words, within the contract.
    let validSent = 0;
    for (const [k, method] of METHOD_NAMES.entries()) {
      if (NOT_SENT_VALID.has(method)) continue;
      // Half of them name real models (by name and pool id), so the calls reach past "not found".
      const inputs = fc
        .sample(valid(API[method].input), { numRuns: VALID_PER_METHOD, seed: SEED + 1000 + k })
        .map((input, i) => (i % 2 ? withRealModels(input, i) : input));
      for (let i = 0; i < inputs.length; i += 16) {
        const batch = inputs.slice(i, i + 16);
        await Promise.all(batch.map((input) => send(method, input)));
        validSent += batch.length;
      }
    }

    const line = `${calls} generated calls, ${found.length} contract breaks (${refusedSent} refused inputs, ${validSent} of the schemas' shape, seed ${SEED.toString(16)})`;
    console.log(line);
    expect(found, line).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(20_000);
  }, 600_000);
});

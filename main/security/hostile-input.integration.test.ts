import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, ApiErrorShape, ERROR_CODES, METHOD_NAMES, type MethodName } from '../../shared/api';
import type { App } from '../app/create-app';
import { harnessSenderCheck, startHarness, type Harness } from '../harness/server';
import { createRouter, type Router, type Sender } from '../ipc/router';
import { createLogger } from '../log/logger';
import { createWalletAsPerson, phraseRecorder } from '../test-support/phrase-recorder';
import { createTestApp } from '../test-support/test-app';
import { neverConfirms } from '../tx/test-support/never-confirms';
import { rng } from '../history/test-support/rng';

/**
 * Hostile input against the REAL app: its services, a local chain with the pool, a wallet with
 * demo NMR, the router with the harness's sender check, and the harness host for a share of the
 * calls. More than 10,000 malformed or unauthorised calls, drawn from a seeded PRNG over every API
 * method. Each answer must be an error envelope with a known code and a plain message, the
 * process must not see an unhandled error, and nothing may change: the data folder's files (logs
 * aside), the chain (block number and head hash), the holder's balances, the pool's models, the
 * wallet's state, the prototypes of built-in objects.
 *
 * A well-formed call that legitimately changes state (wallet.createDraft, faucet.request,
 * settings.update, network.connect to a real pool, …) is not a hostile call: the malformed calls
 * are checked against the method's own schema before they are sent (a generated input the schema
 * accepts is thrown away), and the few well-formed hostile calls are the kinds that must fail
 * (unknown model ids, unknown draft ids, amounts no pool takes, networks that are not a pool).
 */
const SEED = 0x5eed_2026;
const TARGET_CALLS = 10_500;
const HTTP_SHARE = 0.1;
const TOKEN = 'hostile-test-token-0123456789abcdef';
const PASSWORD = 'hostile input test password';

// ── a seeded PRNG (mulberry32, the history dev chain's) ─────────────────────────────────────────────────────
const rnd = rng(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const chance = (p: number) => rnd() < p;
const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join('');
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');

// ── hostile values ─────────────────────────────────────────────────────────────────────────────
const HUGE = 'A'.repeat(1024 * 1024); // 1 MB
const HUGE_DIGITS = '9'.repeat(1024 * 1024);
function deep(depth: number): unknown {
  let o: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}
const DEEP = deep(5000);
const DEEP_ARRAY = (() => {
  let a: unknown[] = [1];
  for (let i = 0; i < 5000; i++) a = [a];
  return a;
})();
const ownProto = () => JSON.parse('{"__proto__": {"polluted": "yes"}, "x": 1}') as unknown;
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const SCALARS: unknown[] = [
  0,
  -1,
  1.5,
  -0.5,
  2 ** 53,
  -(2 ** 53),
  2 ** 64,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  '',
  ' ',
  'x',
  '0',
  '-1',
  '1.5',
  '0x10',
  '1e18',
  'null',
  'undefined',
  '__proto__',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  HUGE,
  HUGE_DIGITS,
];
const SHAPES: (() => unknown)[] = [
  () => [],
  () => [1, 2, 3],
  () => [{}],
  () => ({}),
  () => DEEP,
  () => DEEP_ARRAY,
  ownProto,
  () => ({ constructor: { prototype: { polluted: 'yes' } } }),
  () => ({ prototype: { polluted: 'yes' } }),
  () => Array.from({ length: 10_000 }, (_, i) => i),
  () => new Date(0),
  () => Object.create(null) as unknown,
];
const hostileValue = (): unknown => (chance(0.6) ? pick(SCALARS) : pick(SHAPES)());

/** Amounts the pool must never take as given: negative, fractional, hex, exponent, padded, too long, not a string. */
const BAD_AMOUNTS: unknown[] = [
  '-1',
  '-0',
  '1.5',
  '0.1',
  '.5',
  '5.',
  '0x10',
  '0X10',
  '0b1',
  '0o7',
  '1e18',
  '1E18',
  '1e+18',
  '+1',
  ' 1',
  '1 ',
  '\t1',
  '1\n',
  '01',
  '00',
  '',
  '١٢٣',
  '１２３',
  '1_000',
  '1,000',
  'NaN',
  'Infinity',
  '-Infinity',
  '9'.repeat(79),
  HUGE_DIGITS,
  '1'.repeat(200),
  1,
  0,
  -1,
  1.5,
  1e21,
  2 ** 256,
  NaN,
  Infinity,
  null,
  true,
  [],
  {},
  ['1'],
  { toString: '1' },
];
/** Schema-valid amounts no pool accepts: zero, above any model's room, above 2^256 - 1. */
const IMPOSSIBLE_AMOUNTS = ['0', (10n ** 30n).toString(), (2n ** 255n).toString(), '9'.repeat(78)];

// ── near-valid inputs, to break one piece at a time ──────────────────────────────────────────
let realModelIds: number[] = [];
let realNames: string[] = [];
let localRpcUrl = '';
const unknownModelId = () => pick([0x7fff_ffff, 2 ** 32 - 1, 1000 + int(1_000_000)]);
const anyModelId = () => (chance(0.5) && realModelIds.length ? pick(realModelIds) : unknownModelId());
const unknownName = () =>
  pick([
    'no-such-model',
    '__proto__',
    'constructor',
    'toString',
    `model-${hex(8)}`,
    'x'.repeat(100),
    '../../etc/passwd',
    '<img src=x onerror=alert(1)>',
  ]);
const anyName = () => (chance(0.5) && realNames.length ? pick(realNames) : unknownName());
const confirmations = () => [1, 2, 3].map((position) => ({ position, word: 'abandon' }));

/**
 * A plausible input per method, for breaking one piece at a time. Methods not listed here (added
 * to the contract later) get {} and the generic attacks: a whole hostile value, extra and
 * prototype keys, and hostile values under the names their schema declares.
 */
function nearValid(method: MethodName): Record<string, unknown> {
  const m: string = method;
  switch (m) {
    case 'wallet.createDraft':
      return { words: pick([12, 24]) };
    case 'wallet.confirmCreate':
      return { draftId: hex(32), password: PASSWORD, confirmations: confirmations() };
    case 'wallet.unlock':
    case 'wallet.exportKeystore':
    case 'wallet.revealPhrase':
      return { password: PASSWORD };
    case 'wallet.importPhrase':
      return { phrase: 'abandon '.repeat(11) + 'about', password: PASSWORD };
    case 'wallet.importPrivateKey':
      return { privateKey: `0x${hex(64)}`, password: PASSWORD };
    case 'wallet.importKeystore':
      return { json: '{"version":3}', filePassword: 'x', password: PASSWORD };
    case 'wallet.addAccount':
    case 'wallet.selectAccount':
      return { index: int(5) };
    case 'models.list':
      return { scope: pick(['pool', 'all']), search: '', sort: { key: 'name', dir: 'asc' }, filter: {}, offset: 0, limit: 10 };
    case 'models.detail':
      return { name: anyName(), maxPoints: 100 };
    case 'models.compare':
      return { names: [anyName(), anyName()] };
    case 'models.backtest':
      return { allocations: [{ name: anyName(), amountWei: '1000' }], fromRound: 100 };
    case 'tx.request':
      return pick([
        () => ({ intent: { kind: 'delegate', allocations: [{ modelId: anyModelId(), amountWei: '1000' }] } }),
        () => ({ intent: { kind: 'take-back', modelId: anyModelId(), amountWei: pick(['1', 'all']) } }),
        () => ({ intent: { kind: 'withdraw', modelId: anyModelId() } }),
      ])();
    case 'tx.cancel':
      return { requestId: hex(32) };
    case 'history.export':
      return { exportId: hex(16), format: pick(['csv', 'json', 'koinly']), fromDay: null, toDay: null, modelIds: null };
    case 'history.cancel':
      return { exportId: hex(16) };
    case 'settings.update':
      return { lockTimeoutMin: 5, theme: 'dark', riskAcknowledged: true, demoRoundIntervalS: 0 };
    case 'network.connect':
      return { rpcUrl: 'http://127.0.0.1:1/', chainId: 1, poolAddress: `0x${hex(40)}` };
    default: {
      const shape = (API[method].input as unknown as { shape?: Record<string, unknown> }).shape;
      return Object.fromEntries(Object.keys(shape ?? {}).map((k) => [k, hostileValue()]));
    }
  }
}

/** Field-specific hostile values, beyond the generic ones. */
const FIELD_ATTACKS: Record<string, unknown[]> = {
  words: [13, 0, -12, 12.5, '12', '0xc', [12], 11, 25, 1e1],
  draftId: ['', 'x'.repeat(65), 42, HUGE],
  password: ['', 'short', 'x'.repeat(1025), HUGE, 12345678, ['a'.repeat(8)]],
  filePassword: ['x'.repeat(1025), HUGE, 1, null],
  phrase: ['', 'x'.repeat(1001), HUGE, ['abandon'], 12],
  privateKey: ['', 'x'.repeat(201), HUGE, 1, [`0x${'1'.repeat(64)}`]],
  json: ['', '{', 'x'.repeat(200_001), HUGE, { version: 3 }, 1],
  index: [-1, 1001, 1.5, '1', NaN, Infinity, null, [0]],
  confirmations: [
    [],
    [{ position: 1, word: 'a' }],
    Array.from({ length: 4 }, () => ({ position: 1, word: 'a' })),
    [
      { position: 0, word: 'a' },
      { position: 25, word: 'b' },
      { position: 1.5, word: 'c' },
    ],
    [
      { position: '1', word: 'a' },
      { position: 2, word: 'x'.repeat(33) },
      { position: 3, word: 3 },
    ],
  ],
  scope: ['mine', 'ALL', '', 1, null],
  search: ['x'.repeat(101), HUGE, 42, ['a']],
  sort: [{ key: 'evil', dir: 'asc' }, { key: '__proto__', dir: 'asc' }, { key: 'name', dir: 'up' }, { key: 'name' }, 'name', ownProto()],
  filter: [{ minRounds: -1 }, { maxDrawdownPct: 101 }, { maxFeeBps: 10_001 }, { maxFeeBps: 1.5 }, { evil: 1 }, 'all', ownProto()],
  offset: [-1, 1.5, 1_000_001, '0', NaN, Infinity, 2 ** 53],
  limit: [0, 501, 2.5, '10', -5, Infinity],
  name: ['', 'x'.repeat(101), HUGE, 1, null, ['a']],
  names: [
    [],
    ['a'],
    ['a', 'b', 'c', 'd', 'e', 'f'],
    ['', 'a'],
    ['x'.repeat(101), 'a'],
    [1, 2],
    'a,b',
    Array.from({ length: 10_000 }, () => 'a'),
  ],
  maxPoints: [0, 1, 2001, 1.5, '100', -1],
  allocations: [
    [],
    Array.from({ length: 6 }, () => ({ name: 'a', amountWei: '1' })),
    [{ name: 'a', amountWei: '-1' }],
    [{ name: 'a', amountWei: '1e18' }],
    [{ name: '', amountWei: '1' }],
    [{ name: 'a', amountWei: '1', modelId: 1 }],
    [{ name: 'a', amountWei: HUGE_DIGITS }],
    DEEP,
  ],
  fromRound: [-1, 2 ** 32, 1.5, '100', NaN, null],
  modelId: [0, -1, 1.5, 2 ** 32, '1', '0x1', Infinity, NaN, null, [1], { id: 1 }],
  requestId: ['', 'x'.repeat(65), 1, HUGE],
  format: ['xml', 'CSV', 'csv ', ['csv'], 1, '../../etc/passwd', '__proto__'],
  exportId: ['', 'short', 'x'.repeat(65), '../../etc/passwd', 'a b c d e f g', 1, null],
  fromDay: ['2024-02-30', '2024-13-01', '24-01-01', '2024-01-01T00:00:00Z', '', 1, '9999999-01-01'],
  toDay: ['2024-02-30', 'yesterday', '', 0],
  modelIds: [[], [0], [-1], [1.5], ['1'], Array.from({ length: 10_001 }, () => 1), 'all'],
  allAccounts: ['true', 1, null],
  prices: [
    { currency: 'US DOLLAR', csv: 'a' },
    { currency: 'USD', csv: '' },
    { currency: 'USD' },
    { currency: 'USD', csv: 'x'.repeat(2_000_001) },
    'USD',
  ],
  lockTimeoutMin: [-1, 1441, 1.5, '5', NaN, Infinity],
  theme: ['blue', '__proto__', 'DARK', 1, null],
  riskAcknowledged: ['true', 1, 0, 'yes', null],
  demoRoundIntervalS: [-1, 86_401, 0.5, '0', Infinity],
  rpcUrl: ['', 'x'.repeat(2001), HUGE, 42, null],
  chainId: [0, -1, 1.5, 2 ** 53, '1', '0x1', NaN, Infinity, null],
  poolAddress: ['', 'x'.repeat(101), HUGE, 1, null],
};

/** An input the method's schema rejects: the whole value, one field, an extra or missing key, a bad intent. */
function malformedInput(method: MethodName): unknown {
  const base = nearValid(method);
  const fields = Object.keys(base);
  const strategy =
    fields.length === 0
      ? pick(['whole', 'extraKey', 'protoKey'])
      : pick(['whole', 'field', 'field', 'extraKey', 'protoKey', 'missing', 'intent']);
  switch (strategy) {
    case 'whole':
      return chance(0.5) ? pick(SCALARS) : pick(SHAPES)();
    case 'field': {
      const f = pick(fields);
      const own = FIELD_ATTACKS[f];
      return { ...base, [f]: own && chance(0.6) ? pick(own) : hostileValue() };
    }
    case 'extraKey':
      return {
        ...base,
        [pick(['isAdmin', 'privateKey', 'network', 'version', 'toString', 'hasOwnProperty', randomText(8)])]: hostileValue(),
      };
    case 'protoKey': {
      const o: Record<string, unknown> = { ...base };
      // An own key named __proto__, as JSON.parse makes it, not a prototype change.
      Object.defineProperty(o, pick(PROTO_KEYS), {
        value: { polluted: 'yes', isAdmin: true },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return o;
    }
    case 'missing': {
      const o = { ...base };
      delete o[pick(fields)];
      return o;
    }
    default: {
      // A broken intent for tx.request; for other methods, two hostile fields.
      if (method !== 'tx.request') return { ...base, [pick(fields)]: hostileValue(), [pick(fields)]: hostileValue() };
      return {
        intent: pick([
          () => ({ kind: 'delegate', allocations: [{ modelId: anyModelId(), amountWei: pick(BAD_AMOUNTS) }] }),
          () => ({ kind: 'delegate', allocations: [] }),
          () => ({ kind: 'delegate', allocations: Array.from({ length: 51 }, (_, i) => ({ modelId: i + 1, amountWei: '1' })) }),
          () => ({
            kind: 'delegate',
            allocations: [
              { modelId: 1, amountWei: '1' },
              { modelId: 1, amountWei: '2' },
            ],
          }),
          () => ({ kind: 'delegate', allocations: Array.from({ length: 10_000 }, () => ({ modelId: 1, amountWei: '1' })) }),
          () => ({ kind: 'take-back', modelId: anyModelId(), amountWei: pick(['ALL', 'all ', ...BAD_AMOUNTS]) }),
          () => ({ kind: 'withdraw', modelId: anyModelId(), amountWei: '1' }),
          () => ({
            kind: pick(['approve', 'transfer', 'DELEGATE', 'undelegate', '', '__proto__', 'constructor']),
            modelId: 1,
            amountWei: '1',
          }),
          () => ({ kind: 'delegate', allocations: [{ modelId: anyModelId(), amountWei: '1', to: `0x${hex(40)}` }] }),
          () => ({ kind: 'delegate', allocations: DEEP }),
        ])(),
      };
    }
  }
}

/** Schema-valid calls that must still fail and change nothing. */
function wellFormedHostile(): { method: MethodName; input: unknown } {
  return pick<() => { method: MethodName; input: unknown }>([
    () => ({ method: 'models.detail', input: { name: unknownName() } }),
    () => ({ method: 'models.compare', input: { names: [unknownName(), anyName()] } }),
    () => ({ method: 'models.backtest', input: { allocations: [{ name: unknownName(), amountWei: '1000' }], fromRound: 100 } }),
    // Inside the schema, outside what can be answered: a start after every result (its first round at
    // risk would not even be a round number), the most NMR a replay takes.
    () => ({
      method: 'models.backtest',
      input: {
        allocations: [{ name: pick(realNames), amountWei: pick(['1', (10n ** 27n).toString()]) }],
        fromRound: pick([2 ** 32 - 1, 2 ** 32 - 2, 10_000_000]),
      },
    }),
    () => ({
      method: 'tx.request',
      input: { intent: { kind: 'delegate', allocations: [{ modelId: unknownModelId(), amountWei: '1000' }] } },
    }),
    () => ({
      method: 'tx.request',
      input: { intent: { kind: 'delegate', allocations: [{ modelId: pick(realModelIds), amountWei: pick(IMPOSSIBLE_AMOUNTS) }] } },
    }),
    // The holder has no position: nothing to take back or withdraw.
    () => ({ method: 'tx.request', input: { intent: { kind: 'take-back', modelId: anyModelId(), amountWei: pick(['1', 'all']) } } }),
    () => ({ method: 'tx.request', input: { intent: { kind: 'withdraw', modelId: anyModelId() } } }),
    // Unknown drafts; imports over an existing wallet.
    () => ({
      method: 'wallet.confirmCreate',
      input: {
        draftId: pick([hex(32), '__proto__', 'constructor', crypto.randomUUID()]),
        password: PASSWORD,
        confirmations: confirmations(),
      },
    }),
    () => ({ method: 'wallet.importPrivateKey', input: { privateKey: `0x${hex(64)}`, password: PASSWORD } }),
    () => ({ method: 'wallet.importPhrase', input: { phrase: 'abandon '.repeat(11) + 'about', password: PASSWORD } }),
    () => ({
      method: 'network.connect',
      input: pick([
        { rpcUrl: 'http://127.0.0.1:1/', chainId: 1, poolAddress: `0x${hex(40)}` },
        {
          rpcUrl: pick([
            'file:///etc/passwd',
            'javascript:alert(1)',
            'ws://127.0.0.1:1',
            'ftp://127.0.0.1/',
            'data:,x',
            'not a url',
            'http://[::1',
          ]),
          chainId: 1,
          poolAddress: `0x${hex(40)}`,
        },
        { rpcUrl: localRpcUrl, chainId: pick([1, 11155111, 31338]), poolAddress: `0x${hex(40)}` },
        { rpcUrl: localRpcUrl, chainId: 31337, poolAddress: `0x${hex(40)}` }, // no code there
        { rpcUrl: localRpcUrl, chainId: 31337, poolAddress: pick(['0x', `0x${hex(39)}`, 'pool', `0x${hex(40)}z`]) },
      ]),
    }),
  ])();
}

const UNKNOWN_METHODS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
  'isPrototypeOf',
  'app.info ',
  ' app.info',
  'APP.INFO',
  'app.Info',
  'wallet.status\u0000',
  'wallet.export',
  'wallet.privateKey',
  'wallet.sign',
  'signer.sign',
  'eth_sendTransaction',
  '../wallet.status',
  'wallet/status',
  'wallet..status',
  'wallet',
  '',
  '.',
  'wаllet.status' /* Cyrillic а */,
  'x'.repeat(10_000),
  'settings.update.network',
  'devnet.advanceRound()',
  'tx.request?x=1',
];
const senderGood: Sender = { kind: 'harness', token: TOKEN };
function badSender(): Sender {
  return pick<() => Sender>([
    () => ({ kind: 'harness', token: null }),
    () => ({ kind: 'harness', token: '' }),
    () => ({ kind: 'harness', token: TOKEN.slice(0, -1) }),
    () => ({ kind: 'harness', token: `${TOKEN}x` }),
    () => ({ kind: 'harness', token: TOKEN.toUpperCase() }),
    () => ({ kind: 'harness', token: ` ${TOKEN}` }),
    () => ({ kind: 'harness', token: randomText(TOKEN.length) }),
    () => ({ kind: 'harness', token: HUGE }),
    () => ({ kind: 'ipc', frameUrl: 'app://renderer/index.html' }),
    () => ({ kind: 'ipc', frameUrl: null }),
    () => ({ kind: 'HARNESS', token: TOKEN }) as unknown as Sender,
    () => ({ token: TOKEN }) as unknown as Sender,
  ])();
}

/** Any input, good or bad: what an unauthorised caller sends does not matter, it must be refused first. */
function anyInput(method: MethodName): unknown {
  return chance(0.5) ? nearValid(method) : malformedInput(method);
}

type Planned = { method: string; input: unknown; sender: Sender; kind: 'unauthorised' | 'unknown-method' | 'malformed' | 'well-formed' };

function plan(): Planned {
  const r = rnd();
  if (r < 0.2) {
    const method = pick(METHOD_NAMES);
    return { method, input: anyInput(method), sender: badSender(), kind: 'unauthorised' };
  }
  if (r < 0.3)
    return { method: pick(UNKNOWN_METHODS), input: chance(0.5) ? {} : hostileValue(), sender: senderGood, kind: 'unknown-method' };
  if (r < 0.95) {
    const method = pick(METHOD_NAMES);
    for (;;) {
      const input = malformedInput(method);
      // Never send what the schema accepts: that would be a real call, not a hostile one.
      if (!API[method].input.safeParse(input ?? {}).success) return { method, input, sender: senderGood, kind: 'malformed' };
    }
  }
  const w = wellFormedHostile();
  return { ...w, sender: senderGood, kind: 'well-formed' };
}

// ── the app under attack ───────────────────────────────────────────────────────────────────────
let dir = '';
let app: App;
let router: Router;
let harness: Harness;
const confirmer = neverConfirms();
const processErrors: unknown[] = [];
const onProcessError = (e: unknown) => processErrors.push(e);

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(localRpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

function filesOf(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(root, p);
      if (rel === 'logs') continue; // the log is expected to grow: rejected callers are logged
      // Anvil dumps its state here on its own every 5 s (the first dump may land mid-test); the chain
      // itself is compared by its head block, whose hash commits to the whole state.
      if (rel === join('devnet', 'staking', 'anvil-state.json')) continue;
      if (e.isDirectory()) walk(p);
      else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

const PROTOTYPES = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Promise: Promise.prototype,
};
const protoKeys = () => Object.fromEntries(Object.entries(PROTOTYPES).map(([k, p]) => [k, Reflect.ownKeys(p).map(String).sort()]));

async function snapshot() {
  const direct = async <M extends MethodName>(m: M, input: unknown) =>
    (app.handlers[m] as (i: unknown) => Promise<unknown>)(API[m].input.parse(input));
  const block = (await rpc('eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string };
  return {
    files: filesOf(dir),
    block: { number: block.number, hash: block.hash },
    pendingTxs: await rpc('eth_getBlockTransactionCountByNumber', ['pending']),
    balances: await direct('account.balances', {}),
    wallet: await direct('wallet.status', {}),
    models: ((await direct('models.list', { limit: 500 })) as { rows: unknown[] }).rows,
    prototypes: protoKeys(),
  };
}

beforeAll(async () => {
  process.on('unhandledRejection', onProcessError);
  process.on('uncaughtException', onProcessError);
  dir = mkdtempSync(join(tmpdir(), 'hostile-'));
  const log = createLogger({ file: join(dir, 'logs', 'main.log') });
  app = await createTestApp(dir, { log });
  app.coordinator.setConfirmer(confirmer);
  const phrases = phraseRecorder();
  app.setPhraseDisplay(phrases);
  router = createRouter({ handlers: app.handlers, allowSender: harnessSenderCheck(TOKEN), log });
  harness = await startHarness({ router, events: app.events, rendererDir: dir, log, token: TOKEN });
  localRpcUrl = app.localRpcUrl()!;

  // A holder with a wallet, unlocked, and demo NMR: the state the hostile calls must not move.
  const call = async (method: MethodName, input: unknown) => {
    const r = await router.handle(method, input, senderGood);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  await createWalletAsPerson(call, phrases, PASSWORD);
  await call('faucet.request', {});
  // Main's own look for news (its first one writes the history index and the notifications' cursors) is done before the snapshot.
  await app.lookForNews();
  const rows = (await call('models.list', { limit: 500 })).rows as { modelId: number | null; name: string }[];
  realModelIds = rows.map((r) => r.modelId).filter((id): id is number => typeof id === 'number');
  realNames = rows.map((r) => r.name);
  if (realModelIds.length === 0 || realNames.length === 0) throw new Error('the demo chain has no models');
}, 120_000);

afterAll(async () => {
  process.off('unhandledRejection', onProcessError);
  process.off('uncaughtException', onProcessError);
  await harness?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ── the attack ─────────────────────────────────────────────────────────────────────────────────
function longStrings(v: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 20 || out.size > 50) return out;
  if (typeof v === 'string' && v.length >= 256) out.add(v.slice(0, 256));
  else if (v && typeof v === 'object') for (const x of Object.values(v)) longStrings(x, out, depth + 1);
  return out;
}

/** Why an answer is not an acceptable refusal, or null when it is one. */
function problem(answer: unknown, sent: Planned, http = false): string | null {
  if (!answer || typeof answer !== 'object') return 'not an envelope';
  const a = answer as { ok?: unknown; error?: unknown };
  if (a.ok !== false) return `answered ok: ${JSON.stringify(answer).slice(0, 200)}`;
  const shape = ApiErrorShape.safeParse(a.error);
  if (!shape.success) return `bad error shape: ${JSON.stringify(a.error).slice(0, 200)}`;
  const { code, message } = shape.data;
  if (!(ERROR_CODES as readonly string[]).includes(code)) return `unknown code ${code}`;
  if (message.trim() === '') return 'empty message';
  if (/\n\s+at\s|\bat .+:\d+:\d+|node_modules|\.(ts|js|mjs|cjs):\d+/.test(message))
    return `stack trace in message: ${message.slice(0, 200)}`;
  for (const s of longStrings(sent.input, new Set())) if (message.includes(s)) return 'message echoes the input';
  // Over HTTP a body above the host's limit is refused (413, BAD_INPUT) before anything else.
  if (http && code === 'BAD_INPUT' && message === 'The request is too large.') return null;
  if (sent.kind === 'unauthorised' && code !== 'UNAUTHORIZED')
    return `unauthorised caller got ${code} (${message.slice(0, 100)}) http=${http} sender=${JSON.stringify(sent.sender).slice(0, 80)}`;
  if (sent.kind === 'unknown-method' && code !== 'UNKNOWN_METHOD') return `unknown method got ${code}`;
  if (sent.kind === 'malformed' && code !== 'BAD_INPUT') return `malformed input got ${code}`;
  // A call the schema accepts is answered or refused in words, never with "something went wrong".
  if (sent.kind === 'well-formed' && code === 'INTERNAL') return `a schema-valid call got INTERNAL: ${message.slice(0, 100)}`;
  return null;
}

/** The JSON body for a call over HTTP. */
function wireBody(input: unknown): string {
  try {
    return JSON.stringify(input) ?? '';
  } catch {
    // Too deep for JSON.stringify here: send the same depth as text.
    return '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
  }
}

/**
 * What the router receives for that body: JSON turns NaN into null, drops functions, flattens a
 * null-prototype object to {}, and the host reads an empty body as {}. A malformed input that JSON
 * makes valid (NaN for an empty-input method, say) would be a real call, so it is not sent over HTTP;
 * nor is a token that only differs by spaces around it.
 */
function stillHostileOnTheWire(p: Planned): boolean {
  // HTTP trims a header's surrounding spaces: " <token>" is the token there.
  if (p.kind === 'unauthorised') return !(p.sender.kind === 'harness' && p.sender.token?.trim() === TOKEN);
  if (p.kind !== 'malformed' || !isMethod(p.method)) return true;
  const body = wireBody(p.input);
  let wire: unknown;
  try {
    wire = body === '' ? {} : JSON.parse(body);
  } catch {
    return true;
  }
  return !API[p.method].input.safeParse(wire ?? {}).success;
}
const isMethod = (m: string): m is MethodName => (METHOD_NAMES as readonly string[]).includes(m);

async function viaHttp(p: Planned): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (p.sender.kind === 'harness' && typeof p.sender.token === 'string' && p.sender.token.length < 8192)
    headers['x-nmr-token'] = p.sender.token;
  if (p.sender.kind !== 'harness') headers['x-nmr-token'] = 'ipc-caller-has-no-token';
  const body = wireBody(p.input);
  const res = await fetch(`${harness.url}/api/${encodeURIComponent(p.method)}`, { method: 'POST', headers, body });
  return res.json();
}

describe('hostile input against the real app', () => {
  it(`answers ${TARGET_CALLS}+ hostile calls (seed ${SEED.toString(16)}) with plain errors and changes nothing`, async () => {
    const before = await snapshot();
    const failures: { sent: Planned; why: string }[] = [];
    const codes = new Map<string, number>();
    const perMethod = new Map<string, number>();
    let calls = 0;
    let crashes = 0;
    const send = async (p: Planned, http: boolean) => {
      let answer: unknown;
      try {
        answer = http ? await viaHttp(p) : await router.handle(p.method, p.input, p.sender);
      } catch (e) {
        crashes++;
        failures.push({ sent: p, why: `threw: ${e instanceof Error ? e.message : String(e)}` });
        return;
      } finally {
        calls++;
      }
      const why = problem(answer, p, http);
      if (why) {
        crashes++;
        failures.push({ sent: p, why });
      }
      if (p.kind !== 'unknown-method') perMethod.set(p.method, (perMethod.get(p.method) ?? 0) + 1);
      const code = (answer as { error?: { code?: string } })?.error?.code ?? 'none';
      codes.set(`${p.kind}:${code}`, (codes.get(`${p.kind}:${code}`) ?? 0) + 1);
    };

    // Raw bodies only the HTTP transport sees.
    const rawBodies = [
      '{',
      '{"a":',
      'null',
      '[]',
      '"x"',
      '1e999',
      '\uFEFF{}',
      '{"__proto__":{"polluted":1}}',
      '{"words":12,"words":13}',
      `{"password":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      '\u0000',
    ];
    for (const body of rawBodies) {
      const method = pick(METHOD_NAMES.filter((m) => API[m].input.safeParse({}).success === false));
      calls++;
      const res = await fetch(`${harness.url}/api/${method}`, {
        method: 'POST',
        headers: { 'x-nmr-token': TOKEN, 'content-type': 'application/json' },
        body,
      });
      const why = problem(await res.json(), { method, input: body, sender: senderGood, kind: 'malformed' }, true);
      if (why) {
        crashes++;
        failures.push({ sent: { method, input: body.slice(0, 100), sender: senderGood, kind: 'malformed' }, why });
      }
    }

    while (calls < TARGET_CALLS) {
      const batch = Array.from({ length: 48 }, () => plan());
      await Promise.all(batch.map((p) => send(p, chance(HTTP_SHARE) && stillHostileOnTheWire(p))));
    }
    // Give anything a hostile call might have set off time to happen before looking.
    await new Promise((r) => setTimeout(r, 300));
    const after = await snapshot();

    const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    const stateChanges = changed.length + confirmer.presented;
    crashes += processErrors.length;
    console.log(`${calls} hostile calls, ${crashes} crashes, ${stateChanges} state changes`);

    expect(failures.slice(0, 5).map((f) => `${f.sent.kind} ${f.sent.method.slice(0, 40)}: ${f.why}`)).toEqual([]);
    expect(processErrors).toEqual([]);
    expect(changed.map((k) => `${k}: ${JSON.stringify(before[k]).slice(0, 300)} → ${JSON.stringify(after[k]).slice(0, 300)}`)).toEqual([]);
    expect(confirmer.presented).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(10_000);
    // Every kind of hostile call was made, over every method.
    for (const kind of ['unauthorised', 'unknown-method', 'malformed', 'well-formed'])
      expect([...codes.keys()].some((k) => k.startsWith(kind))).toBe(true);
    expect(Object.prototype).not.toHaveProperty('polluted');
    for (const m of METHOD_NAMES) expect(perMethod.get(m) ?? 0, m).toBeGreaterThanOrEqual(100);
  }, 240_000);
});

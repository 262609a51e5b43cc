import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/api';
import type { App } from '../app/create-app';
import { startHarnessConfirmer } from '../confirm/harness-confirmer';
import { harnessSenderCheck } from '../harness/server';
import { createRouter, type Router, type Sender } from '../ipc/router';
import { createLogger } from '../log/logger';
import { DEFAULT_PATH } from '../wallet';
import { createTestApp } from '../test-support/test-app';

/**
 * Secrets never travel toward the renderer, nor into logs or settings: a whole journey through the
 * real app and router (create a wallet with a phrase, unlock, a wrong password, faucet, delegate
 * and take back through main's confirmation page, export the history, reveal the phrase, export
 * the keystore, lock), recording every answer and every event the renderer would get, then
 * searching them and every file in the data folder for the private key, the phrase (any three
 * words in a row, whatever separates them), the password and the operator's Numerai API token
 * (saved through operator.setToken, sealed in main; either half of it counts as a leak).
 */
const TOKEN = 'secrets-scan-token-0123456789abcdef';
const PASSWORD = 'Secrets Scan Pass 42';
const sender: Sender = { kind: 'harness', token: TOKEN };

type Secrets = { privateKey: string; words: readonly string[]; password: string; numeraiToken: string };

/** A Numerai API token in numer.ai's form: 32 + 64 upper-case letters and digits, random for each run. */
function numeraiToken(): string {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const run = (n: number) => Array.from(randomBytes(n), (b) => alnum[b % alnum.length]).join('');
  return `${run(32)}$${run(64)}`;
}
type Hit = { where: string; what: string };

/** Letters only, single spaces: "a b c" then matches ["a","b","c"], a\nb\nc, a-b-c, <li>a</li><li>b</li>… */
const wordsOnly = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, ' ');

/** Every place one of the secrets appears in `texts` (name → content). */
function scanForSecrets(texts: Map<string, string>, secrets: Secrets): Hit[] {
  const hex = secrets.privateKey.toLowerCase().replace(/^0x/, '');
  const keyBytes = Buffer.from(hex, 'hex');
  const needles: { what: string; test: (raw: string, lower: string, words: string) => boolean }[] = [
    { what: 'private key (0x hex)', test: (_r, l) => l.includes(`0x${hex}`) },
    { what: 'private key (hex)', test: (_r, l) => l.includes(hex) },
    { what: 'private key (base64)', test: (r) => r.includes(keyBytes.toString('base64')) || r.includes(keyBytes.toString('base64url')) },
    { what: 'password', test: (r, l) => r.includes(secrets.password) || l.includes(secrets.password.toLowerCase()) },
    { what: 'recovery phrase (whole)', test: (_r, _l, w) => w.includes(secrets.words.join(' ')) },
    { what: 'Numerai token', test: (_r, l) => l.includes(secrets.numeraiToken.toLowerCase()) },
    ...secrets.numeraiToken.split('$').map((half, i) => ({
      what: `Numerai token (${i === 0 ? 'public id' : 'secret key'})`,
      test: (_r: string, l: string) => l.includes(half.toLowerCase()),
    })),
  ];
  for (let i = 0; i + 3 <= secrets.words.length; i++) {
    const three = ` ${secrets.words.slice(i, i + 3).join(' ')} `;
    needles.push({ what: `recovery phrase (words ${i + 1}-${i + 3})`, test: (_r, _l, w) => ` ${w} `.includes(three) });
  }
  const hits: Hit[] = [];
  for (const [where, raw] of texts) {
    const lower = raw.toLowerCase();
    const words = wordsOnly(raw);
    for (const n of needles) if (n.test(raw, lower, words)) hits.push({ where, what: n.what });
  }
  return hits;
}

function filesUnder(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) filesUnder(path, out);
    else out.set(path, readFileSync(path).toString('latin1'));
  }
  return out;
}

let dir = '';
let app: App;
let router: Router;
let confirmer: Awaited<ReturnType<typeof startHarnessConfirmer>>;
/** Everything sent toward the renderer: each answer, each event, in order. */
const messages: string[] = [];
const errors: string[] = [];

async function call(method: MethodName, input: unknown): Promise<Record<string, unknown>> {
  const r = await router.handle(method, input, sender);
  messages.push(JSON.stringify(r));
  if (!r.ok) {
    errors.push(r.error.message);
    throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  }
  return r.value as Record<string, unknown>;
}
async function refused(method: MethodName, input: unknown): Promise<string> {
  const r = await router.handle(method, input, sender);
  messages.push(JSON.stringify(r));
  if (r.ok) throw new Error(`${method} was expected to fail`);
  errors.push(r.error.message);
  return r.error.code;
}

/** The person reads main's recovery-phrase page (not the renderer's business: not recorded). */
async function readPhrasePage(url: string): Promise<string[]> {
  const html = await (await fetch(url)).text();
  const list = /<ol class="phrase" aria-label="Recovery phrase">(.*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([a-z]+)<\/li>/g)].map((m) => m[1]!);
}

/** The person confirms on main's confirmation page; resolves when every step is mined. */
async function confirmAndWait(intent: unknown): Promise<void> {
  const req = await call('tx.request', { intent });
  const done = new Promise<void>((resolve, reject) =>
    app.events.subscribe((e) => {
      if (e.name === 'tx.status' && e.payload.requestId === req.requestId && e.payload.state === 'failed')
        reject(new Error(e.payload.error ?? 'failed'));
      if (
        e.name === 'tx.status' &&
        e.payload.requestId === req.requestId &&
        e.payload.state === 'mined' &&
        e.payload.step === e.payload.steps
      )
        resolve();
    }),
  );
  const url = String(req.confirmUrl);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(url)).text())![1]!;
  const post = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: confirmer.url },
    body: new URLSearchParams({ csrf, decision: 'confirm' }).toString(),
  });
  expect(post.status).toBe(200);
  await done;
}

let secrets: Secrets;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-scan-'));
  const log = createLogger({ file: join(dir, 'logs', 'main.log') });
  app = await createTestApp(dir, { log, deliverExport: async () => ({ savedTo: null, downloadUrl: 'http://127.0.0.1:1/download/x' }) });
  confirmer = await startHarnessConfirmer(log);
  app.coordinator.setConfirmer(confirmer);
  app.setPhraseDisplay(confirmer);
  app.events.subscribe((e) => messages.push(JSON.stringify(e)));
  router = createRouter({ handlers: app.handlers, allowSender: harnessSenderCheck(TOKEN), log });

  // Create, with the words read off main's own page and three typed back.
  const draft = await call('wallet.createDraft', { words: 12 });
  const words = await readPhrasePage(String(draft.phraseUrl));
  expect(words).toHaveLength(12);
  const positions = draft.confirmPositions as number[];
  await call('wallet.confirmCreate', {
    draftId: draft.draftId,
    password: PASSWORD,
    confirmations: positions.map((p) => ({ position: p, word: words[p - 1]! })),
  });
  const account = HDNodeWallet.fromPhrase(words.join(' '), undefined, DEFAULT_PATH);
  expect((await call('wallet.status', {})).address).toBe(account.address);
  secrets = { privateKey: account.privateKey, words, password: PASSWORD, numeraiToken: numeraiToken() };

  await call('wallet.lock', {});
  expect(await refused('wallet.unlock', { password: `${PASSWORD}x` })).toBe('BAD_PASSWORD');
  await call('wallet.unlock', { password: PASSWORD });
  await call('settings.update', { lockTimeoutMin: 10, riskAcknowledged: true });
  // The operator's token: saved (sealed in main), a mistyped one refused, the operator's calls answered.
  expect(await call('operator.setToken', { token: ` ${secrets.numeraiToken}\n` })).toEqual({ savedFor: account.address });
  expect(await refused('operator.setToken', { token: secrets.numeraiToken.replace('$', ' $') })).toBe('BAD_INPUT');
  // On the staking world the operator's part exists: its status and a run (asked in main's window) are answered.
  expect(await call('operator.status', {})).toMatchObject({ account: account.address });
  await call('operator.runNow', {});
  await call('faucet.request', {});
  const rows = (await call('models.list', { limit: 5 })).rows as { modelId: number | null }[];
  const modelId = rows.find((r) => r.modelId !== null)!.modelId!;
  await confirmAndWait({ kind: 'delegate', allocations: [{ modelId, amountWei: (25n * 10n ** 18n).toString() }] });
  await call('devnet.advanceRound', {});
  await call('devnet.advanceRound', {});
  await confirmAndWait({ kind: 'take-back', modelId, amountWei: 'all' });
  await call('portfolio.staking', {});
  await call('history.export', { exportId: 'secrets-scan-export-1', format: 'csv' });
  expect(await refused('wallet.revealPhrase', { password: 'not the password' })).toBe('BAD_PASSWORD');
  const shown = await call('wallet.revealPhrase', { password: PASSWORD });
  expect(await readPhrasePage(String(shown.phraseUrl))).toEqual(words);
  await call('wallet.exportKeystore', { password: PASSWORD });
  await call('wallet.lock', {});
  expect(await readPhrasePage(String(shown.phraseUrl))).toEqual([]); // locking closed the phrase window
}, 180_000);

afterAll(async () => {
  await confirmer?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secrets scan', () => {
  it('finds no private key, phrase or password in anything sent to the renderer, in the logs, settings or any file', () => {
    const files = filesUnder(dir);
    expect([...files.keys()].some((f) => f.endsWith(join('logs', 'main.log')))).toBe(true);
    expect([...files.keys()].some((f) => f.endsWith('settings.json'))).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const texts = new Map<string, string>([
      ...messages.map((m, i) => [`message ${i}`, m] as [string, string]),
      ...errors.map((m, i) => [`error ${i}`, m] as [string, string]),
      ...files,
    ]);
    const hits = scanForSecrets(texts, secrets);
    console.log(`secrets scan: ${messages.length} messages, ${files.size} files, ${hits.length} hits`);
    expect(hits).toEqual([]);
    expect(messages.length).toBeGreaterThan(20);
  });

  it('would find a leak: each kind of secret planted in a message or a file is found', () => {
    const { privateKey, words, password, numeraiToken: token } = secrets;
    const planted: [string, string, string][] = [
      ['old answer', JSON.stringify({ ok: true, value: { words: [...words] } }), 'recovery phrase (whole)'],
      ['three words', `…${words.slice(4, 7).join('\n')}…`, 'recovery phrase (words 5-7)'],
      ['log line', `{"msg":"unlock","key":"${privateKey}"}`, 'private key (0x hex)'],
      ['bare hex', privateKey.slice(2).toUpperCase(), 'private key (hex)'],
      ['base64', Buffer.from(privateKey.slice(2), 'hex').toString('base64'), 'private key (base64)'],
      ['error', `Wrong password: ${password}`, 'password'],
      ['token', `{"authorization":"Token ${token}"}`, 'Numerai token'],
      ['secret half', `secret=${token.split('$')[1]!.toLowerCase()}`, 'Numerai token (secret key)'],
    ];
    for (const [where, text, what] of planted) {
      expect(scanForSecrets(new Map([[where, `${messages[0]}${text}`]]), secrets)).toContainEqual({ where, what });
    }
  });
});

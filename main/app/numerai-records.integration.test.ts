import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEvent, ModelRow } from '../../shared/api';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { createProvider } from '../chain/provider';
import { deployStakingWorld, type StakingDeployment, type StakingWorldSpec } from '../devnet/staking-world';
import { silentLogger } from '../log/logger';
import { createRouter } from '../ipc/router';
import { readTrackRecordCache } from '../records';
import {
  decimalToWei,
  fakeModelId,
  fakeRound,
  makeFakeWorld,
  startFakeNumerai,
  type FakeNumerai,
} from '../records/test-support/fake-numerai';
import type { App } from './create-app';
import { createAppRecords, trackRecordCachePath } from './network-records';
import { NUMERAI_URL_ENV, numeraiUrl } from './numerai-records';
import { createRecords } from './records-adapter';
import { createTestApp } from '../test-support/test-app';

/**
 * A holder on a real network sees Numerai's track records: the app against a local stand-in of
 * Numerai's API (reached through NMR_DELEGATE_NUMERAI_URL) and a separate node with the staking pool.
 */
const CHAIN_ID = 11155111;
const NMR = 10n ** 18n;
const FAST = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 2000, maxRetries: 1 };
/** Pool models: three Numerai knows, one it does not. */
const POOL = ['classic_0', 'classic_1', 'signals_0', 'not_on_numerai'];
const spec: StakingWorldSpec = {
  models: POOL.map((name) => ({ name, feeBps: 500, capWei: 50_000n * NMR })),
  firstRoundId: 101n,
  historyRounds: 0,
};
const demo = createRecords({ chainModels: 6, worldModels: 300 });

let node: AnvilHandle;
let deployment: StakingDeployment;
let api: FakeNumerai;
const dirs: string[] = [];
let app: App | null = null;
let clock = Date.UTC(2026, 10, 30, 9, 0);
const events: AnyEvent[] = [];

type Call = (method: string, input?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
type ListValue = { total: number; rows: ModelRow[]; dataLabel: string };

/** The staking pool's three addresses on the test's node, as Settings sends them. */
const addresses = () => ({ nmrAddress: deployment.nmr, stakingAddress: deployment.staking, poolAddress: deployment.pool });

async function open(dir: string, url: string): Promise<Call> {
  const records = createAppRecords({
    userDataDir: dir,
    log: silentLogger,
    demo,
    env: { [NUMERAI_URL_ENV]: url },
    numerai: { client: FAST, now: () => clock },
  });
  app = await createTestApp(dir, { records });
  app.events.subscribe((e) => void events.push(e));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  return async (method, input = {}) => await router.handle(method, input, { kind: 'harness', token: 'x' });
}

async function list(call: Call, scope: 'pool' | 'all', sortKey = 'name'): Promise<ListValue> {
  const r = await call('models.list', { scope, sort: { key: sortKey, dir: 'asc' }, limit: 100 });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value as ListValue;
}

/** Polls the list until it passes `test` (the refresh runs in the background). */
async function until(call: Call, test: (v: ListValue) => boolean, what = 'the list'): Promise<ListValue> {
  const deadline = Date.now() + 30_000;
  let last: ListValue | null = null;
  while (Date.now() < deadline) {
    last = await list(call, 'all');
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never matched: last label "${last?.dataLabel}"`);
}

/** Polls the list until its label matches. */
const untilLabel = (call: Call, re: RegExp): Promise<ListValue> => until(call, (v) => re.test(v.dataLabel), `label ${re}`);

/** The compounded return of a model's last 20 resolved rounds, in percent, from the fake's own numbers. */
function expectedReturn20Pct(name: string): number {
  const m = api.world.models.find((x) => x.name === name)!;
  let v = 1;
  for (let r = 56 - 19; r <= 56; r++) {
    const x = fakeRound(api.world, m, r)!;
    v *= 1 + Number((x.payoutWei * 10n ** 12n) / x.atRiskWei) / 1e8 / 1e4;
  }
  return (v - 1) * 100;
}

beforeAll(async () => {
  api = await startFakeNumerai(makeFakeWorld({ classic: 5, signals: 2, currentRound: 60 }), { maxPageSize: 3 });
  node = await startAnvil({ chainId: CHAIN_ID });
  const provider = createProvider(node.url, CHAIN_ID, 20, 1);
  deployment = await deployStakingWorld(provider, spec, CHAIN_ID);
  provider.destroy();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await node.stop();
  await api.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'numerai-records-'));
  dirs.push(d);
  return d;
};

describe("Numerai's track records on a real network", () => {
  const good = () => ({ rpcUrl: node.url, chainId: CHAIN_ID, ...addresses() });
  let dir: string;
  let before: ListValue;

  it("lists Numerai's figures with their age, and pool models Numerai does not know with blank figures", async () => {
    dir = tmp();
    const call = await open(dir, api.url);
    // The demo chain keeps its demo world.
    expect((await list(call, 'all')).dataLabel).toMatch(/^Demo track records/);
    expect(await call('network.connect', good())).toMatchObject({ ok: true, value: { kind: 'remote' } });

    before = await untilLabel(call, /^Numerai · updated just now$/);
    expect(before.total).toBe(7);
    expect(before.rows.map((r) => r.name)).toEqual([
      'classic_0',
      'classic_1',
      'classic_2',
      'classic_3',
      'classic_4',
      'signals_0',
      'signals_1',
    ]);
    const c1 = before.rows.find((r) => r.name === 'classic_1')!;
    const spec1 = api.world.models.find((m) => m.name === 'classic_1')!;
    expect(c1.rounds).toBe(56 - spec1.startRound + 1); // rounds 57..60 are still in flight
    expect(c1.return20Pct).toBeCloseTo(expectedReturn20Pct('classic_1'), 3);
    expect(decimalToWei(c1.numeraiStakeNmr)).toBe(decimalToWei(spec1.stake));
    expect(c1).toMatchObject({ isDemo: false, modelId: 2, feeBps: 500 });
    expect(before.rows.find((r) => r.name === 'classic_2')!.modelId).toBeNull(); // Numerai's, not in the pool
    expect(events.some((e) => e.name === 'records.updated' && e.payload.setChanged)).toBe(true);
    expect(existsSync(trackRecordCachePath(dir))).toBe(true);

    const pool = await list(call, 'pool');
    expect(pool.rows.map((r) => r.name)).toEqual(['classic_0', 'classic_1', 'not_on_numerai', 'signals_0']);
    expect(pool.rows.find((r) => r.name === 'classic_1')).toEqual(c1);
    const blank = pool.rows.find((r) => r.name === 'not_on_numerai')!;
    expect(blank).toMatchObject({
      modelId: 4,
      rounds: 0,
      return20Pct: null,
      return1yPct: null,
      sharpe: null,
      maxDrawdownPct: null,
      riskLabels: ['no-record'],
      spark: [],
    });
    expect(await call('models.detail', { name: 'not_on_numerai' })).toMatchObject({ ok: true, value: { totalPoints: 0, series: [] } });
    expect(await call('models.detail', { name: 'classic_1' })).toMatchObject({ ok: true, value: { totalPoints: c1.rounds } });
    const cmp = (await call('models.compare', { names: ['classic_1', 'not_on_numerai'] })) as {
      ok: true;
      value: { correlation: (number | null)[][] };
    };
    expect(cmp.value.correlation[0]![0]).toBeCloseTo(1, 6);
    expect(cmp.value.correlation[1]).toEqual([null, null]);

    clock += 3 * 60_000;
    expect((await list(call, 'all')).dataLabel).toBe('Numerai · updated 3 minutes ago');
  }, 120_000);

  it('Numerai down at the next start: the cached figures are shown at once, labelled offline with their date and age', async () => {
    const fetchedAt = clock - 3 * 60_000;
    await app!.close();
    await api.close();
    clock = fetchedAt + 2 * 86_400_000;
    const call = await open(dir, api.url);
    const when = `${new Date(fetchedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const offline = await untilLabel(call, /^Offline/);
    expect(offline.dataLabel).toBe(`Offline — showing data from ${when} (2 days ago)`);
    // The same rows, the leaderboard's rank included (it is kept in the cache with the set).
    expect(offline.rows).toEqual(before.rows);
    expect(offline.rows.every((r) => r.numeraiRank !== null)).toBe(true);
    expect((await list(call, 'pool')).total).toBe(4);
  }, 120_000);

  it('a malformed answer and no cache: a clear label, pool models listed without figures, no crash', async () => {
    await app!.close();
    api = await startFakeNumerai(makeFakeWorld({ classic: 5, signals: 2, currentRound: 60 }));
    api.fault = () => ({ malformedJson: true });
    const call = await open(tmp(), api.url);
    expect(await call('network.connect', good())).toMatchObject({ ok: true });
    const broken = await untilLabel(call, /cannot use/);
    expect(broken.dataLabel).toBe(
      "Numerai's API sent data this app cannot use, and no Numerai track records are saved yet: models are listed without figures. Retrying in the background.",
    );
    expect(broken.total).toBe(0);
    const pool = await list(call, 'pool');
    expect(pool.rows.map((r) => [r.name, r.rounds, r.riskLabels])).toEqual(
      POOL.slice()
        .sort()
        .map((n) => [n, 0, ['no-record']]),
    );
    expect(await call('models.detail', { name: 'classic_0' })).toMatchObject({ ok: true, value: { totalPoints: 0 } });
    expect(await call('app.info')).toMatchObject({ ok: true, value: { network: { kind: 'remote' } } });
  }, 120_000);
});

describe("a first load of Numerai's whole leaderboard", () => {
  it("shows the pool's models first, keeps what arrived when the app quits, and the next start fetches only the rest", async () => {
    await app?.close();
    app = null;
    await api.close().catch(() => undefined);
    // 30 models; the pool's three answer at once, the others slowly (the real API's 5 requests/s).
    api = await startFakeNumerai(makeFakeWorld({ classic: 25, signals: 5, currentRound: 60 }), { maxPageSize: 3 });
    const poolIds = new Set(POOL.map(fakeModelId));
    api.fault = (r) =>
      r.rootField === 'v2RoundModelPerformances' && !poolIds.has(String(r.variables.modelId)) ? { delayMs: 500 } : undefined;
    const dir = tmp();
    let call = await open(dir, api.url);
    expect(await call('network.connect', { rpcUrl: node.url, chainId: CHAIN_ID, ...addresses() })).toMatchObject({
      ok: true,
    });

    // Every model is listed from the leaderboards first, its history marked as loading.
    const listed = await untilLabel(call, /^Numerai · 30 models listed · histories \d+ of 30 loaded/);
    expect(listed.total).toBe(30);
    const waiting = listed.rows.filter((r) => r.historyLoading);
    expect(waiting.length).toBeGreaterThan(0);
    for (const r of waiting) expect(r).toMatchObject({ rounds: 0, sharpe: null, riskLabels: [] });
    expect(listed.rows.every((r) => r.numeraiRank !== null)).toBe(true);

    await untilLabel(call, /^Numerai · 30 models listed · histories \d+ of 30 loaded, the pool's first$/);
    const poolNames = ['classic_0', 'classic_1', 'signals_0'];
    const first = await until(call, (v) => poolNames.every((n) => v.rows.some((r) => r.name === n && !r.historyLoading)));
    const loaded = first.rows.filter((r) => !r.historyLoading).map((r) => r.name);
    expect(loaded.length).toBeLessThan(30);
    const pool = await list(call, 'pool');
    expect(pool.rows.find((r) => r.name === 'signals_0')!.rounds).toBeGreaterThan(0); // last on the leaderboard, yet in
    expect(pool.rows.find((r) => r.name === 'not_on_numerai')!.riskLabels).toEqual(['no-record']);

    // Quit halfway: what arrived is saved as an unfinished load.
    await app!.close();
    app = null;
    const saved = await readTrackRecordCache(trackRecordCachePath(dir));
    if (saved.status !== 'ok') throw new Error(saved.status);
    const kept = saved.records.set.models.filter((_, i) => saved.records.partial?.fetched[i] === 1).map((m) => m.name);
    expect(saved.records.set.models).toHaveLength(30);
    expect(saved.records.partial?.total).toBe(30);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(30);

    // The next start shows them at once (the load still running) and fetches only the others.
    api.requests.length = 0;
    call = await open(dir, api.url);
    expect((await untilLabel(call, /^Numerai · 30 models listed · histories \d+ of 30 loaded/)).total).toBe(30);
    const done = await untilLabel(call, /^Numerai · updated just now$/);
    expect(done.total).toBe(30);
    const asked = api.requests.filter((r) => r.rootField === 'v3UserProfile').map((r) => String(r.variables.modelName));
    expect(asked).toHaveLength(30 - kept.length);
    expect(asked.filter((n) => kept.includes(n))).toEqual([]);
  }, 120_000);
});

describe('the API URL', () => {
  it("is Numerai's unless the environment overrides it with an http(s) URL", () => {
    expect(numeraiUrl({})).toBe('https://api-tournament.numer.ai');
    expect(numeraiUrl({ [NUMERAI_URL_ENV]: ' http://127.0.0.1:4000/graphql ' })).toBe('http://127.0.0.1:4000/graphql');
    expect(() => numeraiUrl({ [NUMERAI_URL_ENV]: 'file:///etc/passwd' })).toThrow(/http\(s\)/);
    expect(() => numeraiUrl({ [NUMERAI_URL_ENV]: 'not a url' })).toThrow(/not a URL/);
  });
});

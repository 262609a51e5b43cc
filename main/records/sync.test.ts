import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrackRecordCache } from './cache';
import { generateDemoRecords } from './demo-source';
import { NumeraiApiError } from './numerai-client';
import { createNumeraiSource, type NumeraiSourceOptions } from './numerai-source';
import { createDemoSource } from './source';
import { describeAge, harmonizeResolveTimes, refreshTrackRecords } from './sync';
import { fakeModelId, makeFakeWorld, startFakeNumerai, type FakeNumerai } from './test-support/fake-numerai';
import { expectSameRecords } from './test-support/hand-sets';

const FAST: NumeraiSourceOptions = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 400, maxRetries: 1 };
const dir = mkdtempSync(join(tmpdir(), 'records-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const freshPath = () => join(dir, `records-${seq++}.bin`);
const T0 = Date.UTC(2025, 0, 2, 9);

describe('refresh from the demo source', () => {
  it('builds the same records as the demo world, caches them, and a second refresh changes nothing', async () => {
    const world = generateDemoRecords({ models: 120 });
    const source = createDemoSource({ world });
    const path = freshPath();
    const r1 = await refreshTrackRecords({ source, cachePath: path, now: () => T0, pageSize: 50 });
    expect(r1.errors).toEqual([]);
    expect(r1.cache).toMatchObject({ read: 'missing', written: true });
    expect(r1.set.source).toBe('demo');
    expect(r1.set.asOfMs).toBe(world.asOfMs);
    expectSameRecords(world, r1.set);
    expect(r1.stats).toMatchObject({ models: 120, newModels: 120, newRows: world.rounds.length });

    const cached = await readTrackRecordCache(path);
    if (cached.status !== 'ok') throw new Error(cached.status);
    expectSameRecords(world, cached.records.set);
    expect(cached.records.fetchedAtMs).toBe(T0);

    const r2 = await refreshTrackRecords({ source, cachePath: path, now: () => T0 + 1000 });
    expect(r2.stats).toMatchObject({ newModels: 0, updatedModels: 0, unchangedModels: 120, newRows: 0 });
    expectSameRecords(world, r2.set);
    expect(r2.fetchedAtMs).toBe(T0 + 1000);
  });
});

describe('refresh from a local Numerai', () => {
  let api: FakeNumerai;
  let path: string;
  beforeEach(async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 6, signals: 3, currentRound: 60 }), { maxPageSize: 4 });
    path = freshPath();
  });
  afterEach(() => api.close());
  const source = () => createNumeraiSource({ ...FAST, url: api.url });
  const opts = { tournaments: ['classic', 'signals'] as const, pageSize: 10 };

  it('first load fetches everything; the next one only newer rounds and new models, and equals a full reload', async () => {
    const r1 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    expect(r1.errors).toEqual([]);
    expect(r1.stale).toBeNull();
    expect(r1.set.models.map((m) => m.name).sort()).toEqual(api.world.models.map((m) => m.name).sort());
    expect(r1.set.source).toBe('numerai');
    expect(r1.stats.newModels).toBe(9);
    // Pages of 4 (server cap) until an empty one: classic 4+2+0, signals 3+0.
    expect(api.requests.filter((r) => r.rootField === 'v2Leaderboard').map((r) => r.variables.offset)).toEqual([0, 4, 6]);
    expect(api.requests.filter((r) => r.rootField === 'v3UserProfile')).toHaveLength(9);
    const c0 = r1.set.index.get('classic_0')!;
    expect(r1.set.currentStakeWei[c0]).toBe(1000n * 10n ** 18n + 123456789n);
    expect(r1.set.rounds[r1.set.offsets[c0 + 1]! - 1]).toBe(56);

    // Five rounds later, with one more model.
    api.world.currentRound = { 8: 65, 11: 65, 12: 65 };
    api.world.models.push({ name: 'newcomer', tournament: 8, startRound: 40, stake: '5.5' });
    api.requests.length = 0;
    const r2 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 + 3_600_000 });
    expect(r2.errors).toEqual([]);
    expect(r2.cache.read).toBe('ok');
    expect(r2.stats).toMatchObject({ newModels: 1, updatedModels: 9, newRows: 9 * 5 + (61 - 40 + 1) });
    const perf = api.requests.filter((r) => r.rootField === 'v2RoundModelPerformances');
    expect(perf).toHaveLength(10);
    // Cached models: only the rounds after 56 (lastNRounds = 65 − 56 + 1); the newcomer: everything.
    expect(perf.filter((r) => r.variables.lastNRounds === 10)).toHaveLength(9);
    expect(perf.filter((r) => r.variables.lastNRounds === undefined)).toHaveLength(1);
    expect(api.requests.filter((r) => r.rootField === 'v3UserProfile').map((r) => r.variables.modelName)).toEqual(['newcomer']);
    expect(api.requests.filter((r) => r.rootField === 'rounds')).toHaveLength(2); // once per tournament

    const full = await refreshTrackRecords({ ...opts, source: source(), now: () => T0 });
    expectSameRecords(full.set, r2.set);
    expect(r2.set.asOfMs).toBe(full.set.asOfMs);
    const onDisk = await readTrackRecordCache(path);
    if (onDisk.status !== 'ok') throw new Error(onDisk.status);
    expectSameRecords(full.set, onDisk.records.set);
    expect(onDisk.records.fetchedAtMs).toBe(T0 + 3_600_000);
  });

  it('one model with malformed data fails alone (named, with the field); its cached rows stay', async () => {
    await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    api.world.currentRound = { 8: 63, 11: 63, 12: 63 };
    api.fault = (r) =>
      r.rootField === 'v2RoundModelPerformances' && r.variables.modelId === fakeModelId('classic_2')
        ? { mutate: (d) => (((d.v2RoundModelPerformances as Record<string, unknown>[])[1]!.atRisk = true), d) }
        : undefined;
    const r = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 + 1 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ name: 'classic_2', code: 'invalid_response', field: 'data.v2RoundModelPerformances[1].atRisk' });
    expect(r.errors[0]!.message).toContain('classic_2');
    const last = (name: string) => {
      const i = r.set.index.get(name)!;
      return r.set.rounds[r.set.offsets[i + 1]! - 1];
    };
    expect(last('classic_2')).toBe(56); // kept from the cache
    expect(last('classic_1')).toBe(59); // others moved on
    expect(r.stale).toBeNull();
  });

  it('offline: shows the cache with its age; without a cache it fails with a clear error', async () => {
    const r1 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    await api.close();
    const r2 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 + 3 * 3_600_000 });
    expect(r2.stale?.code).toBe('unreachable');
    expect(r2.stale?.message).toBe("Numerai's API cannot be reached; showing data from 2025-01-02 09:00 UTC (3 hours ago)");
    expect(r2.fetchedAtMs).toBe(T0);
    expect(r2.cache.written).toBe(false); // nothing new: the file is left alone
    expectSameRecords(r1.set, r2.set);

    const e = await refreshTrackRecords({ ...opts, source: source(), cachePath: freshPath() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NumeraiApiError);
    expect((e as NumeraiApiError).code).toBe('unreachable');
    api = await startFakeNumerai(makeFakeWorld()); // for afterEach
  });

  it('the API failing mid-refresh keeps what arrived, marks the data stale and keeps the old date', async () => {
    await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    api.world.currentRound = { 8: 62, 11: 62, 12: 62 };
    let perf = 0;
    api.fault = (r) => (r.rootField === 'v2RoundModelPerformances' && ++perf > 3 ? { status: 503 } : undefined);
    const r = await refreshTrackRecords({
      ...opts,
      source: createNumeraiSource({ ...FAST, url: api.url }),
      concurrency: 1,
      cachePath: path,
      now: () => T0 + 60_000,
    });
    expect(r.stale?.code).toBe('http');
    expect(r.stale?.message).toMatch(/^Numerai's API is failing \(HTTP 503\); showing data from 2025-01-02 09:00 UTC/);
    expect(r.fetchedAtMs).toBe(T0);
    expect(r.stats.updatedModels).toBe(3);
    expect(r.set.models).toHaveLength(9);
    const onDisk = await readTrackRecordCache(path);
    expect(onDisk.status === 'ok' && onDisk.records.fetchedAtMs).toBe(T0);
  });

  it('an API that only sends malformed answers refreshes nothing: the cache keeps its date, and without one it fails', async () => {
    const r1 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    api.world.currentRound = { 8: 62, 11: 62, 12: 62 };
    api.fault = () => ({ malformedJson: true });
    const r2 = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 + 2 * 3_600_000 });
    expect(r2.stale?.code).toBe('invalid_json');
    expect(r2.stale?.message).toBe("Numerai's API sent data this app cannot use; showing data from 2025-01-02 09:00 UTC (2 hours ago)");
    expect(r2.fetchedAtMs).toBe(T0);
    expect(r2.cache.written).toBe(false);
    expectSameRecords(r1.set, r2.set);

    const e = await refreshTrackRecords({ ...opts, source: source(), cachePath: freshPath() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NumeraiApiError);
    expect((e as NumeraiApiError).code).toBe('invalid_json');
  });

  it('a corrupt cache is set aside and rebuilt', async () => {
    await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    const b = readFileSync(path);
    b[b.length - 100]! ^= 0xff;
    writeFileSync(path, b);
    api.requests.length = 0;
    const r = await refreshTrackRecords({ ...opts, source: source(), cachePath: path, now: () => T0 });
    expect(r.cache).toMatchObject({ read: 'corrupt', written: true });
    expect(existsSync(`${path}.corrupt`)).toBe(true);
    expect(api.requests.filter((x) => x.rootField === 'v3UserProfile')).toHaveLength(9); // rebuilt from scratch
    expect((await readTrackRecordCache(path)).status).toBe('ok');
  });

  it('a name used in two tournaments keeps the first and reports the other', async () => {
    api.world.models.push({ name: 'classic_0', tournament: 11, startRound: 30, stake: '1' });
    const r = await refreshTrackRecords({ ...opts, source: source(), now: () => T0 });
    expect(r.set.models.find((m) => m.name === 'classic_0')!.tournament).toBe('classic');
    expect(r.errors).toEqual([expect.objectContaining({ name: 'classic_0', tournament: 'signals', code: 'duplicate_name' })]);
    expect(r.set.models).toHaveLength(9);
  });

  it('skips a malformed leaderboard entry and reports it', async () => {
    api.fault = (r) =>
      r.rootField === 'signalsLeaderboard' && r.variables.offset === 0
        ? { mutate: (d) => (((d.signalsLeaderboard as Record<string, unknown>[])[0]!.rank = 'first'), d) }
        : undefined;
    const r = await refreshTrackRecords({ ...opts, source: source(), now: () => T0 });
    expect(r.leaderboardIssues).toEqual([
      { index: 0, name: 'signals_0', field: 'signalsLeaderboard[0].rank', message: expect.any(String) },
    ]);
    expect(r.set.index.has('signals_0')).toBe(false);
    expect(r.set.index.has('signals_1')).toBe(true);
  });
});

describe('helpers', () => {
  it('harmonizes resolve dates so one odd row cannot reject the set', () => {
    const m = (name: string, times: number[]) => ({
      name,
      tournament: 'classic' as const,
      startRound: 1,
      isDemo: false,
      operatorFeeBps: 0,
      rounds: [1, 2],
      returnBps: [1, 2],
      resolveTimeMs: times,
    });
    const { inputs, corrected } = harmonizeResolveTimes([m('a', [10, 20]), m('b', [10, 21])]);
    expect(corrected).toBe(1);
    expect(Array.from(inputs[1]!.resolveTimeMs)).toEqual([10, 20]);
    expect(inputs[0]).toBe(inputs[0]);
  });

  it('describes an age', () => {
    expect(describeAge(0, 30_000)).toBe('just now');
    expect(describeAge(0, 60_000)).toBe('1 minute ago');
    expect(describeAge(0, 3 * 3_600_000 + 5)).toBe('3 hours ago');
    expect(describeAge(0, 2 * 86_400_000)).toBe('2 days ago');
  });
});

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrackRecordCache, writeTrackRecordCache, type CachedTrackRecords } from './cache';
import { NumeraiApiError } from './numerai-client';
import { createNumeraiSource, type NumeraiSourceOptions } from './numerai-source';
import { refreshTrackRecords, type RefreshOptions, type RefreshProgress } from './sync';
import { fakeModelId, makeFakeWorld, startFakeNumerai, type FakeNumerai, type LoggedRequest } from './test-support/fake-numerai';
import { expectSameRecords, handSet } from './test-support/hand-sets';
import type { TrackRecordSet } from './types';

/**
 * The first download of Numerai's ~15,000 models takes over an hour at the API's rate limit, so
 * the pool's models are fetched first and shown at once, and the load is saved as it goes: a
 * restart resumes it instead of starting over.
 */
const FAST: NumeraiSourceOptions = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 400, maxRetries: 1 };
const dir = mkdtempSync(join(tmpdir(), 'records-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const freshPath = () => join(dir, `records-${seq++}.bin`);
const T0 = Date.UTC(2025, 0, 2, 9);
/** 25 classic models (classic_24 last on the leaderboard), 5 signals ones. */
const MODELS = 30;

const names = (set: TrackRecordSet) => set.models.map((m) => m.name).sort();
/** The models an unfinished load has fetched (the others are listed with no rows yet). */
const fetchedNames = (c: CachedTrackRecords) =>
  c.set.models
    .filter((_, i) => c.partial?.fetched[i] === 1)
    .map((m) => m.name)
    .sort();
const profileNames = (reqs: readonly LoggedRequest[]) =>
  reqs.filter((r) => r.rootField === 'v3UserProfile').map((r) => String(r.variables.modelName));

describe('a long load: the priority models first, saved as it goes, resumed after a restart', () => {
  let api: FakeNumerai;
  let path: string;
  beforeEach(async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 25, signals: 5, currentRound: 60 }), { maxPageSize: 7 });
    path = freshPath();
  });
  afterEach(() => api.close());
  const base = (): RefreshOptions => ({
    source: createNumeraiSource({ ...FAST, url: api.url }),
    tournaments: ['classic', 'signals'],
    pageSize: 50,
    now: () => T0,
  });
  /** A load into the cache that the app quits (aborts) once `doneAt` models are fetched; resolves with what it threw. */
  const quitAfter = (doneAt: number, extra: Partial<RefreshOptions> = {}) => {
    const stop = new AbortController();
    return refreshTrackRecords({
      ...base(),
      cachePath: path,
      concurrency: 1,
      signal: stop.signal,
      onProgress: (p) => p.phase === 'models' && p.done === doneAt && stop.abort(),
      ...extra,
    }).catch((x: unknown) => x);
  };
  /** The whole world in one go, without a cache: what every resumed load must end up equal to. */
  const oneShot = async () => (await refreshTrackRecords(base())).set;

  it('fetches the priority models right after the leaderboards and shows (and saves) them before the rest', async () => {
    const priority = ['signals_3', 'not_on_numerai', 'classic_24'];
    const partials: { names: string[]; fetched: string[]; onDisk: string[]; total: number }[] = [];
    const progress: RefreshProgress[] = [];
    const r = await refreshTrackRecords({
      ...base(),
      cachePath: path,
      concurrency: 1,
      priority: () => priority,
      onProgress: (p) => progress.push(p),
      onPartial: (c) => {
        const copy = join(dir, `seen-${seq++}.bin`);
        copyFileSync(path, copy); // what a crash at this moment would leave behind
        partials.push({ names: names(c.set), fetched: fetchedNames(c), onDisk: [copy], total: c.partial.total });
      },
    });
    // Every leaderboard page, then the priority models' histories, then the others.
    const perf = api.requests.filter((x) => x.rootField !== 'rounds');
    const firstHistory = perf.findIndex((x) => x.rootField === 'v3UserProfile');
    expect(perf.slice(0, firstHistory).every((x) => x.rootField.endsWith('eaderboard'))).toBe(true);
    expect(profileNames(api.requests).slice(0, 2)).toEqual(['signals_3', 'classic_24']);
    expect(
      perf
        .filter((x) => x.rootField === 'v2RoundModelPerformances')
        .slice(0, 2)
        .map((x) => x.variables.modelId),
    ).toEqual([fakeModelId('signals_3'), fakeModelId('classic_24')]);
    // The first partial set lists every model the leaderboards gave, no history fetched yet.
    expect(partials[0]).toMatchObject({ fetched: [], total: MODELS });
    expect(partials[0]!.names).toHaveLength(MODELS);
    // The next is exactly the priority models Numerai knows, fetched, out of all 30, and is on disk
    // (the list's save before it does not hold it back).
    expect(partials[1]).toMatchObject({ fetched: ['classic_24', 'signals_3'], total: MODELS });
    const saved = await readTrackRecordCache(partials[1]!.onDisk[0]!);
    if (saved.status !== 'ok') throw new Error(saved.status);
    expect(fetchedNames(saved.records)).toEqual(['classic_24', 'signals_3']);
    expect(names(saved.records.set)).toHaveLength(MODELS);
    expect(saved.records.partial).toMatchObject({ startedAtMs: T0, total: MODELS });
    // Listed without a history yet: no rows.
    saved.records.set.models.forEach((m, i) =>
      expect(saved.records.set.offsets[i + 1]! > saved.records.set.offsets[i]!).toBe(saved.records.partial!.fetched[i] === 1),
    );
    expect(progress.find((p) => p.phase === 'models' && p.first?.done === 2)).toMatchObject({
      done: 2,
      total: MODELS,
      first: { done: 2, total: 2 },
    });
    // The finished load is complete on disk and equals a one-shot full fetch.
    expect(r.partial).toBeNull();
    expectSameRecords(await oneShot(), r.set);
    const done = await readTrackRecordCache(path);
    expect(done.status === 'ok' && done.records.partial).toBeUndefined();
  });

  it('a name given priority while the load runs (a model the user opens) is fetched next', async () => {
    let priority: readonly string[] = ['classic_1'];
    await refreshTrackRecords({
      ...base(),
      concurrency: 1,
      priority: () => priority,
      onProgress: (p) => {
        if (p.phase === 'models' && p.done === 5 && !priority.includes('signals_4')) priority = ['signals_4', ...priority];
      },
    });
    const order = profileNames(api.requests);
    expect(order[0]).toBe('classic_1');
    expect(order[5]).toBe('signals_4');
    expect(new Set(order).size).toBe(MODELS); // each fetched once
  });

  it('stopped halfway (the app quits), the next start fetches only the models not saved, and ends equal to a full fetch', async () => {
    const e = await quitAfter(12, { concurrency: 2 });
    expect(e).toBeInstanceOf(NumeraiApiError);
    expect((e as NumeraiApiError).code).toBe('aborted');
    const saved = await readTrackRecordCache(path);
    if (saved.status !== 'ok') throw new Error(saved.status);
    const kept = fetchedNames(saved.records);
    expect(names(saved.records.set)).toHaveLength(MODELS);
    expect(kept.length).toBeGreaterThanOrEqual(12);
    expect(kept.length).toBeLessThan(MODELS);
    expect(saved.records.partial).toMatchObject({ startedAtMs: T0, total: MODELS });
    expect(saved.records.fetchedAtMs).toBe(T0);

    api.requests.length = 0;
    const r = await refreshTrackRecords({ ...base(), cachePath: path, now: () => T0 + 3_600_000 });
    const asked = profileNames(api.requests);
    expect(asked).toHaveLength(MODELS - kept.length);
    expect(asked.filter((n) => kept.includes(n))).toEqual([]);
    expect(api.requests.filter((x) => x.rootField === 'v2RoundModelPerformances')).toHaveLength(MODELS - kept.length);
    // The others were saved listed, with no rows: now brought up to date.
    expect(r.stats).toMatchObject({ resumedModels: kept.length, updatedModels: MODELS - kept.length, newModels: 0 });
    expect(r.partial).toBeNull();
    expect(r.fetchedAtMs).toBe(T0); // as old as its oldest part: the first attempt's
    expectSameRecords(await oneShot(), r.set);
    const onDisk = await readTrackRecordCache(path);
    if (onDisk.status !== 'ok') throw new Error(onDisk.status);
    expect(onDisk.records.partial).toBeUndefined();
    expectSameRecords(r.set, onDisk.records.set);
  });

  it('killed with no chance to save: the last save on the way is enough to resume from', async () => {
    let crashCopy: { path: string; models: number } | null = null;
    // A slow API (as the real one is, at 5 requests/s): saves on the way are cheap next to it.
    api.fault = (x) => (x.rootField === 'v2RoundModelPerformances' ? { delayMs: 30 } : undefined);
    const r1 = await refreshTrackRecords({
      ...base(),
      cachePath: path,
      concurrency: 1,
      checkpointEveryMs: 0,
      onPartial: (c) => {
        if (!crashCopy && fetchedNames(c).length >= 5) {
          crashCopy = { path: join(dir, `crash-${seq++}.bin`), models: fetchedNames(c).length };
          copyFileSync(path, crashCopy.path);
        }
      },
    });
    expect(r1.stats.checkpoints).toBeGreaterThan(1);
    expect(crashCopy).not.toBeNull();
    const { path: crashed, models } = crashCopy!;
    api.fault = undefined;
    api.requests.length = 0;
    const r2 = await refreshTrackRecords({ ...base(), cachePath: crashed, now: () => T0 + 60_000 });
    expect(profileNames(api.requests)).toHaveLength(MODELS - models);
    expect(r2.stats.resumedModels).toBe(models);
    expectSameRecords(r1.set, r2.set);
  });

  it('the API lost halfway: what arrived is saved as unfinished and the next start resumes it', async () => {
    let perf = 0;
    api.fault = (x) => (x.rootField === 'v2RoundModelPerformances' && ++perf > 10 ? { destroy: true } : undefined);
    const r1 = await refreshTrackRecords({ ...base(), cachePath: path, concurrency: 1 });
    expect(r1.stale?.code).toBe('unreachable');
    expect(r1.set.models).toHaveLength(MODELS); // every listed model, 10 with their history
    expect(r1.stats.listedOnly).toBe(MODELS - 10);
    expect(r1.partial).toMatchObject({ startedAtMs: T0, total: MODELS });
    expect(r1.fetchedAtMs).toBe(T0);

    api.fault = undefined;
    api.requests.length = 0;
    const r2 = await refreshTrackRecords({ ...base(), cachePath: path, now: () => T0 + 600_000 });
    expect(profileNames(api.requests)).toHaveLength(MODELS - 10);
    expect(r2.stats.resumedModels).toBe(10);
    expectSameRecords(await oneShot(), r2.set);
  });

  it('an unfinished refresh of a complete cache resumes too: the models already brought up to date are not asked again', async () => {
    await refreshTrackRecords({ ...base(), cachePath: path });
    api.world.currentRound = { 8: 64, 11: 64, 12: 64 };
    await quitAfter(7, { now: () => T0 + 86_400_000 });
    const saved = await readTrackRecordCache(path);
    if (saved.status !== 'ok') throw new Error(saved.status);
    expect(saved.records.set.models).toHaveLength(MODELS); // all of them, 7 up to date
    expect(saved.records.fetchedAtMs).toBe(T0); // the oldest data in it is still the first load's
    const upToDate = saved.records.set.models.filter((_, i) => saved.records.partial!.fetched[i] === 1).map((m) => m.name);
    expect(upToDate).toHaveLength(7);

    api.requests.length = 0;
    const r = await refreshTrackRecords({ ...base(), cachePath: path, now: () => T0 + 86_400_000 + 60_000 });
    const perfIds = api.requests.filter((x) => x.rootField === 'v2RoundModelPerformances').map((x) => x.variables.modelId);
    expect(perfIds).toHaveLength(MODELS - 7);
    expect(perfIds.filter((id) => upToDate.some((n) => fakeModelId(n) === id))).toEqual([]);
    expect(r.stats).toMatchObject({ resumedModels: 7, updatedModels: MODELS - 7 });
    expectSameRecords(await oneShot(), r.set);
  });

  it('an unfinished load older than resumeWithinMs is not resumed: every model is refreshed (only its newer rounds)', async () => {
    await quitAfter(5);
    api.requests.length = 0;
    const r = await refreshTrackRecords({ ...base(), cachePath: path, now: () => T0 + 2 * 86_400_000 });
    const perf = api.requests.filter((x) => x.rootField === 'v2RoundModelPerformances');
    expect(perf).toHaveLength(MODELS);
    expect(perf.filter((x) => x.variables.lastNRounds !== undefined).length).toBeGreaterThanOrEqual(5); // the saved ones: incremental
    expect(r.stats.resumedModels).toBe(0);
    expect(r.fetchedAtMs).toBe(T0 + 2 * 86_400_000);
    expectSameRecords(await oneShot(), r.set);
  });
});

describe('the cache file of an unfinished load', () => {
  it('keeps the load and its per-model flags; a complete one has none', async () => {
    const set = handSet([
      { name: 'a', returns: [1, 2] },
      { name: 'b', returns: [3] },
      { name: 'c', returns: [] },
    ]);
    const path = freshPath();
    const c: CachedTrackRecords = {
      set,
      fetchedAtMs: T0,
      sourceIds: ['x', undefined, 'z'],
      partial: { startedAtMs: T0 - 5, total: 14_300, fetched: Uint8Array.from([1, 0, 1]) },
    };
    await writeTrackRecordCache(path, c);
    const r = await readTrackRecordCache(path);
    if (r.status !== 'ok') throw new Error(r.status);
    expect(r.records.partial?.startedAtMs).toBe(T0 - 5);
    expect(r.records.partial?.total).toBe(14_300);
    expect(Array.from(r.records.partial!.fetched)).toEqual([1, 0, 1]);
    await writeTrackRecordCache(path, { set, fetchedAtMs: T0, sourceIds: c.sourceIds });
    const complete = await readTrackRecordCache(path);
    expect(complete.status === 'ok' && complete.records.partial).toBeUndefined();
    await expect(writeTrackRecordCache(path, { ...c, partial: { ...c.partial!, fetched: new Uint8Array(2) } })).rejects.toThrow(
      /fetched flag/,
    );
  });
});

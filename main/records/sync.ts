/**
 * Loading track records: the disk cache first, then an incremental refresh from a source.
 *
 *   const cached = await readTrackRecordCache(path);             // at start: near disk speed
 *   const r = await refreshTrackRecords({ source, cachePath: path, cached });
 *   r.set, r.fetchedAtMs, r.stale?.message, r.errors
 *
 * A refresh asks the source for each tournament's leaderboard (paged until a page comes back empty),
 * then, per model, only the rounds after the last one cached (`sinceRound`) — or the whole history
 * for a model the cache does not have. Models the cache holds but the leaderboard no longer lists
 * (retired) are kept as they are. Everything is merged into a new set and written back atomically.
 *
 * Failures stay where they happen:
 *   - one model's bad or missing data → an entry in `errors` (which model, which field); its cached
 *     rows are kept, every other model is unaffected;
 *   - a malformed leaderboard entry → skipped, listed in `leaderboardIssues`;
 *   - the source unreachable (after the client's retries) → the refresh stops, what was fetched so
 *     far is merged, and `stale.message` says "Numerai's API cannot be reached; showing data from
 *     <date>"; with no cache at all the error is thrown.
 */
import { readTrackRecordCache, writeTrackRecordCache, type CacheReadResult, type CachedTrackRecords } from './cache';
import { NumeraiApiError } from './numerai-client';
import type { EntryIssue, LeaderboardEntry, ModelHistory, TrackRecordSource } from './source';
import { TOURNAMENTS, buildTrackRecordSet, resolveTimeOf, type ModelRecordInput, type Tournament, type TrackRecordSet } from './types';

export interface RefreshProgress {
  phase: 'leaderboard' | 'models' | 'saving';
  done: number;
  total: number;
}

export interface RefreshOptions {
  source: TrackRecordSource;
  /** Cache file; omit to run without one. */
  cachePath?: string;
  /** The content of `cachePath`, already read (at start, to show it at once); read here otherwise. */
  cached?: CachedTrackRecords | null;
  /** Default all three. */
  tournaments?: readonly Tournament[];
  /** Per tournament (default 50,000). */
  maxModels?: number;
  /** Leaderboard page size asked for (default 500; a server may send fewer). */
  pageSize?: number;
  /** Model histories fetched at once (default 4; the client's rate limit still applies). */
  concurrency?: number;
  /** Refetch every model's whole history (the cache is still the fallback). */
  full?: boolean;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (p: RefreshProgress) => void;
}

export interface ModelLoadError {
  name: string;
  tournament: Tournament;
  /** NumeraiApiError code, or 'invalid_data' / 'duplicate_name' / 'error'. */
  code: string;
  field?: string;
  message: string;
}

export interface RefreshResult {
  set: TrackRecordSet;
  /** Per model, in set order: the source's id. */
  sourceIds: (string | undefined)[];
  /** When this data was fetched: now for a completed refresh, the cache's time otherwise. */
  fetchedAtMs: number;
  /** Set when the source could not be reached and (some) data is the cache's. */
  stale: { code: string; message: string; cause: unknown } | null;
  errors: ModelLoadError[];
  leaderboardIssues: EntryIssue[];
  cache: { read: CacheReadResult['status'] | 'given' | 'none'; written: boolean; bytes: number; error?: string };
  stats: { models: number; newModels: number; updatedModels: number; unchangedModels: number; newRows: number; skippedRounds: number; requests: number };
}

/** "3 hours ago", "2 days ago", "just now". */
export function describeAge(thenMs: number, nowMs = Date.now()): string {
  const s = Math.max(0, (nowMs - thenMs) / 1000);
  const unit = (v: number, u: string) => `${v} ${u}${v === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}

/** "2025-06-27 14:05 UTC". */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What went wrong with the source, in the UI's words ("Numerai's API cannot be reached"). */
export function sourceProblem(cause: unknown): string {
  if (cause instanceof NumeraiApiError) {
    if (cause.code === 'timeout') return "Numerai's API is not answering";
    if (cause.code === 'rate_limited') return "Numerai's API is asking us to slow down";
    if (cause.code === 'http') return `Numerai's API is failing (HTTP ${cause.status})`;
    if (cause.code !== 'unreachable') return `Numerai's API sent data this app cannot use`;
  }
  return "Numerai's API cannot be reached";
}

/** The words the UI shows when the source is unavailable and cached data is shown instead. */
export function staleMessage(cause: unknown, fetchedAtMs: number, nowMs = Date.now()): string {
  return `${sourceProblem(cause)}; showing data from ${formatUtc(fetchedAtMs)} (${describeAge(fetchedAtMs, nowMs)})`;
}

function isOffline(e: unknown): boolean {
  return e instanceof NumeraiApiError && e.isOffline;
}

function concat<T extends Int32Array | Float32Array | Float64Array>(a: T, b: ArrayLike<number>, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Why a source's history cannot go into a set, or null. */
export function checkHistory(m: ModelRecordInput): { field: string; message: string } | null {
  const n = m.rounds.length;
  for (const [field, arr] of [
    ['returnBps', m.returnBps],
    ['resolveTimeMs', m.resolveTimeMs],
    ['corr20', m.corr20],
    ['mmc', m.mmc],
    ['tc', m.tc],
    ['stakeNmr', m.stakeNmr],
  ] as const) {
    if (arr && arr.length !== n) return { field, message: `${field} has ${arr.length} rows, rounds has ${n}` };
  }
  let prev = -Infinity;
  for (let k = 0; k < n; k++) {
    const r = m.rounds[k]!;
    if (!Number.isInteger(r) || r <= prev) return { field: 'rounds', message: `round ${r} at row ${k} is not after ${prev}` };
    prev = r;
    if (!Number.isFinite(m.returnBps[k]!)) return { field: 'returnBps', message: `return of round ${r} is not a number` };
  }
  return null;
}

/**
 * Makes every row of a round agree on its resolve date within a tournament (the first date seen
 * wins), so one model's odd date cannot make `buildTrackRecordSet` reject the whole set. Returns
 * the inputs (rewritten where needed) and how many rows were corrected.
 */
export function harmonizeResolveTimes(inputs: readonly ModelRecordInput[]): { inputs: ModelRecordInput[]; corrected: number } {
  const lo: Record<Tournament, number> = { classic: Infinity, signals: Infinity, crypto: Infinity };
  const hi: Record<Tournament, number> = { classic: -Infinity, signals: -Infinity, crypto: -Infinity };
  for (const m of inputs) {
    const n = m.rounds.length;
    if (n === 0) continue;
    lo[m.tournament] = Math.min(lo[m.tournament], m.rounds[0]!);
    hi[m.tournament] = Math.max(hi[m.tournament], m.rounds[n - 1]!);
  }
  const cal = {} as Record<Tournament, Float64Array>;
  for (const t of TOURNAMENTS) cal[t] = new Float64Array(Math.max(0, hi[t] - lo[t] + 1)).fill(Number.NaN);
  for (const m of inputs) {
    const c = cal[m.tournament];
    const base = lo[m.tournament];
    for (let k = 0; k < m.rounds.length; k++) {
      const t = m.resolveTimeMs[k]!;
      const slot = m.rounds[k]! - base;
      if (Number.isFinite(t) && Number.isNaN(c[slot]!)) c[slot] = t;
    }
  }
  let corrected = 0;
  const out = inputs.map((m) => {
    const c = cal[m.tournament];
    const base = lo[m.tournament];
    let bad = false;
    for (let k = 0; k < m.rounds.length && !bad; k++) {
      const t = m.resolveTimeMs[k]!;
      if (Number.isFinite(t) && t !== c[m.rounds[k]! - base]) bad = true;
    }
    if (!bad) return m;
    const fixed = new Float64Array(m.rounds.length);
    for (let k = 0; k < m.rounds.length; k++) {
      const want = c[m.rounds[k]! - base]!;
      if (Number.isFinite(m.resolveTimeMs[k]!) && m.resolveTimeMs[k] !== want) corrected++;
      fixed[k] = want;
    }
    return { ...m, resolveTimeMs: fixed };
  });
  return { inputs: out, corrected };
}

async function pool<T>(items: readonly T[], concurrency: number, signal: AbortSignal, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

function errorOf(name: string, tournament: Tournament, e: unknown): ModelLoadError {
  if (e instanceof NumeraiApiError) return { name, tournament, code: e.code, ...(e.field === undefined ? {} : { field: e.field }), message: e.message };
  return { name, tournament, code: 'error', message: e instanceof Error ? e.message : String(e) };
}

/** HTTP requests a source has sent so far (0 for sources without a client). */
function requestsOf(source: TrackRecordSource): number {
  return (source as { client?: { stats?: { requests?: number } } }).client?.stats?.requests ?? 0;
}

interface Work {
  name: string;
  tournament: Tournament;
  /** Index in the cached set, if cached. */
  cachedIndex: number | undefined;
  entry: LeaderboardEntry | undefined;
}

export async function refreshTrackRecords(opts: RefreshOptions): Promise<RefreshResult> {
  const { source } = opts;
  const now = opts.now ?? Date.now;
  const startedAtMs = now();
  const tournaments = opts.tournaments ?? TOURNAMENTS;
  const maxModels = opts.maxModels ?? 50_000;
  const pageSize = opts.pageSize ?? 500;
  const progress = opts.onProgress ?? (() => {});
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const requestsBefore = requestsOf(source);

  // 1. The cache.
  let cacheRead: RefreshResult['cache']['read'] = 'none';
  let cached: CachedTrackRecords | null = null;
  if (opts.cached !== undefined) {
    cacheRead = 'given';
    cached = opts.cached;
  } else if (opts.cachePath) {
    const r = await readTrackRecordCache(opts.cachePath);
    cacheRead = r.status;
    if (r.status === 'ok') cached = r.records;
  }
  if (cached && cached.set.source !== source.kind) cached = null; // another source's data: start over
  const cset = cached?.set;

  let offline: unknown = null;
  const errors: ModelLoadError[] = [];
  const leaderboardIssues: EntryIssue[] = [];

  // 2. Leaderboards.
  const work: Work[] = [];
  const seen = new Map<string, Tournament>();
  const lbFailed = new Map<Tournament, unknown>();
  for (const t of tournaments) {
    if (offline) break;
    let offset = 0;
    let count = 0;
    try {
      while (count < maxModels) {
        const page = await source.leaderboard({ tournament: t, limit: Math.min(pageSize, maxModels - count), offset, signal });
        leaderboardIssues.push(...page.issues);
        if (page.received === 0) break;
        let added = 0;
        for (const e of page.entries) {
          if (seen.has(e.name)) {
            if (seen.get(e.name) !== t) errors.push({ name: e.name, tournament: t, code: 'duplicate_name', message: `"${e.name}" is also a ${seen.get(e.name)} model; only that one is kept` });
            continue;
          }
          const ci = cset?.index.get(e.name);
          const cachedAs = ci === undefined ? undefined : cset!.models[ci]!.tournament;
          if (cachedAs !== undefined && cachedAs !== t) {
            errors.push({ name: e.name, tournament: t, code: 'duplicate_name', message: `"${e.name}" is also a ${cachedAs} model; only that one is kept` });
            continue;
          }
          seen.set(e.name, t);
          work.push({ name: e.name, tournament: t, cachedIndex: ci, entry: e });
          added++;
          count++;
        }
        offset += page.received;
        progress({ phase: 'leaderboard', done: work.length, total: work.length });
        if (added === 0 && page.issues.length === 0) break; // the server repeats itself: stop
      }
    } catch (e) {
      if (isOffline(e) || (e instanceof NumeraiApiError && e.code === 'aborted')) {
        offline = e;
        break;
      }
      lbFailed.set(t, e);
      errors.push({ name: `(${t} leaderboard)`, tournament: t, code: e instanceof NumeraiApiError ? e.code : 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  // A tournament whose leaderboard failed: refresh the models the cache knows.
  if (cset && !offline) {
    cset.models.forEach((m, i) => {
      if (lbFailed.has(m.tournament) && !seen.has(m.name)) {
        seen.set(m.name, m.tournament);
        work.push({ name: m.name, tournament: m.tournament, cachedIndex: i, entry: undefined });
      }
    });
  }
  if (offline && !cset) throw offline;

  // 3. Histories.
  const fetched = new Map<string, ModelHistory>();
  let skippedRounds = 0;
  let done = 0;
  if (!offline) {
    progress({ phase: 'models', done: 0, total: work.length });
    await pool(work, opts.concurrency ?? 4, signal, async (w) => {
      const ci = w.cachedIndex;
      const lastRound = ci !== undefined && !opts.full && cset!.offsets[ci + 1]! > cset!.offsets[ci]! ? cset!.rounds[cset!.offsets[ci + 1]! - 1]! : undefined;
      const sourceId = ci !== undefined ? cached!.sourceIds[ci] : undefined;
      try {
        const h = await source.modelHistory(w.name, { tournament: w.tournament, ...(lastRound === undefined ? {} : { sinceRound: lastRound }), ...(sourceId === undefined ? {} : { sourceId }), signal });
        const bad = checkHistory(h);
        if (bad) errors.push({ name: w.name, tournament: w.tournament, code: 'invalid_data', field: bad.field, message: `${w.name}: ${bad.message}` });
        else {
          fetched.set(w.name, h);
          skippedRounds += h.skippedRounds ?? 0;
        }
      } catch (e) {
        if (isOffline(e) || (e instanceof NumeraiApiError && e.code === 'aborted')) {
          if (!offline) offline = e;
          stop.abort();
        } else errors.push(errorOf(w.name, w.tournament, e));
      }
      progress({ phase: 'models', done: ++done, total: work.length });
    });
  }
  if (opts.signal?.aborted) throw new NumeraiApiError('aborted', 'cancelled');
  // Every leaderboard refused (malformed answers, say) and not one history came back: nothing was
  // refreshed, so this is the cache's data and date, like offline — never "updated just now".
  if (!offline && fetched.size === 0 && tournaments.length > 0 && tournaments.every((t) => lbFailed.has(t))) offline = lbFailed.get(tournaments[0]!)!;
  if (offline && !cset && fetched.size === 0) throw offline;

  // 4. Merge: cached models in cached order (updated where fetched), then new ones.
  const inputs: ModelRecordInput[] = [];
  const sourceIds: (string | undefined)[] = [];
  const entryOf = new Map(work.map((w) => [w.name, w.entry]));
  let newModels = 0;
  let updatedModels = 0;
  let unchangedModels = 0;
  let newRows = 0;
  if (cset) {
    for (let i = 0; i < cset.models.length; i++) {
      const info = cset.models[i]!;
      const a = cset.offsets[i]!;
      const b = cset.offsets[i + 1]!;
      const rounds = cset.rounds.subarray(a, b);
      const cal = cset.calendars[info.tournament];
      const resolveTimeMs = new Float64Array(rounds.length);
      for (let k = 0; k < rounds.length; k++) resolveTimeMs[k] = resolveTimeOf(cal, rounds[k]!);
      const base: ModelRecordInput = {
        ...info,
        rounds,
        returnBps: cset.returnBps.subarray(a, b),
        corr20: cset.corr20.subarray(a, b),
        mmc: cset.mmc.subarray(a, b),
        tc: cset.tc.subarray(a, b),
        stakeNmr: cset.stakeNmr.subarray(a, b),
        resolveTimeMs,
        currentStakeWei: cset.currentStakeWei[i] ?? 0n,
      };
      const h = fetched.get(info.name);
      const stake = entryOf.get(info.name)?.stakeWei ?? h?.currentStakeWei ?? base.currentStakeWei!;
      if (!h) {
        inputs.push({ ...base, currentStakeWei: stake });
        sourceIds.push(cached!.sourceIds[i]);
        unchangedModels++;
        continue;
      }
      fetched.delete(info.name);
      // Only rows after the cached ones (a full refetch replaces them all).
      const last = rounds.length > 0 && !opts.full ? rounds[rounds.length - 1]! : -Infinity;
      let from = 0;
      while (from < h.rounds.length && h.rounds[from]! <= last) from++;
      const add = h.rounds.length - from;
      const fullReplace = opts.full === true;
      const pick = (x: ArrayLike<number> | undefined, fill: number): Float32Array => {
        const out = new Float32Array(add);
        for (let k = 0; k < add; k++) out[k] = x ? x[from + k]! : fill;
        return out;
      };
      const rowsNew = Int32Array.from({ length: add }, (_, k) => h.rounds[from + k]!);
      const timesNew = Float64Array.from({ length: add }, (_, k) => h.resolveTimeMs[from + k]!);
      newRows += add;
      if (add > 0 || h.sourceId !== cached!.sourceIds[i]) updatedModels++;
      else unchangedModels++;
      const keep = fullReplace ? 0 : rounds.length;
      inputs.push({
        ...base,
        startRound: keep > 0 ? info.startRound : h.startRound,
        rounds: concat(rounds.subarray(0, keep), rowsNew, (n) => new Int32Array(n)),
        returnBps: concat((base.returnBps as Float32Array).subarray(0, keep), pick(h.returnBps, 0), (n) => new Float32Array(n)),
        corr20: concat((base.corr20 as Float32Array).subarray(0, keep), pick(h.corr20, Number.NaN), (n) => new Float32Array(n)),
        mmc: concat((base.mmc as Float32Array).subarray(0, keep), pick(h.mmc, Number.NaN), (n) => new Float32Array(n)),
        tc: concat((base.tc as Float32Array).subarray(0, keep), pick(h.tc, Number.NaN), (n) => new Float32Array(n)),
        stakeNmr: concat((base.stakeNmr as Float32Array).subarray(0, keep), pick(h.stakeNmr, 0), (n) => new Float32Array(n)),
        resolveTimeMs: concat(resolveTimeMs.subarray(0, keep), timesNew, (n) => new Float64Array(n)),
        currentStakeWei: stake,
      });
      sourceIds.push(h.sourceId ?? cached!.sourceIds[i]);
    }
  }
  for (const w of work) {
    const h = fetched.get(w.name);
    if (!h) continue;
    const stake = w.entry?.stakeWei ?? h.currentStakeWei ?? 0n;
    inputs.push({ ...h, currentStakeWei: stake });
    sourceIds.push(h.sourceId);
    newModels++;
    newRows += h.rounds.length;
  }

  const { inputs: harmonized } = harmonizeResolveTimes(inputs);
  const set = buildTrackRecordSet(harmonized, { source: source.kind });
  const fetchedAtMs = offline ? (cached?.fetchedAtMs ?? startedAtMs) : startedAtMs;

  // 5. Save.
  const cache: RefreshResult['cache'] = { read: cacheRead, written: false, bytes: 0 };
  // Offline with nothing new: the file on disk already holds exactly this (and its date).
  const nothingNew = offline !== null && newModels === 0 && updatedModels === 0 && (cacheRead === 'ok' || cacheRead === 'given');
  if (opts.cachePath && !nothingNew) {
    progress({ phase: 'saving', done: 0, total: 1 });
    try {
      cache.bytes = await writeTrackRecordCache(opts.cachePath, { set, fetchedAtMs, sourceIds });
      cache.written = true;
    } catch (e) {
      cache.error = e instanceof Error ? e.message : String(e);
    }
    progress({ phase: 'saving', done: 1, total: 1 });
  }
  return {
    set,
    sourceIds,
    fetchedAtMs,
    stale: offline ? { code: offline instanceof NumeraiApiError ? offline.code : 'error', message: staleMessage(offline, fetchedAtMs, now()), cause: offline } : null,
    errors,
    leaderboardIssues,
    cache,
    stats: { models: set.models.length, newModels, updatedModels, unchangedModels, newRows, skippedRounds, requests: requestsOf(source) - requestsBefore },
  };
}

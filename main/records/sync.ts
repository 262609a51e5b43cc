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
 * The models named by `priority` (the pool's, what the user opens) are fetched before the rest, and
 * an unfinished load saves what it has as it goes (`onPartial` gets the same set to show): once the
 * priority models are in, then every `checkpointEveryMs`, and when stopped or cut off. The next
 * refresh resumes it — the models it already fetched are not asked for again — if it began less
 * than `resumeWithinMs` ago.
 *
 * Failures stay where they happen:
 *   - one model's bad or missing data → an entry in `errors` (which model, which field); its cached
 *     rows are kept, every other model is unaffected;
 *   - a malformed leaderboard entry → skipped, listed in `leaderboardIssues`;
 *   - the source unreachable (after the client's retries) → the refresh stops, what was fetched so
 *     far is merged, and `stale.message` says "Numerai's API cannot be reached; showing data from
 *     <date>"; with no cache at all the error is thrown.
 */
import { readTrackRecordCache, writeTrackRecordCache, type CacheReadResult, type CachedTrackRecords, type PartialLoad } from './cache';
import { runWorkers } from '../async/at-most';
import { NumeraiApiError } from './numerai-client';
import { LEADERBOARD_PAGE_LIMIT } from './numerai-queries';
import { leaderboardColumns } from './listing';
import type { EntryIssue, LeaderboardEntry, ModelHistory, TrackRecordSource } from './source';
import {
  TOURNAMENTS,
  buildTrackRecordSet,
  columnLengthIssue,
  getModelRecord,
  type ModelRecordInput,
  type Tournament,
  type TrackRecordSet,
} from './types';

export interface RefreshProgress {
  phase: 'leaderboard' | 'models' | 'saving';
  done: number;
  total: number;
  /** The listed models `priority` named: how many of them are in (resumed ones included). */
  first?: { done: number; total: number };
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
  /** Leaderboard page size asked for (default LEADERBOARD_PAGE_LIMIT, 10,000; a server may send fewer). */
  pageSize?: number;
  /** Model histories fetched at once (default 4; the client's rate limit still applies). */
  concurrency?: number;
  /** Refetch every model's whole history (the cache is still the fallback). */
  full?: boolean;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (p: RefreshProgress) => void;
  /**
   * Names to fetch before the others, first in the list first. Read again before each model is
   * picked, so it may change while the refresh runs (return the same array while it does not).
   */
  priority?: () => readonly string[];
  /**
   * The set so far of an unfinished load, after it is saved (when there is a cache): as soon as the
   * leaderboards are read (every listed model, those without a history yet with no rows), once the
   * priority models are in, then every `checkpointEveryMs`. `listing` is what the leaderboards said.
   */
  onPartial?: (records: CachedTrackRecords & { partial: PartialLoad }, listing: Listing) => void;
  /** Real milliseconds between saves of an unfinished load (default 30 s); saving never takes more than a fifth of the time. */
  checkpointEveryMs?: number;
  /** An unfinished load in the cache is resumed if it began less than this ago (default 24 h); else all its models are refreshed again. */
  resumeWithinMs?: number;
}

export interface ModelLoadError {
  name: string;
  tournament: Tournament;
  /** NumeraiApiError code, or 'invalid_data' / 'duplicate_name' / 'error'. */
  code: string;
  field?: string;
  message: string;
}

/** What this refresh's leaderboards said of each listed model (rank, stake, the source's own returns). */
export type Listing = ReadonlyMap<string, LeaderboardEntry>;

export interface RefreshResult {
  set: TrackRecordSet;
  /** The leaderboards' entries, by name (empty when none could be read). */
  listing: Listing;
  /** Per model, in set order: the source's id. */
  sourceIds: (string | undefined)[];
  /** When this data was fetched: now for a completed refresh, the cache's time otherwise. */
  fetchedAtMs: number;
  /** Set when the source could not be reached and (some) data is the cache's. */
  stale: { code: string; message: string; cause: unknown } | null;
  errors: ModelLoadError[];
  leaderboardIssues: EntryIssue[];
  /** Set when the load did not finish (the source went away): what the cache now says about it. */
  partial: PartialLoad | null;
  cache: { read: CacheReadResult['status'] | 'given' | 'none'; written: boolean; bytes: number; error?: string };
  stats: {
    models: number;
    newModels: number;
    updatedModels: number;
    unchangedModels: number;
    /** Models an earlier, unfinished load had already fetched: kept, not asked for again. */
    resumedModels: number;
    /** Listed models whose history did not come (yet): in the set with no rows. */
    listedOnly: number;
    newRows: number;
    skippedRounds: number;
    requests: number;
    /** Saves of the unfinished load on the way (not counting the last one). */
    checkpoints: number;
  };
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

function isOffline(e: unknown): e is NumeraiApiError {
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
  const short = columnLengthIssue(m);
  if (short) return short;
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

/** A listed model with no history (yet): no rows, the leaderboard's stake. */
function listedOnly(w: Work): ModelRecordInput {
  return {
    name: w.name,
    tournament: w.tournament,
    startRound: 0,
    isDemo: false,
    operatorFeeBps: 0,
    rounds: [],
    returnBps: [],
    resolveTimeMs: [],
    currentStakeWei: w.entry?.stakeWei ?? 0n,
  };
}

function errorOf(name: string, tournament: Tournament, e: unknown): ModelLoadError {
  if (e instanceof NumeraiApiError)
    return { name, tournament, code: e.code, ...(e.field === undefined ? {} : { field: e.field }), message: e.message };
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
  started?: boolean;
}

/**
 * Hands out the work: the names `priority()` lists first (in its order), then the rest in
 * leaderboard order, each once. Tracks how many of the priority models are in.
 */
function workQueue(work: readonly Work[], isDone: (name: string) => boolean, priority: (() => readonly string[]) | undefined) {
  const byName = new Map(work.map((w) => [w.name, w]));
  let next = 0;
  let list: readonly string[] | null = null;
  let urgent: Work[] = [];
  let u = 0;
  const first = new Set<string>();
  let firstDone = 0;
  const refresh = () => {
    const p = priority?.();
    if (!p || p === list) return;
    list = p;
    urgent = [];
    u = 0;
    first.clear();
    firstDone = 0;
    for (const name of p) {
      const w = byName.get(name);
      if (!w || first.has(name)) continue;
      first.add(name);
      if (isDone(name)) firstDone++;
      else if (!w.started) urgent.push(w);
    }
  };
  return {
    take(): Work | undefined {
      refresh();
      while (u < urgent.length) {
        const w = urgent[u++]!;
        if (!w.started) return ((w.started = true), w);
      }
      while (next < work.length) {
        const w = work[next++]!;
        if (!w.started && !isDone(w.name)) return ((w.started = true), w);
      }
      return undefined;
    },
    /** A model is in; true when it completes the priority models. */
    finished(name: string): boolean {
      if (!first.has(name)) return false;
      firstDone++;
      return firstDone === first.size;
    },
    first: () => (refresh(), { done: firstDone, total: first.size }),
  };
}

export async function refreshTrackRecords(opts: RefreshOptions): Promise<RefreshResult> {
  const { source } = opts;
  const now = opts.now ?? Date.now;
  const startedAtMs = now();
  const tournaments = opts.tournaments ?? TOURNAMENTS;
  const maxModels = opts.maxModels ?? 50_000;
  const pageSize = opts.pageSize ?? LEADERBOARD_PAGE_LIMIT;
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
  // An unfinished load that began recently is resumed: what it fetched is kept as it is.
  const resume =
    cached?.partial && !opts.full && startedAtMs - cached.partial.startedAtMs < (opts.resumeWithinMs ?? 86_400_000) ? cached.partial : null;
  const runStartedAtMs = resume ? resume.startedAtMs : startedAtMs;
  const resumed = (name: string): boolean => {
    const i = resume ? cset!.index.get(name) : undefined;
    return i !== undefined && resume!.fetched[i] === 1;
  };

  let offline: Error | null = null;
  const errors: ModelLoadError[] = [];
  const leaderboardIssues: EntryIssue[] = [];

  // 2. Leaderboards.
  const work: Work[] = [];
  const seen = new Map<string, Tournament>();
  const lbFailed = new Map<Tournament, Error>();
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
            if (seen.get(e.name) !== t)
              errors.push({
                name: e.name,
                tournament: t,
                code: 'duplicate_name',
                message: `"${e.name}" is also a ${seen.get(e.name)} model; only that one is kept`,
              });
            continue;
          }
          const ci = cset?.index.get(e.name);
          const cachedAs = ci === undefined ? undefined : cset!.models[ci]!.tournament;
          if (cachedAs !== undefined && cachedAs !== t) {
            errors.push({
              name: e.name,
              tournament: t,
              code: 'duplicate_name',
              message: `"${e.name}" is also a ${cachedAs} model; only that one is kept`,
            });
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
      lbFailed.set(t, e instanceof Error ? e : new Error(String(e)));
      errors.push({
        name: `(${t} leaderboard)`,
        tournament: t,
        code: e instanceof NumeraiApiError ? e.code : 'error',
        message: e instanceof Error ? e.message : String(e),
      });
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
  const listing: Listing = new Map(work.flatMap((w) => (w.entry ? [[w.name, w.entry] as const] : [])));

  // 3. Histories: the priority models first; an unfinished load is saved as it goes.
  const fetched = new Map<string, ModelHistory>();
  let skippedRounds = 0;
  let done = work.filter((w) => resumed(w.name)).length;
  const queue = workQueue(work, (name) => resumed(name) || fetched.has(name), opts.priority);
  /** How old the data is while the load is unfinished: as old as the oldest part of it. */
  const unfinishedFetchedAtMs = cached?.fetchedAtMs ?? runStartedAtMs;
  const cache: RefreshResult['cache'] = { read: cacheRead, written: false, bytes: 0 };
  const checkpointEveryMs = opts.checkpointEveryMs ?? 30_000;
  let checkpoints = 0;
  let savedCount = 0;
  let lastSaveEnd = performance.now();
  let lastSaveCost = 0;
  let saving = false;
  let firstAreIn = false;

  const unfinished = (): CachedTrackRecords & { partial: PartialLoad } => {
    const m = assemble(false);
    return {
      set: m.set,
      sourceIds: m.sourceIds,
      fetchedAtMs: unfinishedFetchedAtMs,
      partial: { startedAtMs: runStartedAtMs, total: work.length, fetched: m.fetchedFlags },
    };
  };
  const save = async (c: CachedTrackRecords): Promise<void> => {
    if (!opts.cachePath) return;
    try {
      // The leaderboards' figures go with the set, so a restart (even offline) shows them at once.
      const leaderboard = listing.size > 0 ? { leaderboard: leaderboardColumns(c.set, listing) } : {};
      cache.bytes = await writeTrackRecordCache(opts.cachePath, { ...c, ...leaderboard });
      cache.written = true;
      delete cache.error;
    } catch (e) {
      cache.error = e instanceof Error ? e.message : String(e);
    }
  };
  /** `counts: false`: a one-off save that the "a fifth of the time" rule leaves out (the list's, before any history). */
  const checkpoint = async (counts = true): Promise<void> => {
    const t0 = performance.now();
    saving = true;
    try {
      savedCount = fetched.size;
      const c = unfinished();
      await save(c);
      checkpoints++;
      opts.onPartial?.(c, listing);
    } finally {
      saving = false;
      lastSaveEnd = performance.now();
      if (counts) lastSaveCost = lastSaveEnd - t0;
    }
  };

  if (!offline) {
    // Every listed model is shown at once, with the leaderboards' figures; histories follow.
    // That save does not hold back the next one: the priority models are shown as soon as they are in.
    if (work.some((w) => w.cachedIndex === undefined)) await checkpoint(false);
    // A resumed load's set was shown from the cache already (nothing new to save): the figures only now.
    else if (resume) opts.onPartial?.(unfinished(), listing);
    progress({ phase: 'models', done, total: work.length, first: queue.first() });
    const worker = async () => {
      for (let w = queue.take(); w && !signal.aborted; w = queue.take()) {
        const ci = w.cachedIndex;
        const lastRound =
          ci !== undefined && !opts.full && cset!.offsets[ci + 1]! > cset!.offsets[ci]!
            ? cset!.rounds[cset!.offsets[ci + 1]! - 1]!
            : undefined;
        const sourceId = ci !== undefined ? cached!.sourceIds[ci] : undefined;
        try {
          const h = await source.modelHistory(w.name, {
            tournament: w.tournament,
            ...(lastRound === undefined ? {} : { sinceRound: lastRound }),
            ...(sourceId === undefined ? {} : { sourceId }),
            signal,
          });
          const bad = checkHistory(h);
          if (bad)
            errors.push({
              name: w.name,
              tournament: w.tournament,
              code: 'invalid_data',
              field: bad.field,
              message: `${w.name}: ${bad.message}`,
            });
          else {
            fetched.set(w.name, h);
            skippedRounds += h.skippedRounds ?? 0;
          }
        } catch (e) {
          if (isOffline(e) || (e instanceof NumeraiApiError && e.code === 'aborted')) {
            if (!offline) offline = e;
            stop.abort();
            return;
          } else errors.push(errorOf(w.name, w.tournament, e));
        }
        if (queue.finished(w.name)) firstAreIn = true;
        progress({ phase: 'models', done: ++done, total: work.length, first: queue.first() });
        // Save (and show) what is in: as soon as the priority models are, then now and then — but
        // never spend more than a fifth of the time saving, and leave the last save to step 5.
        const sinceSave = performance.now() - lastSaveEnd;
        if (
          !saving &&
          done < work.length &&
          fetched.size > savedCount &&
          sinceSave >= 4 * lastSaveCost &&
          (firstAreIn || sinceSave >= checkpointEveryMs)
        ) {
          firstAreIn = false;
          await checkpoint();
        }
      }
    };
    await runWorkers(Math.min(opts.concurrency ?? 4, work.length), worker);
  }
  if (opts.signal?.aborted) {
    // Stopped (the app is closing, the network changed): keep what arrived since the last save.
    if (fetched.size > savedCount) await save(unfinished());
    throw new NumeraiApiError('aborted', 'cancelled');
  }
  // Every leaderboard refused (malformed answers, say) and not one history came back: nothing was
  // refreshed, so this is the cache's data and date, like offline — never "updated just now".
  if (!offline && fetched.size === 0 && tournaments.length > 0 && tournaments.every((t) => lbFailed.has(t)))
    offline = lbFailed.get(tournaments[0]!)!;
  if (offline && !cset && fetched.size === 0) throw offline;

  // 4. Merge: cached models in cached order (updated where fetched), then new ones.
  function assemble(final: boolean) {
    const inputs: ModelRecordInput[] = [];
    const sourceIds: (string | undefined)[] = [];
    const flags: number[] = [];
    const entryOf = new Map(work.map((w) => [w.name, w.entry]));
    const counts = { newModels: 0, updatedModels: 0, unchangedModels: 0, resumedModels: 0, listedOnly: 0, newRows: 0 };
    if (cset) {
      for (let i = 0; i < cset.models.length; i++) {
        const base = getModelRecord(cset, i);
        const { rounds, resolveTimeMs } = base;
        const info = cset.models[i]!;
        const h = fetched.get(info.name);
        const stake = entryOf.get(info.name)?.stakeWei ?? h?.currentStakeWei ?? base.currentStakeWei;
        if (!h) {
          inputs.push({ ...base, currentStakeWei: stake });
          sourceIds.push(cached!.sourceIds[i]);
          const wasResumed = resumed(info.name);
          flags.push(wasResumed ? 1 : 0);
          if (wasResumed) counts.resumedModels++;
          else counts.unchangedModels++;
          continue;
        }
        // Only rows after the cached ones (a full refetch replaces them all).
        const last = rounds.length > 0 && !opts.full ? rounds[rounds.length - 1]! : -Infinity;
        let from = 0;
        while (from < h.rounds.length && h.rounds[from]! <= last) from++;
        const add = h.rounds.length - from;
        const pick = (x: ArrayLike<number> | undefined, fill: number): Float32Array => {
          const out = new Float32Array(add);
          for (let k = 0; k < add; k++) out[k] = x ? x[from + k]! : fill;
          return out;
        };
        const rowsNew = Int32Array.from({ length: add }, (_, k) => h.rounds[from + k]!);
        const timesNew = Float64Array.from({ length: add }, (_, k) => h.resolveTimeMs[from + k]!);
        counts.newRows += add;
        if (add > 0 || h.sourceId !== cached!.sourceIds[i]) counts.updatedModels++;
        else counts.unchangedModels++;
        const keep = opts.full ? 0 : rounds.length;
        inputs.push({
          ...base,
          startRound: keep > 0 ? info.startRound : h.startRound,
          rounds: concat(rounds.subarray(0, keep), rowsNew, (n) => new Int32Array(n)),
          returnBps: concat(base.returnBps.subarray(0, keep), pick(h.returnBps, 0), (n) => new Float32Array(n)),
          corr20: concat(base.corr20.subarray(0, keep), pick(h.corr20, Number.NaN), (n) => new Float32Array(n)),
          mmc: concat(base.mmc.subarray(0, keep), pick(h.mmc, Number.NaN), (n) => new Float32Array(n)),
          tc: concat(base.tc.subarray(0, keep), pick(h.tc, Number.NaN), (n) => new Float32Array(n)),
          stakeNmr: concat(base.stakeNmr.subarray(0, keep), pick(h.stakeNmr, 0), (n) => new Float32Array(n)),
          resolveTimeMs: concat(resolveTimeMs.subarray(0, keep), timesNew, (n) => new Float64Array(n)),
          currentStakeWei: stake,
        });
        sourceIds.push(h.sourceId ?? cached!.sourceIds[i]);
        flags.push(1);
      }
    }
    for (const w of work) {
      const h = fetched.get(w.name);
      if (cset?.index.has(w.name)) continue;
      if (!h) {
        // Listed, history not in (yet, or it failed): listed with the leaderboard's figures, no rows.
        inputs.push(listedOnly(w));
        sourceIds.push(undefined);
        flags.push(0);
        counts.listedOnly++;
        continue;
      }
      inputs.push({ ...h, currentStakeWei: w.entry?.stakeWei ?? h.currentStakeWei ?? 0n });
      sourceIds.push(h.sourceId);
      flags.push(1);
      counts.newModels++;
      counts.newRows += h.rounds.length;
    }
    // The final merge of a finished load has no use for the flags: skip the copy.
    const fetchedFlags = final ? new Uint8Array(0) : Uint8Array.from(flags);
    const { inputs: harmonized } = harmonizeResolveTimes(inputs);
    return { set: buildTrackRecordSet(harmonized, { source: source.kind }), sourceIds, fetchedFlags, counts };
  }

  // 5. Save: a finished load as complete; one cut off as unfinished, to be resumed.
  const finished = !offline;
  const { set, sourceIds, fetchedFlags, counts } = assemble(finished);
  const fetchedAtMs = finished ? runStartedAtMs : unfinishedFetchedAtMs;
  const partial: PartialLoad | null = finished ? null : { startedAtMs: runStartedAtMs, total: work.length, fetched: fetchedFlags };
  // Offline with nothing new: the file on disk already holds exactly this (and its date).
  const nothingNew = offline !== null && fetched.size === 0 && (cacheRead === 'ok' || cacheRead === 'given');
  if (opts.cachePath && !nothingNew) {
    progress({ phase: 'saving', done: 0, total: 1 });
    await save({ set, fetchedAtMs, sourceIds, ...(partial ? { partial } : {}) });
    progress({ phase: 'saving', done: 1, total: 1 });
  }
  return {
    set,
    listing,
    sourceIds,
    fetchedAtMs,
    stale: offline
      ? {
          code: offline instanceof NumeraiApiError ? offline.code : 'error',
          message: staleMessage(offline, fetchedAtMs, now()),
          cause: offline,
        }
      : null,
    errors,
    leaderboardIssues,
    partial: partial ?? (offline && resume ? resume : null),
    cache,
    stats: { models: set.models.length, ...counts, skippedRounds, requests: requestsOf(source) - requestsBefore, checkpoints },
  };
}

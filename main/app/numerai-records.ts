import {
  NUMERAI_API_URL,
  NumeraiApiError,
  buildTrackRecordSet,
  createNumeraiSource,
  createRecordsService,
  describeAge,
  formatUtc,
  readTrackRecordCache,
  refreshTrackRecords,
  sourceProblem,
  type CachedTrackRecords,
  listingFromColumns,
  type Listing,
  type NumeraiClientOptions,
  type RecordsService,
  type RefreshOptions,
  type RefreshProgress,
  type TrackRecordSource,
} from '../records';
import type { Logger } from '../log/logger';

/** Overrides Numerai's API URL (tests point it at a local stand-in; a proxy could too). */
export const NUMERAI_URL_ENV = 'NMR_DELEGATE_NUMERAI_URL';

/** Numerai's API URL: the environment's override when set, else Numerai's own. A bad override is an error, not ignored. */
export function numeraiUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const raw = env[NUMERAI_URL_ENV]?.trim();
  if (!raw) return NUMERAI_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${NUMERAI_URL_ENV} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${NUMERAI_URL_ENV} must be an http(s) URL, not "${raw}"`);
  return url.toString();
}

/** `tournaments` (default all three: a pool model may be in any of them), `checkpointEveryMs` and `now` go to each refresh. */
export interface NumeraiRecordsOptions extends Pick<RefreshOptions, 'tournaments' | 'checkpointEveryMs' | 'now'> {
  /** The cache file, in the user-data folder. */
  cachePath: string;
  log: Logger;
  /** Default NUMERAI_API_URL. */
  url?: string;
  /** Rate limit, retries and timeouts of the client (tests make them short). */
  client?: Omit<NumeraiClientOptions, 'url'>;
  /** Instead of a client for `url` (tests). */
  source?: TrackRecordSource;
  /** After a completed refresh, the next one (default 12 h: Numerai resolves about one round a day). */
  refreshEveryMs?: number;
  /** After a failed one (default 10 min). */
  retryAfterMs?: number;
  /** The fewest milliseconds between two progress notices (default 3 s). */
  progressEveryMs?: number;
}

/** `setChanged`: the set was replaced (cached rows are stale); otherwise only the label moved on. */
export type RecordsListener = (setChanged: boolean) => void;

export interface NumeraiRecords extends RecordsService {
  dataLabel(): string;
  /** Shows the cache (if any) at once, then refreshes in the background; again on a timer. No-op while running. */
  start(): void;
  /** Aborts the refresh in flight and the timer; the set in memory stays for the next `start`. */
  stop(): Promise<void>;
  onChange(listener: RecordsListener): () => void;
  /**
   * Fetch these models before the others (the pool's, then ones the user opens), ahead of any named
   * before; a load already running picks them up at its next model.
   */
  prioritize(names: readonly string[]): void;
  /** Resolves when the load in flight, if any, is over (tests, shutdown). */
  settled(): Promise<void>;
}

/** A RecordsService that answers from whichever service `cur()` returns at the time of each call. */
export function forwardRecords(cur: () => RecordsService): RecordsService {
  return {
    get set() {
      return cur().set;
    },
    get table() {
      return cur().table;
    },
    has: (name) => cur().has(name),
    list: (q) => cur().list(q),
    row: (name) => cur().row(name),
    summary: (name, points) => cur().summary(name, points),
    series: (name, maxPoints) => cur().series(name, maxPoints),
    detail: (name, o) => cur().detail(name, o),
    correlation: (names, o) => cur().correlation(names, o),
    backtest: (input) => cur().backtest(input),
  };
}

/**
 * A count with thousands separators, as en-US writes it ("15,000"). By hand, not toLocaleString:
 * its first call loads ICU's number data, ~20 ms of the first screen's answer.
 */
export const countText = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const LABEL_MAX = 200;
/** Names kept for `prioritize` (a pool has a few hundred models; the rest are what the user opened). */
const PRIORITY_MAX = 5000;

function isOffline(cause: unknown): boolean {
  return cause instanceof NumeraiApiError && (cause.code === 'unreachable' || cause.code === 'timeout');
}

/**
 * Track records from Numerai's public API for a real network: the disk cache first (shown at
 * once), then an incremental refresh in the background whose result replaces the set. Until a set
 * exists (first start, API down) the service is an empty set, so the app lists its pool models
 * without figures and the label says why.
 */
export function createNumeraiRecords(opts: NumeraiRecordsOptions): NumeraiRecords {
  const { log, cachePath } = opts;
  const now = opts.now ?? Date.now;
  const source = opts.source ?? createNumeraiSource({ ...opts.client, url: opts.url ?? NUMERAI_API_URL });
  const refreshEveryMs = opts.refreshEveryMs ?? 12 * 3_600_000;
  const retryAfterMs = opts.retryAfterMs ?? 10 * 60_000;
  const progressEveryMs = opts.progressEveryMs ?? 3000;

  let service: RecordsService = createRecordsService({ set: buildTrackRecordSet([], { source: 'numerai' }) });
  /** What `service` shows, with its date and ids (the next refresh starts from it). */
  let current: CachedTrackRecords | null = null;
  /** What the last leaderboards said (rank, stake, Numerai's returns): shown for models whose history is not in yet. */
  let listing: Listing = new Map();
  let phase: 'idle' | 'loading' | 'done' = 'idle';
  let progress: RefreshProgress | null = null;
  /** Why the last refresh did not complete (null after one that did). */
  let problem: unknown = null;
  let modelErrors = 0;
  let active = false;
  let inflight: Promise<void> | null = null;
  let abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let lastNotice = 0;
  const listeners = new Set<RecordsListener>();
  /** Replaced (never changed in place) on each change: the refresh rereads it when it sees a new array. */
  let priority: readonly string[] = [];

  const notify = (setChanged: boolean) => {
    lastNotice = now();
    for (const l of listeners) {
      try {
        l(setChanged);
      } catch (e) {
        log.warn('records.listener_failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  };

  function install(c: CachedTrackRecords, listed: Listing = listing) {
    current = c;
    listing = listed;
    service = createRecordsService({
      set: c.set,
      listing: { listing, ...(c.partial ? { fetched: c.partial.fetched } : {}) },
    });
    notify(true);
  }

  function onProgress(p: RefreshProgress) {
    progress = p;
    if (now() - lastNotice >= progressEveryMs) notify(false);
  }

  async function load(signal: AbortSignal): Promise<void> {
    phase = 'loading';
    progress = null;
    if (!current) {
      const c = await readTrackRecordCache(cachePath);
      if (c.status === 'ok' && c.records.set.source === 'numerai')
        install(c.records, c.records.leaderboard ? listingFromColumns(c.records.set, c.records.leaderboard) : listing);
      else if (c.status === 'corrupt' || c.status === 'outdated')
        log.warn('records.cache_unusable', { status: c.status, reason: c.reason });
    }
    if (signal.aborted) return;
    try {
      const r = await refreshTrackRecords({
        source,
        cachePath,
        cached: current,
        signal,
        now,
        onProgress,
        // The pool's models first, shown as soon as they are in; then the rest, saved as it goes.
        priority: () => priority,
        onPartial: install,
        ...(opts.checkpointEveryMs === undefined ? {} : { checkpointEveryMs: opts.checkpointEveryMs }),
        ...(opts.tournaments ? { tournaments: opts.tournaments } : {}),
      });
      modelErrors = r.errors.length;
      if (r.errors.length > 0)
        log.warn('records.model_errors', {
          count: r.errors.length,
          first: r.errors
            .slice(0, 5)
            .map((e) => `${e.name}: ${e.code}${e.field ? ` (${e.field})` : ''}`)
            .join('; '),
        });
      if (r.leaderboardIssues.length > 0)
        log.warn('records.leaderboard_issues', {
          count: r.leaderboardIssues.length,
          first: r.leaderboardIssues
            .slice(0, 5)
            .map((i) => i.field)
            .join('; '),
        });
      if (r.cache.error) log.warn('records.cache_write_failed', { error: r.cache.error });
      problem = r.stale ? r.stale.cause : null;
      if (r.stale) log.warn('records.stale', { code: r.stale.code, message: r.stale.message });
      else
        log.info('records.refreshed', {
          models: r.stats.models,
          newModels: r.stats.newModels,
          updatedModels: r.stats.updatedModels,
          newRows: r.stats.newRows,
          requests: r.stats.requests,
        });
      // Offline with nothing new is the set already shown: keep it (and its metrics).
      if (!r.stale || r.stats.newModels + r.stats.updatedModels > 0 || !current)
        install(
          { set: r.set, fetchedAtMs: r.fetchedAtMs, sourceIds: r.sourceIds, ...(r.partial ? { partial: r.partial } : {}) },
          r.listing.size > 0 ? r.listing : listing,
        );
    } catch (e) {
      if (signal.aborted) return;
      problem = e;
      log.warn('records.refresh_failed', {
        code: e instanceof NumeraiApiError ? e.code : 'error',
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  function start(): void {
    active = true;
    if (inflight || timer) return;
    const signal = abort.signal;
    inflight = load(signal)
      .catch((e: unknown) => {
        problem = e;
        log.error('records.load_failed', { error: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => {
        inflight = null;
        progress = null;
        if (signal.aborted) {
          phase = 'idle';
          // Stopped, then asked to run again before this load had wound down: start afresh now.
          if (active) start();
          return;
        }
        phase = 'done';
        notify(false);
        if (active) {
          timer = setTimeout(
            () => {
              timer = null;
              start();
            },
            problem === null ? refreshEveryMs : retryAfterMs,
          );
          timer.unref();
        }
      });
  }

  async function stop(): Promise<void> {
    active = false;
    if (timer) clearTimeout(timer);
    timer = null;
    // A fresh controller before waiting, so a start() that comes meanwhile is not born cancelled.
    const stopping = abort;
    abort = new AbortController();
    stopping.abort();
    await inflight;
  }

  function loadingLabel(): string {
    if (!progress) return 'Loading Numerai track records…';
    if (progress.phase === 'leaderboard') return `Loading Numerai track records… ${countText(progress.done)} models listed`;
    if (progress.phase === 'saving') return 'Loading Numerai track records… saving';
    const first = progress.first;
    if (first && first.done < first.total)
      return `Loading Numerai track records… the pool's models first: ${countText(first.done)} of ${countText(first.total)}`;
    return `Loading Numerai track records… ${countText(progress.done)} of ${countText(progress.total)}`;
  }

  /** A first load not finished yet: "14,300 models listed · histories 120 of 14,300 loaded". */
  function partialLabel(c: CachedTrackRecords): string | null {
    if (!c.partial) return null;
    const running = phase === 'loading' && progress?.phase === 'models' ? progress : null;
    const total = running?.total ?? c.partial.total;
    const loaded = running?.done ?? c.partial.fetched.reduce((a, f) => a + f, 0);
    if (loaded >= total) return null;
    const first = running?.first;
    const count = `${countText(c.set.models.length)} models listed · histories ${countText(loaded)} of ${countText(total)} loaded`;
    return first && first.total > 0 && first.done === first.total ? `${count}, the pool's first` : count;
  }

  function dataLabel(): string {
    if (!current) {
      if (phase !== 'done' || problem === null) return loadingLabel();
      return `${sourceProblem(problem)}, and no Numerai track records are saved yet: models are listed without figures. Retrying in the background.`.slice(
        0,
        LABEL_MAX,
      );
    }
    const t = current.fetchedAtMs;
    const age = describeAge(t, now());
    const part = partialLabel(current);
    let label =
      problem === null
        ? part
          ? `Numerai · ${part}`
          : `Numerai · updated ${age}`
        : isOffline(problem)
          ? `Offline — showing data from ${formatUtc(t)} (${age})`
          : `${sourceProblem(problem)} — showing data from ${formatUtc(t)} (${age})`;
    if (part && problem !== null) label += ` · ${part}`;
    else if (!part && phase === 'loading' && progress?.phase === 'models')
      label += ` · refreshing ${countText(progress.done)} of ${countText(progress.total)}`;
    if (modelErrors > 0) label += ` · ${countText(modelErrors)} model${modelErrors === 1 ? '' : 's'} could not be read`;
    return label.slice(0, LABEL_MAX);
  }

  return Object.assign(
    forwardRecords(() => service),
    {
      dataLabel,
      start,
      stop,
      onChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      prioritize(names) {
        if (names.every((n, k) => priority[k] === n)) return; // already at the front, in this order
        priority = [...new Set([...names, ...priority])].slice(0, PRIORITY_MAX);
      },
      settled: async () => {
        await inflight;
      },
    } satisfies Omit<NumeraiRecords, keyof RecordsService>,
  );
}

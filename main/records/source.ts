/**
 * Where track records come from. Two sources answer the same two questions:
 *   leaderboard(...)     which models a tournament has (paged), with their stake now;
 *   modelHistory(...)    one model's resolved rounds, all of them or only those after `sinceRound`.
 * `createDemoSource` serves the embedded demo world; `createNumeraiSource` (numerai-source.ts)
 * asks Numerai's public GraphQL API. `refreshTrackRecords` (sync.ts) drives either one, merges
 * with the disk cache and builds the TrackRecordSet.
 */
import { generateDemoRecords, type DemoWorldOptions } from './demo-source';
import { TrackRecordError, resolveTimeOf, type ModelRecordInput, type Tournament, type TrackRecordSet } from './types';

export type SourceKind = 'demo' | 'numerai';

export interface LeaderboardEntry {
  /** Model name. */
  name: string;
  /** 1-based rank as the source reports it; null if it reports none. */
  rank: number | null;
  /** Stake now, exact wei; null when the source does not say. */
  stakeWei: bigint | null;
  /** The source's own 3-month and 1-year returns in percent (Numerai's leaderboards); null or absent when it gives none. */
  return3mPct?: number | null;
  return1yPct?: number | null;
}

/** A leaderboard entry that failed validation and was skipped. */
export interface EntryIssue {
  /** Index in the page. */
  index: number;
  /** Model name if it could be read. */
  name?: string;
  /** Path of the bad field, e.g. `v2Leaderboard[3].nmrStaked`. */
  field: string;
  message: string;
}

export interface LeaderboardPage {
  tournament: Tournament;
  entries: LeaderboardEntry[];
  /** Entries received, malformed ones included: the next page starts at `offset + received`. */
  received: number;
  issues: EntryIssue[];
}

export interface LeaderboardQuery {
  tournament: Tournament;
  limit: number;
  offset: number;
  signal?: AbortSignal;
}

export interface HistoryQuery {
  tournament: Tournament;
  /** Only rounds after this one (the last round already cached). */
  sinceRound?: number;
  /** The source's own id for the model, from an earlier `ModelHistory.sourceId` (saves a lookup). */
  sourceId?: string;
  signal?: AbortSignal;
}

/**
 * One model's resolved rounds, oldest first, strictly increasing, every return finite: ready for
 * `buildTrackRecordSet`. With `sinceRound`, only later rounds (possibly none); `startRound` is then
 * the first returned round or, with none, `sinceRound + 1` — the caller keeps the cached one.
 */
export interface ModelHistory extends ModelRecordInput {
  /** The source's id for the model (Numerai's model UUID). */
  readonly sourceId?: string;
  /** Rounds the source reported but that could not become a row (no payout and nothing to estimate it from, duplicates). */
  readonly skippedRounds?: number;
}

export interface TrackRecordSource {
  readonly kind: SourceKind;
  leaderboard(q: LeaderboardQuery): Promise<LeaderboardPage>;
  modelHistory(name: string, q: HistoryQuery): Promise<ModelHistory>;
}

/** First row index in `rounds[from..to)` whose round is > `after` (rounds ascending). */
function firstAfter(rounds: Int32Array, from: number, to: number, after: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rounds[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface DemoSource extends TrackRecordSource {
  readonly kind: 'demo';
  /** The demo world behind the source (generated on first use). */
  world(): TrackRecordSet;
}

/**
 * The demo world as a source: the leaderboard lists a tournament's demo models in world order, and
 * a history is a zero-copy view of the world's rows (resolve times from its calendar).
 * `world` may be passed in (tests, or a world already generated); otherwise it is generated from
 * `opts` on first use.
 */
export function createDemoSource(opts: DemoWorldOptions & { world?: TrackRecordSet } = {}): DemoSource {
  const { world: given, ...worldOpts } = opts;
  let world = given;
  let byTournament: Map<Tournament, number[]> | undefined;
  const getWorld = (): TrackRecordSet => (world ??= generateDemoRecords(worldOpts));
  const lists = (): Map<Tournament, number[]> => {
    if (byTournament) return byTournament;
    const w = getWorld();
    const m = new Map<Tournament, number[]>([
      ['classic', []],
      ['signals', []],
      ['crypto', []],
    ]);
    w.models.forEach((info, i) => m.get(info.tournament)!.push(i));
    return (byTournament = m);
  };
  return {
    kind: 'demo',
    world: getWorld,
    async leaderboard({ tournament, limit, offset }) {
      const w = getWorld();
      const idx = lists()
        .get(tournament)!
        .slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
      const entries = idx.map((i, k) => ({ name: w.models[i]!.name, rank: offset + k + 1, stakeWei: w.currentStakeWei[i] ?? 0n }));
      return { tournament, entries, received: entries.length, issues: [] };
    },
    async modelHistory(name, { tournament, sinceRound }) {
      const w = getWorld();
      const i = w.index.get(name);
      const info = i === undefined ? undefined : w.models[i];
      if (i === undefined || !info || info.tournament !== tournament)
        throw new TrackRecordError(`"${name}" is not a demo model of the ${tournament} tournament`);
      const end = w.offsets[i + 1]!;
      const start = sinceRound === undefined ? w.offsets[i]! : firstAfter(w.rounds, w.offsets[i]!, end, sinceRound);
      const rounds = w.rounds.subarray(start, end);
      const cal = w.calendars[tournament];
      const resolveTimeMs = new Float64Array(rounds.length);
      for (let k = 0; k < rounds.length; k++) resolveTimeMs[k] = resolveTimeOf(cal, rounds[k]!);
      return {
        ...info,
        startRound:
          rounds.length > 0 && sinceRound !== undefined ? rounds[0]! : sinceRound === undefined ? info.startRound : sinceRound + 1,
        rounds,
        returnBps: w.returnBps.subarray(start, end),
        corr20: w.corr20.subarray(start, end),
        mmc: w.mmc.subarray(start, end),
        tc: w.tc.subarray(start, end),
        stakeNmr: w.stakeNmr.subarray(start, end),
        resolveTimeMs,
        currentStakeWei: w.currentStakeWei[i] ?? 0n,
      };
    },
  };
}

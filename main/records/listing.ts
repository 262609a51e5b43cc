/**
 * What a leaderboard says about models whose history has not arrived yet. A first load lists every
 * model from Numerai's leaderboards within seconds, while the histories take the API's rate limit
 * (two requests a model): until a model's history is in, its list row shows the leaderboard's own
 * figures — rank, stake, and Numerai's 3-month and 1-year returns where the leaderboard gives them —
 * and says that the rest is loading. Sorting by those columns works at once: the figures go into
 * the metrics table's columns of the same name, for the models that have no rows of their own.
 */
import type { LeaderboardColumns } from './cache';
import type { MetricsTable } from './metrics';
import type { LeaderboardEntry } from './source';
import type { Listing } from './sync';
import type { TrackRecordSet } from './types';

/** Per model slot of a table: the leaderboard's rank (NaN: none) and whether its history is still to come. */
export interface ListedColumns {
  readonly rank: Float64Array;
  /** 1: no rows yet and the load that will bring them is not finished. */
  readonly historyLoading: Uint8Array;
}

export interface ListingInput {
  listing: Listing;
  /** Per model slot, 1 when the unfinished load has fetched it (the cache's `partial.fetched`); absent for a finished load. */
  fetched?: Uint8Array;
}

/**
 * Puts the leaderboard's figures into `table` (in place: the table was just computed and not yet
 * queried) for models with no rows, and returns the listing's own columns.
 */
export function applyListing(table: MetricsTable, input: ListingInput): ListedColumns {
  const { set, columns, size } = table;
  const rank = new Float64Array(size).fill(Number.NaN);
  const historyLoading = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const entry = input.listing.get(set.models[i]!.name);
    if (entry?.rank != null) rank[i] = entry.rank;
    if (columns.rounds[i]! > 0) continue;
    if (input.fetched && input.fetched[i] !== 1) historyLoading[i] = 1;
    if (entry?.return3mPct != null) columns.return3mPct[i] = entry.return3mPct;
    if (entry?.return1yPct != null) columns.return1yPct[i] = entry.return1yPct;
  }
  return { rank, historyLoading };
}

/** The listing as the cache keeps it: one figure per model of `set`, in its order (NaN: none). */
export function leaderboardColumns(set: TrackRecordSet, listing: Listing): LeaderboardColumns {
  const n = set.models.length;
  const cols = { rank: new Float64Array(n), return3mPct: new Float64Array(n), return1yPct: new Float64Array(n) };
  set.models.forEach((m, i) => {
    const e = listing.get(m.name);
    cols.rank[i] = e?.rank ?? Number.NaN;
    cols.return3mPct[i] = e?.return3mPct ?? Number.NaN;
    cols.return1yPct[i] = e?.return1yPct ?? Number.NaN;
  });
  return cols;
}

/** The listing back from the cache's columns (the stake is the set's). */
export function listingFromColumns(set: TrackRecordSet, cols: LeaderboardColumns): Listing {
  const listing = new Map<string, LeaderboardEntry>();
  const fig = (v: number) => (Number.isNaN(v) ? null : v);
  set.models.forEach((m, i) => {
    const [rank, r3m, r1y] = [fig(cols.rank[i]!), fig(cols.return3mPct[i]!), fig(cols.return1yPct[i]!)];
    if (rank === null && r3m === null && r1y === null) return;
    listing.set(m.name, { name: m.name, rank, stakeWei: set.currentStakeWei[i] ?? null, return3mPct: r3m, return1yPct: r1y });
  });
  return listing;
}

import { z } from 'zod';
import { WeiString } from '../money';
import { FiniteOrNull, finiteNumbers, ModelId, ModelName, Round } from './primitives';

/** Numerai's tournaments a model can be in; main's track records use the same list. */
export const TOURNAMENTS = ['classic', 'signals', 'crypto'] as const;
export const Tournament = z.enum(TOURNAMENTS);
export type Tournament = z.infer<typeof Tournament>;

/** 'no-record': a pool model Numerai has no results for (its figures are all blank). */
export const RiskLabel = z.enum(['deep-drawdown', 'short-record', 'volatile', 'no-record']);
export type RiskLabel = z.infer<typeof RiskLabel>;

/** One row of the model list: a model's track record joined with the pool's figures. */
export const ModelRow = z.strictObject({
  name: ModelName,
  /** The pool's id for the model; null when the model is not in the pool (it cannot be delegated to). */
  modelId: ModelId.nullable(),
  isDemo: z.boolean(),
  tournament: Tournament,
  /**
   * The operator's share of gains: the pool's for a pool model; outside the pool its track record's,
   * or null when the record names none (Numerai's records carry no fee; the demo's generated ones do).
   */
  feeBps: z.number().int().min(0).max(10_000).nullable(),
  capWei: WeiString.nullable(),
  delegatedWei: WeiString,
  capacityLeftWei: WeiString.nullable(),
  rounds: z.number().int().nonnegative(),
  return20Pct: FiniteOrNull,
  return3mPct: FiniteOrNull,
  return1yPct: FiniteOrNull,
  sharpe: FiniteOrNull,
  maxDrawdownPct: FiniteOrNull,
  maxDrawdownRounds: z.number().int().nonnegative().nullable(),
  meanReturnPct: FiniteOrNull,
  volatilityPct: FiniteOrNull,
  hitRatePct: FiniteOrNull,
  /** The model's own stake at Numerai, exact decimal NMR. */
  numeraiStakeNmr: z.string().max(80),
  /** The model's rank on Numerai's leaderboard of its tournament; null when the source gives none (the demo). */
  numeraiRank: z.number().int().positive().nullable(),
  /**
   * Its round-by-round history is still being fetched (a first load lists every model from Numerai's
   * leaderboards first): the figures that need the history are null, and `return3mPct`/`return1yPct`,
   * when set, are Numerai's own leaderboard figures.
   */
  historyLoading: z.boolean(),
  riskLabels: z.array(RiskLabel).max(3),
  /** Cumulative return in percent, downsampled, oldest first: for a row's sparkline. */
  spark: finiteNumbers(200),
  watched: z.boolean(),
});
export type ModelRow = z.infer<typeof ModelRow>;

/** List sort keys that are track-record figures: main/records sorts by its own column of the same name. */
export const RECORD_SORT_KEYS = [
  'name',
  'return20Pct',
  'return3mPct',
  'return1yPct',
  'sharpe',
  'maxDrawdownPct',
  'feeBps',
  'rounds',
  'currentStakeNmr',
] as const;
export type RecordSortKey = (typeof RECORD_SORT_KEYS)[number];
/** List sort keys that are the pool's figures: the records have no column for them. */
export const POOL_SORT_KEYS = ['delegatedWei', 'capacityLeftWei'] as const;
export const SortKey = z.enum([...RECORD_SORT_KEYS, ...POOL_SORT_KEYS]);
export type SortKey = z.infer<typeof SortKey>;

export function isRecordSortKey(key: SortKey): key is RecordSortKey {
  return (RECORD_SORT_KEYS as readonly string[]).includes(key);
}
export const SortDir = z.enum(['asc', 'desc']);
export type SortDir = z.infer<typeof SortDir>;

/** Which models a list shows: "pool": models one can delegate to; "all": every model with a track record; or the watchlist. */
export const ModelScope = z.enum(['pool', 'all', 'watchlist']);
export type ModelScope = z.infer<typeof ModelScope>;

/** One chart point of a model page. Scores are null where Numerai reported none. */
export const DetailPoint = z.strictObject({
  round: Round,
  /** When the round resolved (ms since 1970); null where the calendar does not say. */
  timeMs: z.number().finite().nullable(),
  /** The round's return, percent. */
  returnPct: z.number().finite(),
  /** Compounded return from the start of the record to this round, percent. */
  cumulativePct: z.number().finite(),
  corr20: FiniteOrNull,
  mmc: FiniteOrNull,
  tc: FiniteOrNull,
  /** The model's stake at risk in the round, whole NMR, for charts only. */
  stakeNmr: z.number().finite(),
});
export type DetailPoint = z.infer<typeof DetailPoint>;

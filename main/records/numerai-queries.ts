/**
 * The GraphQL queries this app sends to Numerai, and zod schemas for what comes back.
 *
 * Every query is one that numerapi (github.com/numerai/numerapi) sends, with its field names; the
 * selections are cut down to the fields we use (fewer fields, fewer ways to break):
 *   v2Leaderboard(limit, offset)             numerapi.NumerAPI.get_leaderboard        (classic, 8)
 *     (nmrStaked, rank, username, and for classic and Crypto return_13_weeks, return_52_weeks)
 *   signalsLeaderboard(limit, offset)        numerapi.SignalsAPI.get_leaderboard      (signals, 11)
 *   cryptosignalsLeaderboard(limit, offset)  numerapi.CryptoAPI.get_leaderboard       (crypto, 12)
 *   v3UserProfile(modelName, tournament)     public_user_profile / stake_get          (id = model UUID)
 *   rounds(tournament, number: 0)            base_api.Api.get_current_round
 *   v2RoundModelPerformances(modelId, tournament, lastNRounds)
 *                                            base_api.Api.round_model_performances_v2 (+ lastNRounds,
 *                                            an argument of the same field that numerapi's own
 *                                            scripts and the docs use to fetch only recent rounds)
 * None of the leaderboards takes a `tournament` argument: each tournament has its own field.
 *
 * Money fields (nmrStaked, atRisk, payoutPending, payoutSettled) are NMR decimal strings and are
 * parsed to bigint wei exactly; a number is accepted too (the Signals leaderboard has sent floats).
 */
import { z } from 'zod';
import { parseNmrWei } from './nmr-decimal';
import type { Tournament } from './types';

/** Numerai's tournament ids. */
export const TOURNAMENT_IDS: Readonly<Record<Tournament, number>> = { classic: 8, signals: 11, crypto: 12 };

export const LEADERBOARD_FIELD: Readonly<Record<Tournament, 'v2Leaderboard' | 'signalsLeaderboard' | 'cryptosignalsLeaderboard'>> = {
  classic: 'v2Leaderboard',
  signals: 'signalsLeaderboard',
  crypto: 'cryptosignalsLeaderboard',
};

/**
 * Numerai's own return figures on a leaderboard entry, as numerapi selects them: classic
 * (`NumerAPI.get_leaderboard`) and Crypto (`CryptoAPI.get_leaderboard`) list `return_13_weeks` and
 * `return_52_weeks`; numerapi's Signals leaderboard selects neither (asking for a field a type does
 * not have fails the whole query), so Signals entries carry rank and stake only.
 */
export const LEADERBOARD_RETURNS: Readonly<Record<Tournament, boolean>> = { classic: true, signals: false, crypto: true };

/**
 * Entries asked for per leaderboard page. numerapi defaults to 50 and states no maximum; public
 * scripts read the whole classic leaderboard with `limit: 10000` in one request. A server that
 * caps pages lower is handled by the refresh (it pages on from `offset + received`), so this is a
 * ceiling, not a promise. What would settle it: Numerai's schema or an answer of the real API to
 * `v2Leaderboard(limit: 20000)`.
 */
export const LEADERBOARD_PAGE_LIMIT = 10_000;

export function leaderboardQuery(t: Tournament): string {
  const field = LEADERBOARD_FIELD[t];
  const returns = LEADERBOARD_RETURNS[t] ? '\n      return_13_weeks\n      return_52_weeks' : '';
  return `
  query($limit: Int!
        $offset: Int!) {
    ${field}(limit: $limit
             offset: $offset) {
      nmrStaked
      rank
      username${returns}
    }
  }`;
}

export const MODEL_PROFILE_QUERY = `
  query($modelName: String!
        $tournament: Int) {
    v3UserProfile(modelName: $modelName
                  tournament: $tournament) {
      id
      username
      startDate
      nmrStaked
    }
  }`;

export const CURRENT_ROUND_QUERY = `
  query($tournament: Int!) {
    rounds(tournament: $tournament
           number: 0) {
      number
    }
  }`;

export const ROUND_PERFORMANCES_QUERY = `
  query($modelId: String!
        $tournament: Int!
        $lastNRounds: Int) {
    v2RoundModelPerformances(modelId: $modelId
                             tournament: $tournament
                             lastNRounds: $lastNRounds) {
      atRisk
      corrMultiplier
      mmcMultiplier
      roundPayoutFactor
      roundNumber
      roundOpenTime
      roundResolveTime
      roundResolved
      roundTarget
      submissionScores {
        date
        day
        displayName
        payoutPending
        payoutSettled
        percentile
        value
      }
    }
  }`;

// ---------------------------------------------------------------------------------------------
// Schemas

/** NMR decimal (string, or a JSON number) → wei. */
export const NmrDecimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseNmrWei(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `expected an NMR decimal: ${(e as Error).message}` });
    return z.NEVER;
  }
});

/** ISO-8601 date-time → epoch ms. */
export const IsoTime = z.string().transform((v, ctx) => {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: `expected a date-time, got "${v.slice(0, 40)}"` });
    return z.NEVER;
  }
  return t;
});

/** A ratio that may come as a number or a decimal string (payout factors are strings). */
export const Ratio = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const x = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isFinite(x) || (typeof v === 'string' && v.trim() === '')) {
    ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(v).slice(0, 40)}` });
    return z.NEVER;
  }
  return x;
});

/**
 * A leaderboard return as a percentage. numerapi passes `return_13_weeks`/`return_52_weeks` through
 * untouched, and its own test data (CryptoAPI's: 0.15, 0.4) are fractions, so 0.15 is read as
 * 15 %. This one function holds that choice; a recorded answer of the real API would settle it.
 */
export function leaderboardReturnPct(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : v * 100;
}

export const LeaderboardEntrySchema = z.object({
  username: z.string().min(1).max(200),
  rank: z.number().int().nullish(),
  nmrStaked: NmrDecimal.nullish(),
  return_13_weeks: z.number().finite().nullish(),
  return_52_weeks: z.number().finite().nullish(),
});
export type LeaderboardEntryData = z.output<typeof LeaderboardEntrySchema>;

/** The page itself must be a list; its entries are checked one by one (a bad one is skipped). */
export function leaderboardSchema(t: Tournament) {
  return z.object({ [LEADERBOARD_FIELD[t]]: z.array(z.unknown()) }) as z.ZodType<Record<string, unknown[]>>;
}

export const ModelProfileSchema = z.object({
  v3UserProfile: z
    .object({
      id: z.string().min(1),
      username: z.string(),
      startDate: IsoTime.nullish(),
      nmrStaked: NmrDecimal.nullish(),
    })
    .nullable(),
});

export const CurrentRoundSchema = z.object({
  rounds: z.array(z.object({ number: z.number().int().positive() }).nullable()).nullable(),
});

export const SubmissionScoreSchema = z.object({
  date: z.string().nullish(),
  day: z.number().int().nullish(),
  displayName: z.string(),
  payoutPending: NmrDecimal.nullish(),
  payoutSettled: NmrDecimal.nullish(),
  percentile: z.number().nullish(),
  value: z.number().nullish(),
});
export type SubmissionScore = z.output<typeof SubmissionScoreSchema>;

export const RoundPerformanceSchema = z.object({
  atRisk: NmrDecimal.nullish(),
  corrMultiplier: z.number().nullish(),
  mmcMultiplier: z.number().nullish(),
  roundPayoutFactor: Ratio.nullish(),
  roundNumber: z.number().int().positive(),
  roundOpenTime: IsoTime.nullish(),
  roundResolveTime: IsoTime.nullish(),
  roundResolved: z.boolean().nullish(),
  roundTarget: z.string().nullish(),
  submissionScores: z.array(SubmissionScoreSchema).nullish(),
});
export type RoundPerformance = z.output<typeof RoundPerformanceSchema>;

export const RoundPerformancesSchema = z.object({
  v2RoundModelPerformances: z.array(RoundPerformanceSchema).nullable(),
});

/**
 * Track records from Numerai's public GraphQL API (see numerai-queries.ts for the queries and where
 * they come from).
 *
 * One model's history takes up to three requests: its profile (`v3UserProfile`, for the model UUID
 * and its stake; skipped when the UUID is already known), the tournament's current round (once per
 * tournament per 10 minutes, only for an incremental refresh) and its per-round performances
 * (`v2RoundModelPerformances`, with `lastNRounds` covering just the rounds after the cached one).
 *
 * Mapping one round (only resolved rounds become rows; unresolved ones are fetched again later):
 *   stake at risk   atRisk (exact wei)
 *   payout          payoutSettled of the submission scores (payoutPending if none is settled): when
 *                   several scores carry the same figure it is the round's payout repeated; differing
 *                   figures are parts of it and are summed
 *   returnBps       payout / atRisk · 10,000 — computed in bigint, then a float — clipped to ±500
 *                   (the pool's bound, Numerai's ±5 %)
 *   no stake        a round with nothing at risk (atRisk 0, "0E-18") has no payout to divide; its
 *                   return is what the stake would have earned by Numerai's payout rule:
 *                   clip(payoutFactor · (corrMultiplier · CORR + mmcMultiplier · MMC), ±5 %). Without
 *                   the factor, multipliers or scores it cannot be known, and the round is skipped
 *                   (counted in `skippedRounds`)
 *   corr20/mmc/tc   from submissionScores by displayName, whichever the API uses (see SCORE_NAMES)
 *   stakeNmr        atRisk as a float, for charts
 *   resolveTimeMs   roundResolveTime
 */
import { NumeraiApiError, createNumeraiClient, formatPath, type NumeraiClient, type NumeraiClientOptions } from './numerai-client';
import {
  CURRENT_ROUND_QUERY,
  CurrentRoundSchema,
  LEADERBOARD_FIELD,
  LeaderboardEntrySchema,
  MODEL_PROFILE_QUERY,
  ModelProfileSchema,
  ROUND_PERFORMANCES_QUERY,
  RoundPerformancesSchema,
  TOURNAMENT_IDS,
  leaderboardQuery,
  leaderboardReturnPct,
  leaderboardSchema,
  type RoundPerformance,
  type SubmissionScore,
} from './numerai-queries';
import type { EntryIssue, LeaderboardEntry, ModelHistory, TrackRecordSource } from './source';
import { weiToNmrFloat } from '../../shared/money';
import { MAX_ABS_RETURN_BPS, type RoundColumns, type Tournament } from './types';

/**
 * displayNames of the scores, most preferred first, compared case-insensitively. Numerai has named
 * CORR20 "v2_corr20" (classic, 2023–), "corr20V2"/"CORR20" elsewhere, "corr20"/"canon_corr" in
 * newer payloads and plain "corr" in Signals and Crypto; MMC as "mmc", "mmc20" or "canon_mmc".
 */
export const SCORE_NAMES = {
  corr20: ['v2_corr20', 'corr20v2', 'corr20_v2', 'corr20', 'canon_corr', 'corr'],
  mmc: ['mmc', 'mmc20', 'canon_mmc', 'mmc20d'],
  tc: ['tc', 'canon_tc'],
} as const;

const MAX_FRACTION = MAX_ABS_RETURN_BPS / 10_000;

function pickScore(byName: Map<string, number>, names: readonly string[]): number {
  for (const n of names) {
    const v = byName.get(n);
    if (v !== undefined) return v;
  }
  return Number.NaN;
}

/** The round's payout in wei, or null when no score carries one. */
export function roundPayoutWei(scores: readonly SubmissionScore[], resolved: boolean): bigint | null {
  const pick = (key: 'payoutSettled' | 'payoutPending'): bigint | null => {
    const values: bigint[] = [];
    for (const s of scores) {
      const v = s[key];
      if (v !== null && v !== undefined) values.push(v);
    }
    if (values.length === 0) return null;
    if (values.every((v) => v === values[0])) return values[0]!;
    return values.reduce((a, b) => a + b, 0n);
  };
  return (resolved ? pick('payoutSettled') : null) ?? pick('payoutPending');
}

export interface MappedRounds extends RoundColumns {
  resolveTimeMs: Float64Array;
  /** Stake at risk in the latest row (exact). */
  lastAtRiskWei: bigint | null;
  skipped: number;
}

/**
 * Resolved rounds after `sinceRound`, ascending, as columns (see the file comment for the rules).
 * Duplicated round numbers keep the first entry and count as skipped.
 */
export function mapRoundPerformances(perfs: readonly RoundPerformance[], sinceRound = -Infinity): MappedRounds {
  const rows = perfs.filter((p) => p.roundResolved === true && p.roundNumber > sinceRound).sort((a, b) => a.roundNumber - b.roundNumber);
  const n = rows.length;
  const out = {
    rounds: new Int32Array(n),
    returnBps: new Float32Array(n),
    corr20: new Float32Array(n),
    mmc: new Float32Array(n),
    tc: new Float32Array(n),
    stakeNmr: new Float32Array(n),
    resolveTimeMs: new Float64Array(n),
  };
  let k = 0;
  let skipped = 0;
  let prev = -Infinity;
  let lastAtRiskWei: bigint | null = null;
  const byName = new Map<string, number>();
  for (const p of rows) {
    if (p.roundNumber === prev) {
      skipped++;
      continue;
    }
    prev = p.roundNumber;
    const scores = p.submissionScores ?? [];
    byName.clear();
    for (const s of scores) {
      const key = s.displayName.toLowerCase();
      if (typeof s.value === 'number' && Number.isFinite(s.value) && !byName.has(key)) byName.set(key, s.value);
    }
    const corr20 = pickScore(byName, SCORE_NAMES.corr20);
    const mmc = pickScore(byName, SCORE_NAMES.mmc);
    const tc = pickScore(byName, SCORE_NAMES.tc);
    const atRisk = p.atRisk ?? 0n;
    const payout = roundPayoutWei(scores, true);
    let ret: number;
    if (atRisk > 0n && payout !== null) {
      // payout / atRisk in bps with 1e-8 bps resolution, exact up to that point.
      ret = Number((payout * 10n ** 12n) / atRisk) / 1e8;
    } else {
      const pf = p.roundPayoutFactor;
      const cm = p.corrMultiplier;
      const mm = p.mmcMultiplier ?? 0;
      const usesMmc = mm !== 0;
      if (pf == null || cm == null || !Number.isFinite(corr20) || (usesMmc && !Number.isFinite(mmc))) {
        skipped++;
        continue;
      }
      const f = pf * (cm * corr20 + (usesMmc ? mm * mmc : 0));
      ret = Math.max(-MAX_FRACTION, Math.min(MAX_FRACTION, f)) * 10_000;
    }
    if (!Number.isFinite(ret)) {
      skipped++;
      continue;
    }
    out.rounds[k] = p.roundNumber;
    out.returnBps[k] = Math.max(-MAX_ABS_RETURN_BPS, Math.min(MAX_ABS_RETURN_BPS, ret));
    out.corr20[k] = corr20;
    out.mmc[k] = mmc;
    out.tc[k] = tc;
    out.stakeNmr[k] = atRisk > 0n ? weiToNmrFloat(atRisk) : 0;
    out.resolveTimeMs[k] = p.roundResolveTime ?? Number.NaN;
    lastAtRiskWei = atRisk;
    k++;
  }
  return {
    rounds: out.rounds.subarray(0, k),
    returnBps: out.returnBps.subarray(0, k),
    corr20: out.corr20.subarray(0, k),
    mmc: out.mmc.subarray(0, k),
    tc: out.tc.subarray(0, k),
    stakeNmr: out.stakeNmr.subarray(0, k),
    resolveTimeMs: out.resolveTimeMs.subarray(0, k),
    lastAtRiskWei,
    skipped,
  };
}

export interface NumeraiSourceOptions extends NumeraiClientOptions {
  /** A client to share (its rate limit is then shared too); otherwise one is made from the options. */
  client?: NumeraiClient;
  /** How long a tournament's current round number is reused (default 10 min). */
  currentRoundTtlMs?: number;
  now?: () => number;
}

export interface NumeraiSource extends TrackRecordSource {
  readonly kind: 'numerai';
  readonly client: NumeraiClient;
  /** The tournament's current round (`rounds(number: 0)`), or null when the API has none open. */
  currentRound(tournament: Tournament, signal?: AbortSignal): Promise<number | null>;
}

export function createNumeraiSource(opts: NumeraiSourceOptions = {}): NumeraiSource {
  const client = opts.client ?? createNumeraiClient(opts);
  const ttl = opts.currentRoundTtlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  /** Per tournament: the current round, or the request for it in flight (concurrent callers share it). */
  const roundCache = new Map<Tournament, { atMs: number; round: Promise<number | null> }>();

  function currentRound(tournament: Tournament, signal?: AbortSignal): Promise<number | null> {
    const hit = roundCache.get(tournament);
    if (hit && now() - hit.atMs < ttl) return hit.round;
    const round = client
      .request({ query: CURRENT_ROUND_QUERY, variables: { tournament: TOURNAMENT_IDS[tournament] } }, CurrentRoundSchema, signal)
      .then(
        (data) => data.rounds?.[0]?.number ?? null,
        (e: unknown) => {
          // Between rounds the API answers "current round not open" (numerapi notes it): no number.
          if (e instanceof NumeraiApiError && e.code === 'graphql') return null;
          roundCache.delete(tournament); // not cached: the next caller asks again
          throw e;
        },
      );
    roundCache.set(tournament, { atMs: now(), round });
    return round;
  }

  return {
    kind: 'numerai',
    client,
    currentRound,

    async leaderboard({ tournament, limit, offset, signal }) {
      const field = LEADERBOARD_FIELD[tournament];
      const data = await client.request(
        { query: leaderboardQuery(tournament), variables: { limit, offset } },
        leaderboardSchema(tournament),
        signal,
      );
      const raw = data[field]!;
      const entries: LeaderboardEntry[] = [];
      const issues: EntryIssue[] = [];
      raw.forEach((item, index) => {
        const r = LeaderboardEntrySchema.safeParse(item);
        if (r.success) {
          entries.push({
            name: r.data.username,
            rank: r.data.rank ?? null,
            stakeWei: r.data.nmrStaked ?? null,
            return3mPct: leaderboardReturnPct(r.data.return_13_weeks),
            return1yPct: leaderboardReturnPct(r.data.return_52_weeks),
          });
        } else {
          const issue = r.error.issues[0];
          const name =
            item && typeof item === 'object' && typeof (item as { username?: unknown }).username === 'string'
              ? (item as { username: string }).username
              : undefined;
          issues.push({
            index,
            ...(name === undefined ? {} : { name }),
            field: formatPath(`${field}[${offset + index}]`, issue?.path ?? []),
            message: issue?.message ?? 'invalid',
          });
        }
      });
      return { tournament, entries, received: raw.length, issues };
    },

    async modelHistory(name, { tournament, sinceRound, sourceId, signal }): Promise<ModelHistory> {
      const t = TOURNAMENT_IDS[tournament];
      let modelId = sourceId;
      let stakeWei: bigint | undefined;
      if (modelId === undefined) {
        const p = await client.request(
          { query: MODEL_PROFILE_QUERY, variables: { modelName: name, tournament: t }, model: name },
          ModelProfileSchema,
          signal,
        );
        if (!p.v3UserProfile) throw new NumeraiApiError('not_found', `Numerai has no ${tournament} model named "${name}"`, { model: name });
        modelId = p.v3UserProfile.id;
        if (p.v3UserProfile.nmrStaked != null) stakeWei = p.v3UserProfile.nmrStaked;
      }
      const variables: Record<string, unknown> = { modelId, tournament: t };
      if (sinceRound !== undefined) {
        const current = await currentRound(tournament, signal);
        // Rounds open after the cached one, resolved or not; without a current round, everything.
        if (current !== null) variables.lastNRounds = Math.max(1, current - sinceRound + 1);
      }
      const data = await client.request({ query: ROUND_PERFORMANCES_QUERY, variables, model: name }, RoundPerformancesSchema, signal);
      const m = mapRoundPerformances(data.v2RoundModelPerformances ?? [], sinceRound);
      const currentStakeWei = stakeWei ?? (sinceRound === undefined ? (m.lastAtRiskWei ?? 0n) : undefined);
      return {
        name,
        tournament,
        startRound: m.rounds.length > 0 ? m.rounds[0]! : sinceRound === undefined ? 0 : sinceRound + 1,
        isDemo: false,
        operatorFeeBps: 0,
        rounds: m.rounds,
        returnBps: m.returnBps,
        corr20: m.corr20,
        mmc: m.mmc,
        tc: m.tc,
        stakeNmr: m.stakeNmr,
        resolveTimeMs: m.resolveTimeMs,
        ...(currentStakeWei === undefined ? {} : { currentStakeWei }),
        sourceId: modelId,
        skippedRounds: m.skipped,
      };
    },
  };
}

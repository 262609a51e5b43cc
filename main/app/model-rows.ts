import type { ModelRow, RiskLabel, SortKey } from '../../shared/api';
import { Wei } from '../../shared/money';
import type { ModelListRow, SortValue } from '../records';
import type { OnChainModel } from './chain-session';

/** Labels a careful holder should see before choosing a model; thresholds are documented in the UI. */
export function riskLabels(r: ModelListRow): RiskLabel[] {
  // A history still on its way is not "no record": the list says it is loading.
  if (r.rounds === 0) return r.historyLoading ? [] : ['no-record'];
  const labels: RiskLabel[] = [];
  if (r.maxDrawdownPct !== null && r.maxDrawdownPct >= 35) labels.push('deep-drawdown');
  if (r.rounds < 60) labels.push('short-record');
  if (r.stdevReturnBps !== null && r.stdevReturnBps >= 250) labels.push('volatile');
  return labels;
}

/** A list row's sparkline as sent: each point to 2 decimals (a line a few pixels high needs no more). */
export function listSpark(points: readonly number[]): number[] {
  return points.map((v) => Number(v.toFixed(2)));
}

/**
 * One list row: the track record joined with the pool's figures when the model is in the pool.
 * `spark` is the row's sparkline as listSpark gives it (made once per model, not per row).
 */
export function modelRow(r: ModelListRow, chain: OnChainModel | undefined, spark: number[], isDemo: boolean, watched = false): ModelRow {
  const delegated = chain ? chain.stakeWei + chain.pendingInWei : 0n;
  const room = chain ? chain.capWei - delegated : null;
  return {
    name: r.name,
    modelId: chain?.modelId ?? null,
    isDemo,
    tournament: r.tournament,
    // The pool's fee; outside the pool the record's, where one is known (records/types.ts recordFeeBps).
    feeBps: chain?.feeBps ?? r.feeBps,
    capWei: chain ? Wei.encode(chain.capWei) : null,
    delegatedWei: Wei.encode(delegated),
    capacityLeftWei: room === null ? null : Wei.encode(room > 0n ? room : 0n),
    rounds: r.rounds,
    return20Pct: r.return20Pct,
    return3mPct: r.return3mPct,
    return1yPct: r.return1yPct,
    sharpe: r.sharpe,
    maxDrawdownPct: r.maxDrawdownPct,
    maxDrawdownRounds: r.maxDrawdownRounds,
    meanReturnPct: r.meanReturnBps === null ? null : r.meanReturnBps / 100,
    volatilityPct: r.stdevReturnBps === null ? null : r.stdevReturnBps / 100,
    hitRatePct: r.hitRatePct,
    numeraiStakeNmr: r.currentStakeNmr,
    numeraiRank: r.numeraiRank,
    historyLoading: r.historyLoading,
    riskLabels: riskLabels(r),
    spark,
    watched,
  };
}

/**
 * The record half of a row for a pool model with no track record (on a real network, a name
 * Numerai does not know, or before the first load): every figure blank, labelled 'no-record'.
 * The pool does not say which tournament a model is in; classic, Numerai's main one, is assumed.
 */
export function noRecordRow(name: string): ModelListRow {
  return {
    name,
    modelId: null,
    tournament: 'classic',
    isDemo: false,
    feeBps: null,
    rounds: 0,
    firstRound: null,
    lastRound: null,
    return20Pct: null,
    return3mPct: null,
    return1yPct: null,
    returnAllPct: null,
    rounds3m: 0,
    rounds1y: 0,
    meanReturnBps: null,
    stdevReturnBps: null,
    sharpe: null,
    maxDrawdownPct: null,
    maxDrawdownRounds: null,
    hitRatePct: null,
    corr20Mean: null,
    mmcMean: null,
    tcMean: null,
    currentStakeNmr: '0',
    numeraiRank: null,
    historyLoading: false,
  };
}

/**
 * A row's figure for a list sort key, for the records' sort engine (main/records/query.ts) to
 * order rows held in memory: pool amounts as exact bigint wei, null where there is no figure.
 */
export function rowSortValue(key: Exclude<SortKey, 'name'>): (r: ModelRow) => SortValue {
  switch (key) {
    case 'delegatedWei':
      return (r) => BigInt(r.delegatedWei);
    case 'capacityLeftWei':
      return (r) => (r.capacityLeftWei === null ? null : BigInt(r.capacityLeftWei));
    case 'currentStakeNmr':
      return (r) => Number(r.numeraiStakeNmr);
    default:
      return (r) => r[key];
  }
}

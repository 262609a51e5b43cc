/**
 * The benchmark baseline: the same metrics as `metrics.ts`, written the obvious way over plain
 * objects — an array of `{ round, returnBps, … }` per model, map/filter/reduce, one small array per
 * step. It exists to (1) show what the columnar version buys (`bench.ts`) and (2) cross-check the
 * fast version's numbers (`metrics.test.ts`). Do not use it in the app.
 */
import { BPS, METRIC_KEYS, LAST_ROUNDS, ROUNDS_PER_YEAR, WINDOW_1Y_MS, WINDOW_3M_MS, type MetricValues } from './metrics';
import { weiToNmrFloat } from '../../shared/money';
import { getModelRecord, recordFeeBps, type TrackRecordSet } from './types';

export interface BaselineRow {
  round: number;
  returnBps: number;
  corr20: number;
  mmc: number;
  tc: number;
  stakeNmr: number;
  resolveTimeMs: number;
}

export interface BaselineModel {
  name: string;
  feeBps: number;
  currentStakeNmr: number;
  rows: BaselineRow[];
}

/** Copies (some of) a set into plain objects. */
export function toBaselineModels(set: TrackRecordSet, indices?: readonly number[]): BaselineModel[] {
  const which = indices ?? set.models.map((_, i) => i);
  return which.map((i) => {
    const r = getModelRecord(set, i);
    const rows: BaselineRow[] = Array.from(r.rounds, (round, k) => ({
      round,
      returnBps: r.returnBps[k]!,
      corr20: r.corr20[k]!,
      mmc: r.mmc[k]!,
      tc: r.tc[k]!,
      stakeNmr: r.stakeNmr[k]!,
      resolveTimeMs: r.resolveTimeMs[k]!,
    }));
    return { name: r.name, feeBps: recordFeeBps(r) ?? Number.NaN, currentStakeNmr: weiToNmrFloat(r.currentStakeWei), rows };
  });
}

const compound = (rows: BaselineRow[]): number => rows.reduce((v, r) => v * (1 + r.returnBps * BPS), 1);
const mean = (xs: number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);

export function baselineModelMetrics(m: BaselineModel, asOfMs: number): MetricValues {
  const rows = m.rows;
  const n = rows.length;
  const out = Object.fromEntries(METRIC_KEYS.map((k) => [k, Number.NaN])) as MetricValues;
  out.rounds = n;
  out.feeBps = m.feeBps;
  out.currentStakeNmr = m.currentStakeNmr;
  out.rounds3m = 0;
  out.rounds1y = 0;
  if (n === 0) return out;

  const returns = rows.map((r) => r.returnBps);
  const in3m = rows.filter((r) => r.resolveTimeMs > asOfMs - WINDOW_3M_MS);
  const in1y = rows.filter((r) => r.resolveTimeMs > asOfMs - WINDOW_1Y_MS);
  out.firstRound = rows[0]!.round;
  out.lastRound = rows[n - 1]!.round;
  out.return20Pct = (compound(rows.slice(-LAST_ROUNDS)) - 1) * 100;
  out.return3mPct = in3m.length > 0 ? (compound(in3m) - 1) * 100 : Number.NaN;
  out.return1yPct = in1y.length > 0 ? (compound(in1y) - 1) * 100 : Number.NaN;
  out.returnAllPct = (compound(rows) - 1) * 100;
  out.rounds3m = in3m.length;
  out.rounds1y = in1y.length;

  const mu = mean(returns);
  const sd = n > 1 ? Math.sqrt(returns.map((x) => (x - mu) ** 2).reduce((s, x) => s + x, 0) / (n - 1)) : Number.NaN;
  out.meanReturnBps = mu;
  out.stdevReturnBps = sd;
  out.sharpe = sd > 0 ? (mu / sd) * Math.sqrt(ROUNDS_PER_YEAR) : Number.NaN;

  // Value path, then the worst peak-to-trough fall and how long it lasted.
  const path = [
    1,
    ...returns.map(
      (
        (v) => (x: number) =>
          (v = v * (1 + x * BPS))
      )(1),
    ),
  ];
  let best = { dd: 0, len: 0 };
  let peak = 0;
  let episode: { dd: number } | null = null;
  path.forEach((value, p) => {
    if (value >= path[peak]!) {
      if (episode && episode.dd > best.dd) best = { dd: episode.dd, len: p - peak };
      episode = null;
      peak = p;
    } else {
      const dd = 1 - value / path[peak]!;
      episode = { dd: Math.max(episode?.dd ?? 0, dd) };
    }
  });
  const open = episode as { dd: number } | null;
  if (open && open.dd > best.dd) best = { dd: open.dd, len: path.length - 1 - peak };
  out.maxDrawdownPct = best.dd * 100;
  out.maxDrawdownRounds = best.len;

  out.hitRatePct = (returns.filter((x) => x > 0).length / n) * 100;
  out.corr20Mean = mean(rows.map((r) => r.corr20).filter((x) => !Number.isNaN(x)));
  out.mmcMean = mean(rows.map((r) => r.mmc).filter((x) => !Number.isNaN(x)));
  out.tcMean = mean(rows.map((r) => r.tc).filter((x) => !Number.isNaN(x)));
  return out;
}

export function baselineMetrics(models: readonly BaselineModel[], asOfMs: number): MetricValues[] {
  return models.map((m) => baselineModelMetrics(m, asOfMs));
}

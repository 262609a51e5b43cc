/**
 * Track-record metrics, computed straight over the set's typed-array columns: one forward pass and
 * one short variance pass per model, no per-row objects. Results go to a columnar table (one
 * Float64Array per metric, one slot per model), which the list query sorts and filters.
 *
 * Notation for one model with rows j = 1..n (oldest first): r_j = returnBps_j / 10,000 (a return as
 * a fraction); the compounded value path is V_0 = 1, V_j = V_{j-1} · (1 + r_j).
 * NaN means "no figure" (not enough rounds, no rounds in the window…); it becomes null on the wire
 * and sorts last.
 *
 * `asOfMs` (default: the set's latest resolve date) anchors the calendar windows. A row is in the
 * "3 months" window when its round resolved after asOf − 91.3125 days (a quarter of 365.25 days),
 * in the "1 year" window when it resolved after asOf − 365.25 days.
 */
import { weiToNmrFloat } from '../../shared/money';
import type { ListedColumns } from './listing';
import { recordFeeBps, TrackRecordError, type RoundCalendar, type Tournament, type TrackRecordSet, TOURNAMENTS } from './types';

export const DAY_MS = 86_400_000;
export const WINDOW_3M_MS = (365.25 / 4) * DAY_MS;
export const WINDOW_1Y_MS = 365.25 * DAY_MS;
/** Rounds counted in "the last 20 rounds" (the model's own last 20 results, whatever their dates). */
export const LAST_ROUNDS = 20;
/**
 * Annualisation for the Sharpe-like ratio: 260 rounds a year, Numerai's daily rounds (one per
 * weekday). Applied to every model whatever its history's cadence, so it ranks models; it is not a
 * claim about an annual return.
 */
export const ROUNDS_PER_YEAR = 260;
const SQRT_ROUNDS_PER_YEAR = Math.sqrt(ROUNDS_PER_YEAR);
/** bps → fraction. A multiplication, not a division by 10,000: it is in the hottest loop. */
export const BPS = 1e-4;

/**
 * The metric columns. Units are in the names. Formulas (n rows, r_j, V_j as above):
 *
 * rounds            n, the number of resolved rounds in the track record.
 * firstRound, lastRound   first and last round number.
 * return20Pct       (V_n / V_{n−k} − 1) · 100 with k = min(20, n): Π(1 + r_j) − 1 over the model's
 *                   last 20 rows, in percent.
 * return3mPct       (Π over rows in the 3-month window of (1 + r_j) − 1) · 100; NaN if none.
 * return1yPct       the same over the 1-year window.
 * returnAllPct      (V_n − 1) · 100, all time.
 * rounds3m, rounds1y   number of rows in each window (so the UI can flag a young model's "1y").
 * meanReturnBps     μ = Σ returnBps_j / n.
 * stdevReturnBps    s = √( Σ (returnBps_j − μ)² / (n − 1) ), the sample standard deviation; NaN if n < 2.
 * sharpe            μ / s · √260 (see ROUNDS_PER_YEAR); NaN if n < 2 or s = 0.
 * maxDrawdownPct    max over j of (1 − V_j / max_{i≤j} V_i) · 100, a positive number: 25 means the
 *                   value fell 25 % below its earlier peak at worst. 0 if it never fell.
 * maxDrawdownRounds length of that worst episode in rounds: from the peak's index p (V_p, p = 0 is
 *                   the start) to the first q > p with V_q ≥ V_p (recovery), or to n if it has not
 *                   recovered: q − p (or n − p). The first such episode if several tie. 0 if no drawdown.
 * hitRatePct        #{ j : r_j > 0 } / n · 100.
 * corr20Mean, mmcMean, tcMean   mean of the score over rows where it is reported (not NaN).
 * currentStakeNmr   the model's current stake, from the exact wei figure, in NMR (float, for sorting).
 * feeBps            the operator fee, copied so the list can sort and filter on it; NaN where the
 *                   records know none (types.ts recordFeeBps).
 */
export const METRIC_KEYS = [
  'rounds',
  'firstRound',
  'lastRound',
  'return20Pct',
  'return3mPct',
  'return1yPct',
  'returnAllPct',
  'rounds3m',
  'rounds1y',
  'meanReturnBps',
  'stdevReturnBps',
  'sharpe',
  'maxDrawdownPct',
  'maxDrawdownRounds',
  'hitRatePct',
  'corr20Mean',
  'mmcMean',
  'tcMean',
  'currentStakeNmr',
  'feeBps',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricValues = Record<MetricKey, number>;

/** Metrics of every model of a set, one Float64Array per metric. */
export interface MetricsTable {
  readonly set: TrackRecordSet;
  readonly asOfMs: number;
  readonly size: number;
  readonly columns: Readonly<Record<MetricKey, Float64Array>>;
  /** A leaderboard's figures for models whose history is not in (listing.ts), when the set came with one. */
  readonly listed?: ListedColumns;
}

export interface MetricsOptions {
  asOfMs?: number;
}

/**
 * First round inside a window: 1 + the last round whose known resolve time is ≤ cutoff (rounds with
 * unknown dates are skipped). Rows with round ≥ the result are in the window.
 */
export function windowStartRound(cal: RoundCalendar, cutoffMs: number): number {
  const t = cal.resolveTimeMs;
  for (let k = t.length - 1; k >= 0; k--) {
    const v = t[k]!;
    if (v === v && v <= cutoffMs) return cal.firstRound + k + 1;
  }
  return cal.firstRound;
}

/** First index in rounds[a..b) with rounds[idx] ≥ round (b if none). */
function lowerBound(rounds: Int32Array, a: number, b: number, round: number): number {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rounds[mid]! < round) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Cuts {
  r3m: Record<Tournament, number>;
  r1y: Record<Tournament, number>;
}

function windowCuts(set: TrackRecordSet, asOfMs: number): Cuts {
  const r3m = { classic: 0, signals: 0, crypto: 0 };
  const r1y = { classic: 0, signals: 0, crypto: 0 };
  for (const t of TOURNAMENTS) {
    r3m[t] = windowStartRound(set.calendars[t], asOfMs - WINDOW_3M_MS);
    r1y[t] = windowStartRound(set.calendars[t], asOfMs - WINDOW_1Y_MS);
  }
  return { r3m, r1y };
}

function allocColumns(size: number): Record<MetricKey, Float64Array> {
  const cols = {} as Record<MetricKey, Float64Array>;
  for (const k of METRIC_KEYS) cols[k] = new Float64Array(size);
  return cols;
}

/** Computes model `i`'s metrics into slot `slot` of `c`. The hot loop: typed arrays only. */
function computeInto(set: TrackRecordSet, i: number, cuts: Cuts, c: Record<MetricKey, Float64Array>, slot: number): void {
  const a = set.offsets[i]!;
  const b = set.offsets[i + 1]!;
  const n = b - a;
  const info = set.models[i]!;
  c.rounds[slot] = n;
  c.feeBps[slot] = recordFeeBps(info) ?? Number.NaN;
  c.currentStakeNmr[slot] = weiToNmrFloat(set.currentStakeWei[i] ?? 0n);
  if (n === 0) {
    for (const k of METRIC_KEYS) if (k !== 'rounds' && k !== 'feeBps' && k !== 'currentStakeNmr') c[k][slot] = Number.NaN;
    c.rounds3m[slot] = 0;
    c.rounds1y[slot] = 0;
    return;
  }
  const rounds = set.rounds;
  const ret = set.returnBps;
  const corr = set.corr20;
  const mmc = set.mmc;
  const tc = set.tc;
  const k20 = b - Math.min(LAST_ROUNDS, n);
  const k3m = lowerBound(rounds, a, b, cuts.r3m[info.tournament]);
  const k1y = lowerBound(rounds, a, b, cuts.r1y[info.tournament]);

  let v = 1;
  let v20 = Number.NaN;
  let v3m = Number.NaN;
  let v1y = Number.NaN;
  let sum = 0;
  let hits = 0;
  // Sum and count of each score where Numerai reported one: corr20, mmc, tc.
  let [sc, nc, sm, nm, st, nt] = [0, 0, 0, 0, 0, 0];
  // Drawdown: current peak (value, path index), lowest value since it, worst episode so far.
  let peakV = 1;
  let peakP = 0;
  let troughV = 1;
  let ddMax = 0;
  let ddLen = 0;
  for (let j = a; j < b; j++) {
    if (j === k20) v20 = v;
    if (j === k3m) v3m = v;
    if (j === k1y) v1y = v;
    const x = ret[j]!;
    sum += x;
    if (x > 0) hits++;
    v *= 1 + x * BPS;
    if (v >= peakV) {
      if (troughV < peakV) {
        const dd = 1 - troughV / peakV;
        if (dd > ddMax) {
          ddMax = dd;
          ddLen = j + 1 - a - peakP;
        }
      }
      peakV = v;
      peakP = j + 1 - a;
      troughV = v;
    } else if (v < troughV) troughV = v;
    const cs = corr[j]!;
    if (cs === cs) {
      sc += cs;
      nc++;
    }
    const ms = mmc[j]!;
    if (ms === ms) {
      sm += ms;
      nm++;
    }
    const ts = tc[j]!;
    if (ts === ts) {
      st += ts;
      nt++;
    }
  }
  if (troughV < peakV) {
    const dd = 1 - troughV / peakV;
    if (dd > ddMax) {
      ddMax = dd;
      ddLen = n - peakP;
    }
  }
  const mean = sum / n;
  let ss = 0;
  for (let j = a; j < b; j++) {
    const d = ret[j]! - mean;
    ss += d * d;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;

  c.firstRound[slot] = rounds[a]!;
  c.lastRound[slot] = rounds[b - 1]!;
  c.return20Pct[slot] = (v / v20 - 1) * 100;
  c.return3mPct[slot] = k3m < b ? (v / v3m - 1) * 100 : Number.NaN;
  c.return1yPct[slot] = k1y < b ? (v / v1y - 1) * 100 : Number.NaN;
  c.returnAllPct[slot] = (v - 1) * 100;
  c.rounds3m[slot] = b - k3m;
  c.rounds1y[slot] = b - k1y;
  c.meanReturnBps[slot] = mean;
  c.stdevReturnBps[slot] = sd;
  c.sharpe[slot] = sd > 0 ? (mean / sd) * SQRT_ROUNDS_PER_YEAR : Number.NaN;
  c.maxDrawdownPct[slot] = ddMax * 100;
  c.maxDrawdownRounds[slot] = ddLen;
  c.hitRatePct[slot] = (hits / n) * 100;
  c.corr20Mean[slot] = nc > 0 ? sc / nc : Number.NaN;
  c.mmcMean[slot] = nm > 0 ? sm / nm : Number.NaN;
  c.tcMean[slot] = nt > 0 ? st / nt : Number.NaN;
}

/** Metrics of every model of the set (slot i = model i). */
export function computeMetrics(set: TrackRecordSet, opts: MetricsOptions = {}): MetricsTable {
  const asOfMs = opts.asOfMs ?? set.asOfMs;
  const size = set.models.length;
  const cuts = windowCuts(set, asOfMs);
  const columns = allocColumns(size);
  for (let i = 0; i < size; i++) computeInto(set, i, cuts, columns, i);
  return { set, asOfMs, size, columns };
}

/** Metrics of one model as a plain object (tests, detail page). */
export function modelMetrics(set: TrackRecordSet, i: number, opts: MetricsOptions = {}): MetricValues {
  if (!set.models[i]) throw new TrackRecordError(`no model at index ${i}`);
  const columns = allocColumns(1);
  computeInto(set, i, windowCuts(set, opts.asOfMs ?? set.asOfMs), columns, 0);
  return rowOf(columns, 0);
}

export function rowOf(columns: Readonly<Record<MetricKey, Float64Array>>, slot: number): MetricValues {
  const out = {} as MetricValues;
  for (const k of METRIC_KEYS) out[k] = columns[k][slot]!;
  return out;
}

/** Result of `correlationMatrix`: row-major k × k. */
export interface CorrelationMatrix {
  readonly models: readonly number[];
  /** Pearson correlation of per-round returns over the rounds both models have; NaN if too few. */
  readonly matrix: Float64Array;
  /** Number of overlapping rounds of each pair (diagonal: the model's own rounds). */
  readonly overlap: Int32Array;
}

/**
 * Calls `visit(i, j)` for each round two models both have, oldest first: rows [a0, a1) and [b0, b1)
 * of the set, each sorted by round, walked together.
 */
function forEachCommonRound(
  rounds: ArrayLike<number>,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  visit: (i: number, j: number) => void,
): void {
  for (let i = a0, j = b0; i < a1 && j < b1;) {
    const ri = rounds[i]!;
    const rj = rounds[j]!;
    if (ri < rj) i++;
    else if (rj < ri) j++;
    else visit(i++, j++);
  }
}

/**
 * Pairwise Pearson correlation of round returns over overlapping rounds:
 *   ρ_xy = Σ (x_j − x̄)(y_j − ȳ) / √( Σ (x_j − x̄)² · Σ (y_j − ȳ)² ),
 * j over the rounds both models have, x̄ and ȳ the means over those same rounds (two passes, for
 * accuracy). NaN when fewer than `minOverlap` rounds overlap (default 10) or a series is constant
 * over the overlap. The diagonal is 1 where defined.
 */
export function correlationMatrix(
  set: TrackRecordSet,
  modelIndices: readonly number[],
  opts: { minOverlap?: number } = {},
): CorrelationMatrix {
  const minOverlap = Math.max(2, opts.minOverlap ?? 10);
  const k = modelIndices.length;
  const matrix = new Float64Array(k * k);
  const overlap = new Int32Array(k * k);
  const rounds = set.rounds;
  const ret = set.returnBps;
  for (const m of modelIndices) if (!set.models[m]) throw new TrackRecordError(`no model at index ${m}`);
  for (let p = 0; p < k; p++) {
    for (let q = p; q < k; q++) {
      const ip = modelIndices[p]!;
      const iq = modelIndices[q]!;
      const a0 = set.offsets[ip]!;
      const a1 = set.offsets[ip + 1]!;
      const b0 = set.offsets[iq]!;
      const b1 = set.offsets[iq + 1]!;
      // Pass 1: overlap count and sums.
      let n = 0;
      let sx = 0;
      let sy = 0;
      forEachCommonRound(rounds, a0, a1, b0, b1, (i, j) => {
        sx += ret[i]!;
        sy += ret[j]!;
        n++;
      });
      let rho = Number.NaN;
      if (n >= minOverlap) {
        const mx = sx / n;
        const my = sy / n;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        forEachCommonRound(rounds, a0, a1, b0, b1, (i, j) => {
          const dx = ret[i]! - mx;
          const dy = ret[j]! - my;
          sxy += dx * dy;
          sxx += dx * dx;
          syy += dy * dy;
        });
        if (sxx > 0 && syy > 0) rho = p === q ? 1 : sxy / Math.sqrt(sxx * syy);
      }
      matrix[p * k + q] = rho;
      matrix[q * k + p] = rho;
      overlap[p * k + q] = n;
      overlap[q * k + p] = n;
    }
  }
  return { models: [...modelIndices], matrix, overlap };
}

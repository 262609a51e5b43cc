/**
 * Pure helpers that turn a model's round-by-round record (from `models.detail`) into what the model
 * page's charts draw: a time window, a re-based cumulative return, per-round bars grouped when there
 * are too many to see, scores and stake thinned to a few hundred points, and the round a "what if"
 * replay starts from. No React and no DOM here, so they are unit-tested and cheap to memoize.
 */
import type { DetailPoint } from '../../../../shared/api';
import { thin as thinSeries } from '../../../../shared/thin';

const DAY_MS = 86_400_000;

export type RangeKey = '3m' | '1y' | 'all';

/** The same windows as the list's "3 months" and "1 year" columns (main/records/metrics.ts). */
export const RANGES: readonly { key: RangeKey; label: string; ms: number | null; rounds: number | null }[] = [
  { key: '3m', label: '3 months', ms: (365.25 / 4) * DAY_MS, rounds: 65 },
  { key: '1y', label: '1 year', ms: 365.25 * DAY_MS, rounds: 260 },
  { key: 'all', label: 'All', ms: null, rounds: null },
];

export function rangeOf(key: RangeKey) {
  return RANGES.find((r) => r.key === key)!;
}

/** Most bars a chart shows; more rounds than this are grouped, several rounds a bar. */
export const MAX_BARS = 280;
/**
 * Most points a line chart gets. About one point per 3–4 px of a chart at 1280 px: more points do
 * not change what the eye sees (main downsamples with LTTB, which keeps peaks and troughs) but each
 * costs recharts time: 250 points draw within 1.2× of 10 (npm run bench: renderer.chart_1500_render_ms
 * against renderer.chart_floor_ms), 400 took 1.3–1.5×.
 */
export const MAX_LINE_POINTS = 250;
/** Points the model page asks main for first (the "All" view); the full record follows for the others. */
export const OVERVIEW_POINTS = MAX_LINE_POINTS;
/** Scores swing a lot from round to round: averaged over groups of rounds down to this many points, the trend reads. */
export const MAX_SCORE_POINTS = 70;

export interface Window {
  /** Rows inside the window, oldest first. */
  points: DetailPoint[];
  /** The last row before the window (the value the window's return is measured from); null for "all" or a short record. */
  baseline: DetailPoint | null;
  /** True when the record is shorter than the window asked for (the window is then the whole record). */
  shorter: boolean;
}

/**
 * The rows that resolved within `ms` of the record's latest resolve date — a row is in the window
 * when it resolved after (latest − ms), as in main's metrics. Without dates, the last `rounds` rows.
 */
export function windowOf(series: readonly DetailPoint[], range: { ms: number | null; rounds: number | null }): Window {
  if (range.ms === null || series.length === 0) return { points: [...series], baseline: null, shorter: false };
  let anchor: number | null = null;
  for (let k = series.length - 1; k >= 0 && anchor === null; k--) anchor = series[k]!.timeMs;
  let j = -1;
  if (anchor !== null) {
    const cutoff = anchor - range.ms;
    for (let k = series.length - 1; k >= 0; k--) {
      const t = series[k]!.timeMs;
      if (t !== null && t <= cutoff) {
        j = k;
        break;
      }
    }
  } else if (range.rounds !== null) j = series.length - 1 - range.rounds;
  if (j < 0) return { points: [...series], baseline: null, shorter: true };
  return { points: series.slice(j + 1), baseline: series[j]!, shorter: false };
}

/** Cumulative return re-based to the window's start: 0% at the baseline, then compounded. */
export function rebased(w: Window): { round: number; cumulativePct: number }[] {
  if (!w.baseline) return w.points.map((p) => ({ round: p.round, cumulativePct: p.cumulativePct }));
  const base = 1 + w.baseline.cumulativePct / 100;
  return [
    { round: w.baseline.round, cumulativePct: 0 },
    ...w.points.map((p) => ({ round: p.round, cumulativePct: ((1 + p.cumulativePct / 100) / base - 1) * 100 })),
  ];
}

/** The compounded return over the window, percent; null when the window is empty. */
export function windowReturnPct(w: Window): number | null {
  const last = w.points.at(-1);
  if (!last) return null;
  const base = w.baseline ? 1 + w.baseline.cumulativePct / 100 : 1;
  return ((1 + last.cumulativePct / 100) / base - 1) * 100;
}

/** Keeps at most `max` points, evenly spaced, first and last kept. */
export function thin<T>(points: readonly T[], max = MAX_LINE_POINTS): T[] {
  return thinSeries(points, max);
}

/** Rounds per bar so that n rounds fit in at most `max` bars. */
export function groupSize(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / max));
}

/** A bar of a signed value by round: gains drawn up in green, losses down in red. */
export interface SignedBar {
  round: number;
  /** Last round in the bar (same as `round` when a bar is one round). */
  toRound: number;
  gain: number | null;
  loss: number | null;
}

export interface BarPoint extends SignedBar {
  returnPct: number;
}

/**
 * One bar per round, or — when there are more than `max` rounds — one bar per group of consecutive
 * rounds with the group's compounded return, so every round still counts (a sample would not).
 */
export function roundBars(points: readonly DetailPoint[], max = MAX_BARS): { bars: BarPoint[]; roundsPerBar: number } {
  const k = groupSize(points.length, max);
  const bars: BarPoint[] = [];
  for (let i = 0; i < points.length; i += k) {
    const chunk = points.slice(i, i + k);
    let v = 1;
    for (const p of chunk) v *= 1 + p.returnPct / 100;
    const r = k === 1 ? chunk[0]!.returnPct : (v - 1) * 100;
    bars.push({ round: chunk[0]!.round, toRound: chunk.at(-1)!.round, returnPct: r, gain: r > 0 ? r : null, loss: r < 0 ? r : null });
  }
  return { bars, roundsPerBar: k };
}

export interface ScorePoint {
  round: number;
  toRound: number;
  corr20: number | null;
  mmc: number | null;
  tc: number | null;
}

function mean(values: (number | null)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    s += v;
    n++;
  }
  return n === 0 ? null : s / n;
}

/** Scores per round, or averaged over groups of consecutive rounds when there are more than `max`. */
export function scorePoints(points: readonly DetailPoint[], max = MAX_SCORE_POINTS): { points: ScorePoint[]; roundsPerPoint: number } {
  const k = groupSize(points.length, max);
  const out: ScorePoint[] = [];
  for (let i = 0; i < points.length; i += k) {
    const c = points.slice(i, i + k);
    out.push({
      round: c[0]!.round,
      toRound: c.at(-1)!.round,
      corr20: mean(c.map((p) => p.corr20)),
      mmc: mean(c.map((p) => p.mmc)),
      tc: mean(c.map((p) => p.tc)),
    });
  }
  return { points: out, roundsPerPoint: k };
}

/** The model's stake after each round (thinned). */
export function stakePoints(points: readonly DetailPoint[], max = MAX_LINE_POINTS): { round: number; stakeNmr: number }[] {
  return thin(points, max).map((p) => ({ round: p.round, stakeNmr: p.stakeNmr }));
}

export interface RoundSummary {
  rounds: number;
  gains: number;
  best: { round: number; returnPct: number } | null;
  worst: { round: number; returnPct: number } | null;
}

/** Count of rounds, how many gained, the best and the worst — the words under the bar chart. */
export function summarize(points: readonly DetailPoint[]): RoundSummary {
  let best: RoundSummary['best'] = null;
  let worst: RoundSummary['worst'] = null;
  let gains = 0;
  for (const p of points) {
    if (p.returnPct > 0) gains++;
    if (!best || p.returnPct > best.returnPct) best = { round: p.round, returnPct: p.returnPct };
    if (!worst || p.returnPct < worst.returnPct) worst = { round: p.round, returnPct: p.returnPct };
  }
  return { rounds: points.length, gains, best, worst };
}

export type StartChoice = { kind: '3m' } | { kind: '1y' } | { kind: 'first' } | { kind: 'round'; text: string };

/**
 * The round during which the replayed NMR is delegated (`models.backtest`'s fromRound). Its first
 * result is the next round's. "3 months ago" is the last round that resolved before the window, so
 * the replay covers the same rounds as the "3 months" figure.
 */
export function resolveStart(choice: StartChoice, series: readonly DetailPoint[], name: string): { fromRound: number } | { error: string } {
  const first = series[0]?.round;
  const last = series.at(-1)?.round;
  if (first === undefined || last === undefined) return { error: `${name} has no results to replay yet.` };
  if (last <= first) return { error: `${name} has only one round of results: there is nothing to replay yet.` };
  const rn = (r: number) => formatRound(r);
  if (choice.kind === 'first') return { fromRound: first };
  if (choice.kind === '3m' || choice.kind === '1y') {
    const range = rangeOf(choice.kind);
    const w = windowOf(series, range);
    if (!w.baseline)
      return {
        error: `${name}'s record is shorter than ${range.label}: it starts at round ${rn(first)}. Choose “At its first round” or a round from ${rn(first)} to ${rn(last - 1)}.`,
      };
    return { fromRound: w.baseline.round };
  }
  const text = choice.text.trim();
  if (text === '') return { error: 'Enter a round number, such as ' + rn(Math.max(first, last - 65)) + '.' };
  if (!/^\d{1,10}$/.test(text))
    return { error: `“${choice.text}” is not a round number. Enter a whole number, such as ${rn(Math.max(first, last - 65))}.` };
  const r = Number(text);
  if (r < first)
    return {
      error: `Round ${rn(r)} is before ${name}'s first round. Its record starts at round ${rn(first)}: choose a round from ${rn(first)} to ${rn(last - 1)}.`,
    };
  if (r >= last)
    return {
      error: `Round ${rn(last)} is ${name}'s latest result, so a start at round ${rn(r)} has nothing to replay. Choose a round from ${rn(first)} to ${rn(last - 1)}.`,
    };
  return { fromRound: r };
}

const roundFormat = new Intl.NumberFormat(undefined, { useGrouping: false, maximumFractionDigits: 0 });
/** Round numbers read like Numerai's ("round 1035"), in the user's digits, without grouping. */
export function formatRound(r: number): string {
  return roundFormat.format(r);
}

/** Tick spacing for a category X axis: about `ticks` labels whatever the number of points. */
export function xInterval(n: number, ticks = 6): number {
  return Math.max(0, Math.ceil(n / ticks) - 1);
}

/**
 * Round-number axis ticks ("0, 1K, 2K, 3K" rather than "0, 950, 1.9K") covering [min, max]: about
 * `count` ticks on a step of 1, 2, 2.5 or 5 times a power of ten.
 */
export function niceScale(min: number, max: number, count = 5): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 1] };
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw * (1 - 1e-9))!;
  const lo = Math.floor(min / step + 1e-9);
  const hi = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks };
}

import type { DemoSpec } from '../devnet/world';

export interface RecordSummary {
  rounds: number;
  return20Pct: number | null;
  return1yPct: number | null;
  sharpe: number | null;
  maxDrawdownPct: number | null;
  /** Cumulative return in percent, downsampled for a sparkline. */
  spark: number[];
}

export interface SeriesPoint {
  round: number;
  returnPct: number;
  cumulativePct: number;
}

/** What the app needs from the track-record source (main/records). */
export interface TrackRecords {
  demoSpec(): DemoSpec;
  summary(name: string): RecordSummary | null;
  series(name: string, maxPoints: number): SeriesPoint[];
}

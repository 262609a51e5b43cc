import type { ComponentProps, ReactElement, ReactNode } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { roundText } from './roundLabel';
import { formatRound, xInterval } from './series';
import './charts.css';

/** The box every chart is drawn in: one image with an accessible name, as wide as its column. */
export function ChartFrame({
  label,
  height = 240,
  children,
  after,
}: {
  label: string;
  height?: number;
  children: ReactElement;
  /** Drawn under the chart, inside the same box (a key to dashed lines, say). */
  after?: ReactNode;
}) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        {children}
      </ResponsiveContainer>
      {after}
    </div>
  );
}

/** Room around the plot: the Y axis labels need none on the left, the last X label some on the right. */
export const CHART_MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };

/** Horizontal grid lines only. */
export const GRID = { stroke: 'var(--grid)', vertical: false } as const;

/** A series without markers or animation, so long series stay fast (CONVENTIONS: charts). */
export const PLAIN_SERIES = { dot: false, isAnimationActive: false } as const;

/** Props of an X axis of rounds with about `ticks` labels, whatever the number of points. */
export function roundAxis(points: number, ticks?: number) {
  return { dataKey: 'round', interval: xInterval(points, ticks), tickFormatter: formatRound, tick: axisTick, tickLine: false } as const;
}

/** Props of a Y axis on a scale from niceScale, labelled at its ticks only. */
export function scaleAxis(scale: { domain: [number, number]; ticks: number[] }, width: number, tickFormatter: (v: number) => string) {
  return {
    width,
    domain: scale.domain,
    ticks: scale.ticks,
    interval: 0,
    tickFormatter,
    tick: axisTick,
    tickLine: false,
    axisLine: false,
  } as const;
}

/** What a point's tooltip says: its values, and "Round" or "After round" before the round's number. */
export interface RoundsTooltip {
  formatter: ComponentProps<typeof Tooltip>['formatter'];
  labelPrefix: string;
}

/**
 * NMR after each round as lines (a stake, a portfolio's value, a replay): the frame, grid, round
 * axis, NMR scale and tooltip these charts share. `children` are the lines and reference lines.
 */
export function NmrRoundsChart<T extends { round: number }>({
  label,
  data,
  y,
  yWidth,
  xTicks,
  top = CHART_MARGIN.top,
  tooltip,
  children,
  after,
}: {
  label: string;
  data: T[];
  y: { domain: [number, number]; ticks: number[] };
  yWidth: number;
  xTicks?: number;
  top?: number;
  tooltip: RoundsTooltip;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <ChartFrame label={label} after={after}>
      <LineChart data={data} margin={{ ...CHART_MARGIN, top }}>
        <CartesianGrid {...GRID} />
        <XAxis {...roundAxis(data.length, xTicks)} />
        <YAxis {...scaleAxis(y, yWidth, fmt.nmrTick)} />
        <Tooltip {...tooltipStyle} formatter={tooltip.formatter} labelFormatter={(r) => `${tooltip.labelPrefix} ${roundText(r)}`} />
        {children}
      </LineChart>
    </ChartFrame>
  );
}

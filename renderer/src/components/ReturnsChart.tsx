import { memo } from 'react';
import type { DetailPoint } from '../../../shared/api';
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick } from './charts/format';
import { CHART_MARGIN, ChartFrame, GRID, PLAIN_SERIES } from './charts/frame';
import { roundText } from './charts/roundLabel';

export type ReturnsPoint = Pick<DetailPoint, 'round' | 'cumulativePct'>;

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const formatPctTick = (v: number) => `${compact.format(v)}%`;

/** Cumulative return of a model, one point per round (already downsampled by main). */
const ReturnsChart = memo(function ReturnsChart({ data }: { data: ReturnsPoint[] }) {
  const interval = Math.max(0, Math.floor(data.length / 6) - 1);
  return (
    <ChartFrame label="Cumulative return by round">
      <AreaChart data={data} margin={CHART_MARGIN}>
        <defs>
          <linearGradient id="ret" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="var(--accent)" stopOpacity={0.35} />
            <stop offset="100%" stopColor="var(--accent)" stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid {...GRID} />
        <XAxis dataKey="round" interval={interval} tick={axisTick} tickLine={false} />
        <YAxis width={64} tickFormatter={formatPctTick} tick={axisTick} tickLine={false} axisLine={false} />
        <Tooltip formatter={(v) => [`${Number(v).toFixed(2)}%`, 'Cumulative return']} labelFormatter={(r) => `Round ${roundText(r)}`} />
        <Area type="monotone" dataKey="cumulativePct" stroke="var(--accent)" strokeWidth={2} fill="url(#ret)" {...PLAIN_SERIES} />
      </AreaChart>
    </ChartFrame>
  );
});

export default ReturnsChart;

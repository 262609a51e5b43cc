import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { roundText } from './charts/roundLabel';

export type ReturnsPoint = { round: number; cumulativePct: number };

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const formatPctTick = (v: number) => `${compact.format(v)}%`;

/** Cumulative return of a model, one point per round (already downsampled by main). */
const ReturnsChart = memo(function ReturnsChart({ data }: { data: ReturnsPoint[] }) {
  const interval = Math.max(0, Math.floor(data.length / 6) - 1);
  return (
    <div className="chart" role="img" aria-label="Cumulative return by round">
      <ResponsiveContainer width="100%" height={240}>
        <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id="ret" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="var(--accent)" stopOpacity={0.35} />
              <stop offset="100%" stopColor="var(--accent)" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={interval} tick={{ fontSize: 12, fill: 'var(--muted)' }} tickLine={false} />
          <YAxis width={64} tickFormatter={formatPctTick} tick={{ fontSize: 12, fill: 'var(--muted)' }} tickLine={false} axisLine={false} />
          <Tooltip formatter={(v) => [`${Number(v).toFixed(2)}%`, 'Cumulative return']} labelFormatter={(r) => `Round ${roundText(r)}`} />
          <Area
            type="monotone"
            dataKey="cumulativePct"
            stroke="var(--accent)"
            strokeWidth={2}
            fill="url(#ret)"
            dot={false}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});

export default ReturnsChart;

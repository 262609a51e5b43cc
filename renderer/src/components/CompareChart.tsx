import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { roundText } from './charts/roundLabel';

const COLORS = ['#3a5bd9', '#d9743a', '#2f9e6b', '#a24bd9', '#c9354f'];
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

type Series = { name: string; points: { round: number; cumulativePct: number }[] };

/** Several models' cumulative returns on one round axis (each series already downsampled by main). */
const CompareChart = memo(function CompareChart({ series }: { series: Series[] }) {
  const data = useMemo(() => {
    const byRound = new Map<number, Record<string, number>>();
    for (const s of series)
      for (const p of s.points) byRound.set(p.round, { ...(byRound.get(p.round) ?? { round: p.round }), [s.name]: p.cumulativePct });
    return [...byRound.values()].sort((a, b) => a.round! - b.round!);
  }, [series]);
  return (
    <div className="chart" role="img" aria-label="Cumulative return of the compared models by round">
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis
            dataKey="round"
            type="number"
            domain={['dataMin', 'dataMax']}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            tickLine={false}
          />
          <YAxis
            width={64}
            tickFormatter={(v: number) => `${compact.format(v)}%`}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip formatter={(v) => `${Number(v).toFixed(2)}%`} labelFormatter={(r) => `Round ${roundText(r)}`} />
          <Legend />
          {series.map((s, i) => (
            <Line
              key={s.name}
              type="monotone"
              dataKey={s.name}
              stroke={COLORS[i % COLORS.length]}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export default CompareChart;

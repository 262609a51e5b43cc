import { memo, useMemo } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick } from './charts/format';
import { CHART_MARGIN, ChartFrame, GRID, PLAIN_SERIES } from './charts/frame';
import { roundText } from './charts/roundLabel';

const COLORS = ['#3a5bd9', '#d9743a', '#2f9e6b', '#a24bd9', '#c9354f'];
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

type Series = ApiOutput<'models.compare'>['series'][number];

/** Several models' cumulative returns on one round axis (each series already downsampled by main). */
const CompareChart = memo(function CompareChart({ series }: { series: Series[] }) {
  const data = useMemo(() => {
    const byRound = new Map<number, Record<string, number>>();
    for (const s of series)
      for (const p of s.points) byRound.set(p.round, { ...(byRound.get(p.round) ?? { round: p.round }), [s.name]: p.cumulativePct });
    return [...byRound.values()].sort((a, b) => a.round! - b.round!);
  }, [series]);
  return (
    <ChartFrame label="Cumulative return of the compared models by round" height={280}>
      <LineChart data={data} margin={CHART_MARGIN}>
        <CartesianGrid {...GRID} />
        <XAxis dataKey="round" type="number" domain={['dataMin', 'dataMax']} tick={axisTick} tickLine={false} />
        <YAxis width={64} tickFormatter={(v: number) => `${compact.format(v)}%`} tick={axisTick} tickLine={false} axisLine={false} />
        <Tooltip formatter={(v) => `${Number(v).toFixed(2)}%`} labelFormatter={(r) => `Round ${roundText(r)}`} />
        <Legend />
        {series.map((s, i) => (
          <Line
            key={s.name}
            type="monotone"
            dataKey={s.name}
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={2}
            {...PLAIN_SERIES}
            connectNulls
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
});

export default CompareChart;

import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { formatRound, niceScale, xInterval } from './series';
import type { ResultBar } from './portfolioSeries';
import './charts.css';

/** What each round added (green, up) or burned (red, down), in NMR. */
const ResultBarsChart = memo(function ResultBarsChart({ data, roundsPerBar, label }: { data: ResultBar[]; roundsPerBar: number; label: string }) {
  const y = useMemo(() => {
    let lo = 0;
    let hi = 0;
    for (const b of data) (lo = Math.min(lo, b.result)), (hi = Math.max(hi, b.result));
    return niceScale(lo, hi);
  }, [data]);
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} barCategoryGap={data.length > 120 ? 0 : 1} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis width={56} domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={fmt.nmrTick} tick={axisTick} tickLine={false} axisLine={false} />
          <ReferenceLine y={0} stroke="var(--muted)" strokeOpacity={0.6} />
          <Tooltip
            {...tooltipStyle}
            cursor={{ fill: 'var(--grid)' }}
            formatter={(v) => [fmt.nmrApprox(Number(v)), roundsPerBar === 1 ? 'Result' : `Result of ${roundsPerBar} rounds`]}
            labelFormatter={(r) => `Round ${typeof r === 'number' ? formatRound(r) : String(r)}`}
          />
          <Bar dataKey="result" name="Result" isAnimationActive={false}>
            {data.map((b) => (
              <Cell key={b.round} fill={b.result >= 0 ? 'var(--pos)' : 'var(--neg)'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
});

export default ResultBarsChart;

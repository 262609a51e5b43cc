import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { roundLabel } from './roundLabel';
import { formatRound, niceScale, xInterval, type BarPoint } from './series';
import './charts.css';

/** Each round's return as a bar: gains up in green, losses down in red (already grouped to ≤ MAX_BARS bars). */
const RoundBarsChart = memo(function RoundBarsChart({ data, roundsPerBar, label }: { data: BarPoint[]; roundsPerBar: number; label: string }) {
  const y = useMemo(() => {
    let lo = 0;
    let hi = 0;
    for (const b of data) (lo = Math.min(lo, b.returnPct)), (hi = Math.max(hi, b.returnPct));
    return niceScale(lo, hi);
  }, [data]);
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} stackOffset="sign" barCategoryGap={data.length > 120 ? 0 : 1} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis width={64} domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={fmt.pctTick} tick={axisTick} tickLine={false} axisLine={false} />
          <ReferenceLine y={0} stroke="var(--muted)" strokeOpacity={0.6} />
          <Tooltip
            {...tooltipStyle}
            cursor={{ fill: 'var(--grid)' }}
            formatter={(v) => [fmt.pct(Number(v)), roundsPerBar === 1 ? 'Result' : `Result of ${roundsPerBar} rounds`]}
            labelFormatter={roundLabel}
          />
          <Bar dataKey="gain" name="Gain" stackId="r" fill="var(--pos)" isAnimationActive={false} />
          <Bar dataKey="loss" name="Loss" stackId="r" fill="var(--neg)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
});

export default RoundBarsChart;

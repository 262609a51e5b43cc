import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { roundLabel } from './roundLabel';
import { formatRound, niceScale, xInterval, type SignedBar } from './series';
import './charts.css';

/** How a chart's values read: a return in percent (a model's rounds) or NMR (a holder's results). */
const UNITS = {
  pct: { value: fmt.pct, tick: fmt.pctTick, width: 64 },
  nmr: { value: fmt.nmrApprox, tick: fmt.nmrTick, width: 56 },
} as const;

/** A signed value per round (or group of rounds) as a bar: gains up in green, losses down in red. */
const RoundBarsChart = memo(function RoundBarsChart({
  data,
  roundsPerBar,
  label,
  unit = 'pct',
  height = 220,
}: {
  data: SignedBar[];
  roundsPerBar: number;
  label: string;
  unit?: keyof typeof UNITS;
  height?: number;
}) {
  const u = UNITS[unit];
  const y = useMemo(() => {
    let lo = 0;
    let hi = 0;
    for (const b of data) {
      lo = Math.min(lo, b.loss ?? 0);
      hi = Math.max(hi, b.gain ?? 0);
    }
    return niceScale(lo, hi);
  }, [data]);
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={data}
          stackOffset="sign"
          barCategoryGap={data.length > 120 ? 0 : 1}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis
            width={u.width}
            domain={y.domain}
            ticks={y.ticks}
            interval={0}
            tickFormatter={u.tick}
            tick={axisTick}
            tickLine={false}
            axisLine={false}
          />
          <ReferenceLine y={0} stroke="var(--muted)" strokeOpacity={0.6} />
          <Tooltip
            {...tooltipStyle}
            cursor={{ fill: 'var(--grid)' }}
            formatter={(v) => [u.value(Number(v)), roundsPerBar === 1 ? 'Result' : `Result of ${roundsPerBar} rounds`]}
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

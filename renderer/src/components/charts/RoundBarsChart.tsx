import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt, tooltipStyle } from './format';
import { CHART_MARGIN, ChartFrame, GRID, roundAxis, scaleAxis } from './frame';
import { roundLabel } from './roundLabel';
import { niceScale, type SignedBar } from './series';

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
    <ChartFrame label={label} height={height}>
      <BarChart data={data} stackOffset="sign" barCategoryGap={data.length > 120 ? 0 : 1} margin={CHART_MARGIN}>
        <CartesianGrid {...GRID} />
        <XAxis {...roundAxis(data.length)} />
        <YAxis {...scaleAxis(y, u.width, u.tick)} />
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
    </ChartFrame>
  );
});

export default RoundBarsChart;

import { memo, useMemo } from 'react';
import { Legend, Line } from 'recharts';
import { fmt } from './format';
import { NmrRoundsChart, PLAIN_SERIES, type RoundsTooltip } from './frame';
import { niceScale } from './series';
import type { ValuePoint } from './portfolioSeries';

const TOOLTIP: RoundsTooltip = {
  formatter: (v, name) => [fmt.nmrApprox(Number(v)), name === 'value' ? 'Value' : 'Put in'],
  labelPrefix: 'After round',
};

/** The portfolio's value after each round beside what was put in (net of what was taken back). */
const PortfolioValueChart = memo(function PortfolioValueChart({ data, label }: { data: ValuePoint[]; label: string }) {
  // A scale around the figures, not from zero: a position's changes are small next to its size.
  const y = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of data) {
      lo = Math.min(lo, p.value, p.deposited);
      hi = Math.max(hi, p.value, p.deposited);
    }
    const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.01;
    return niceScale(Math.max(0, lo - pad), hi + pad);
  }, [data]);
  return (
    <NmrRoundsChart label={label} data={data} y={y} yWidth={64} xTicks={5} tooltip={TOOLTIP}>
      <Legend formatter={(v) => (v === 'value' ? 'Value' : 'Put in (less taken back)')} wrapperStyle={{ fontSize: 13 }} />
      <Line {...PLAIN_SERIES} type="linear" dataKey="deposited" stroke="var(--muted)" strokeDasharray="4 4" strokeWidth={1.5} />
      <Line type="linear" dataKey="value" stroke="var(--accent)" strokeWidth={2} dot={data.length < 30} isAnimationActive={false} />
    </NmrRoundsChart>
  );
});

export default PortfolioValueChart;

import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { formatRound, niceScale, xInterval } from './series';
import type { ValuePoint } from './portfolioSeries';
import { roundText } from './roundLabel';
import './charts.css';

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
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length, 5)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis
            width={64}
            domain={y.domain}
            ticks={y.ticks}
            interval={0}
            tickFormatter={fmt.nmrTick}
            tick={axisTick}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            {...tooltipStyle}
            formatter={(v, name) => [fmt.nmrApprox(Number(v)), name === 'value' ? 'Value' : 'Put in']}
            labelFormatter={(r) => `After round ${roundText(r)}`}
          />
          <Legend formatter={(v) => (v === 'value' ? 'Value' : 'Put in (less taken back)')} wrapperStyle={{ fontSize: 13 }} />
          <Line
            type="linear"
            dataKey="deposited"
            stroke="var(--muted)"
            strokeDasharray="4 4"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
          <Line type="linear" dataKey="value" stroke="var(--accent)" strokeWidth={2} dot={data.length < 30} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export default PortfolioValueChart;

import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { formatRound, niceScale, xInterval } from './series';
import { roundText } from './roundLabel';
import './charts.css';

/** Value of a replayed delegation after each round, in NMR (floats for drawing; the figures beside it are exact). */
const BacktestChart = memo(function BacktestChart({
  data,
  principalNmr,
  label,
}: {
  data: { round: number; valueNmr: number }[];
  principalNmr: number;
  label: string;
}) {
  const y = useMemo(() => {
    let lo = principalNmr;
    let hi = principalNmr;
    for (const p of data) {
      lo = Math.min(lo, p.valueNmr);
      hi = Math.max(hi, p.valueNmr);
    }
    const pad = (hi - lo) * 0.05;
    return niceScale(Math.max(0, lo - pad), hi + pad);
  }, [data, principalNmr]);
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 12, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
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
          <ReferenceLine y={principalNmr} stroke="var(--muted)" strokeDasharray="4 4" />
          <Tooltip
            {...tooltipStyle}
            formatter={(v) => [fmt.nmrApprox(Number(v)), 'Value']}
            labelFormatter={(r) => `After round ${roundText(r)}`}
          />
          <Line
            type="linear"
            dataKey="valueNmr"
            name="Value"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <p className="legend-keys muted small" aria-hidden="true">
        <span className="key key-line" /> its value <span className="key key-dashed" /> what was put in
      </p>
    </div>
  );
});

export default BacktestChart;

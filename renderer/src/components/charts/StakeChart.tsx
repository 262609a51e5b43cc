import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { formatRound, niceScale, xInterval } from './series';
import { roundText } from './roundLabel';
import './charts.css';

/** The model's own stake at Numerai after each round, in NMR (a float: for drawing only). */
const StakeChart = memo(function StakeChart({ data, label }: { data: { round: number; stakeNmr: number }[]; label: string }) {
  const y = useMemo(
    () =>
      niceScale(
        0,
        data.reduce((m, p) => Math.max(m, p.stakeNmr), 0),
      ),
    [data],
  );
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length, 5)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis
            width={56}
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
            formatter={(v) => [fmt.nmrApprox(Number(v)), 'Stake']}
            labelFormatter={(r) => `Round ${roundText(r)}`}
          />
          <Line
            type="linear"
            dataKey="stakeNmr"
            name="Stake"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export default StakeChart;

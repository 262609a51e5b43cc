import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { roundLabel } from './roundLabel';
import { formatRound, xInterval, type ScorePoint } from './series';
import { SCORE_NAMES } from './scoreNames';
import './charts.css';

/** Numerai's scores of the model over time (per round, or averaged over groups of rounds). */
const ScoresChart = memo(function ScoresChart({ data, label }: { data: ScorePoint[]; label: string }) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="round" interval={xInterval(data.length, 5)} tickFormatter={formatRound} tick={axisTick} tickLine={false} />
          <YAxis width={56} tickFormatter={fmt.scoreTick} tick={axisTick} tickLine={false} axisLine={false} />
          <ReferenceLine y={0} stroke="var(--muted)" strokeOpacity={0.6} />
          <Tooltip {...tooltipStyle} formatter={(v, name) => [fmt.score(Number(v)), name]} labelFormatter={roundLabel} />
          <Legend wrapperStyle={{ fontSize: 13, color: 'var(--text)' }} />
          {SCORE_NAMES.map((s) => (
            <Line
              key={s.key}
              type="linear"
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeDasharray={s.dash}
              strokeWidth={s.width}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export default ScoresChart;

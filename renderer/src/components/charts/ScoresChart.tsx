import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, fmt, tooltipStyle } from './format';
import { CHART_MARGIN, ChartFrame, GRID, PLAIN_SERIES, roundAxis } from './frame';
import { roundLabel } from './roundLabel';
import type { ScorePoint } from './series';
import { SCORE_NAMES } from './scoreNames';

/** Numerai's scores of the model over time (per round, or averaged over groups of rounds). */
const ScoresChart = memo(function ScoresChart({ data, label }: { data: ScorePoint[]; label: string }) {
  return (
    <ChartFrame label={label}>
      <LineChart data={data} margin={CHART_MARGIN}>
        <CartesianGrid {...GRID} />
        <XAxis {...roundAxis(data.length, 5)} />
        <YAxis width={56} tickFormatter={fmt.scoreTick} tick={axisTick} tickLine={false} axisLine={false} />
        <ReferenceLine y={0} stroke="var(--muted)" strokeOpacity={0.6} />
        <Tooltip {...tooltipStyle} formatter={(v, name) => [fmt.score(Number(v)), name]} labelFormatter={roundLabel} />
        <Legend wrapperStyle={{ fontSize: 13, color: 'var(--text)' }} />
        {SCORE_NAMES.map((s) => (
          <Line
            {...PLAIN_SERIES}
            key={s.key}
            type="linear"
            dataKey={s.key}
            name={s.name}
            stroke={s.color}
            strokeDasharray={s.dash}
            strokeWidth={s.width}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
});

export default ScoresChart;

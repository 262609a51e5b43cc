import { memo, useMemo } from 'react';
import { Line } from 'recharts';
import { fmt } from './format';
import { NmrRoundsChart, PLAIN_SERIES, type RoundsTooltip } from './frame';
import { niceScale } from './series';

const TOOLTIP: RoundsTooltip = { formatter: (v) => [fmt.nmrApprox(Number(v)), 'Stake'], labelPrefix: 'Round' };

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
    <NmrRoundsChart label={label} data={data} y={y} yWidth={56} xTicks={5} tooltip={TOOLTIP}>
      <Line {...PLAIN_SERIES} type="linear" dataKey="stakeNmr" name="Stake" stroke="var(--accent)" strokeWidth={2} />
    </NmrRoundsChart>
  );
});

export default StakeChart;

import { memo, useMemo } from 'react';
import { Line, ReferenceLine } from 'recharts';
import { fmt } from './format';
import { NmrRoundsChart, PLAIN_SERIES, type RoundsTooltip } from './frame';
import { niceScale } from './series';

const TOOLTIP: RoundsTooltip = { formatter: (v) => [fmt.nmrApprox(Number(v)), 'Value'], labelPrefix: 'After round' };

/** The dashed line's meaning, under the chart (the chart itself is one image to a screen reader). */
const KEY = (
  <p className="legend-keys muted small" aria-hidden="true">
    <span className="key key-line" /> its value <span className="key key-dashed" /> what was put in
  </p>
);

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
    <NmrRoundsChart label={label} data={data} y={y} yWidth={64} top={12} tooltip={TOOLTIP} after={KEY}>
      <ReferenceLine y={principalNmr} stroke="var(--muted)" strokeDasharray="4 4" />
      <Line {...PLAIN_SERIES} type="linear" dataKey="valueNmr" name="Value" stroke="var(--accent)" strokeWidth={2} />
    </NmrRoundsChart>
  );
});

export default BacktestChart;

import { memo } from 'react';

/** A tiny line of cumulative return for a table row; plain SVG, so 100 rows cost nothing. */
export const Sparkline = memo(function Sparkline({ points, label }: { points: number[]; label: string }) {
  if (points.length < 2) return <span className="muted">—</span>;
  const w = 64;
  const h = 24;
  const min = Math.min(...points, 0);
  const max = Math.max(...points, 0);
  const span = max - min || 1;
  const x = (i: number) => (i / (points.length - 1)) * w;
  const y = (v: number) => h - ((v - min) / span) * h;
  const d = points.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const last = points[points.length - 1] ?? 0;
  return (
    <svg className="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <line x1="0" x2={w} y1={y(0)} y2={y(0)} className="spark-zero" />
      <path d={d} className={last >= 0 ? 'spark-pos' : 'spark-neg'} fill="none" />
    </svg>
  );
});

/** Number formats for the charts, in the user's locale. Ratios and chart values only: never a balance. */
import type { CSSProperties } from 'react';

const pctSigned = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2, signDisplay: 'exceptZero' });
const pctTick = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, notation: 'compact', signDisplay: 'exceptZero' });
const score = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4, minimumFractionDigits: 4, signDisplay: 'exceptZero' });
const scoreTick = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const nmrTick = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const nmrValue = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const plain1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const plain2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const fmt = {
  /** "+1.23%" */
  pct: (v: number) => `${pctSigned.format(v)}%`,
  /** "+12%" on an axis */
  pctTick: (v: number) => `${pctTick.format(v)}%`,
  score: (v: number) => score.format(v),
  scoreTick: (v: number) => scoreTick.format(v),
  nmrTick: (v: number) => nmrTick.format(v),
  /** An approximate NMR figure for a chart's tooltip, "1,234.57 NMR". */
  nmrApprox: (v: number) => `${nmrValue.format(v)} NMR`,
  one: (v: number) => plain1.format(v),
  two: (v: number) => plain2.format(v),
  whole: (v: number) => whole.format(v),
};

/** Recharts' tooltip in the app's colours, so it reads in dark mode too. */
export const tooltipStyle: { contentStyle: CSSProperties; labelStyle: CSSProperties; itemStyle: CSSProperties } = {
  contentStyle: { background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)', fontSize: 13 },
  labelStyle: { color: 'var(--muted)', marginBottom: 4 },
  itemStyle: { color: 'var(--text)', padding: 0 },
};

export const axisTick = { fontSize: 12, fill: 'var(--muted)' };

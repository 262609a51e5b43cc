import { formatNmr, formatNmrShort } from '../../../shared/money';

/** An NMR amount: short on screen, the exact figure on hover and when copied. */
export function Nmr({ wei, digits = 4, unit = true }: { wei: string | bigint; digits?: number; unit?: boolean }) {
  const v = typeof wei === 'bigint' ? wei : BigInt(wei);
  const exact = formatNmr(v);
  return (
    <span className="amount" title={`${exact} NMR`} data-exact={exact}>
      {formatNmrShort(v, digits)}
      {unit ? <span className="unit"> NMR</span> : null}
    </span>
  );
}

export function Pct({ value, digits = 1 }: { value: number | null; digits?: number }) {
  if (value === null) return <span className="muted">—</span>;
  const cls = value > 0 ? 'pos' : value < 0 ? 'neg' : '';
  const text = new Intl.NumberFormat(undefined, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
    signDisplay: 'exceptZero',
  }).format(value);
  return <span className={cls}>{text}%</span>;
}

export function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

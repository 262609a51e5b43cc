import type { ClipboardEvent } from 'react';
import { shownNmr, type ShownAmount } from '../../../shared/amount-format';
import { pageLocale } from '../locale';

/**
 * A figure from shared/amount-format: rounded on screen ("≈388.66"), the exact value on hover
 * (title), on focus (a rounded figure can be tabbed to; CSS shows data-exact) and when copied.
 * `focusable={false}` for a long table's cells, which would otherwise add hundreds of tab stops.
 */
export function Figure({ shown, unit, focusable = true }: { shown: ShownAmount; unit: string | null; focusable?: boolean }) {
  const copyExact = (e: ClipboardEvent) => {
    e.clipboardData.setData('text/plain', unit ? `${shown.exact} ${unit}` : shown.exact);
    e.preventDefault();
  };
  return (
    <span
      className="amount"
      title={unit ? `${shown.exact} ${unit}` : shown.exact}
      data-exact={shown.exact}
      data-rounded={shown.rounded ? '' : undefined}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- focus shows the exact value of a rounded figure
      tabIndex={shown.rounded && focusable ? 0 : undefined}
      onCopy={copyExact}
    >
      {shown.text}
      {unit ? <span className="unit"> {unit}</span> : null}
    </span>
  );
}

/** An NMR amount, `digits` decimals on screen (2–4; 0 in a tight column; 18 for the whole figure). */
export function Nmr({
  wei,
  digits = 4,
  unit = true,
  focusable = true,
}: {
  wei: string | bigint;
  digits?: number;
  unit?: boolean;
  focusable?: boolean;
}) {
  const v = typeof wei === 'bigint' ? wei : BigInt(wei);
  return <Figure shown={shownNmr(v, pageLocale(), digits)} unit={unit ? 'NMR' : null} focusable={focusable} />;
}

// Building an Intl.NumberFormat costs far more than formatting with one: a table of 40 rows
// re-drawn on every sort built 160 of them. One per number of decimals, in the page's default locale.
const pctFormats = new Map<number, Intl.NumberFormat>();
function pctFormat(digits: number): Intl.NumberFormat {
  let f = pctFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits, signDisplay: 'exceptZero' });
    pctFormats.set(digits, f);
  }
  return f;
}

export function Pct({ value, digits = 1 }: { value: number | null; digits?: number }) {
  if (value === null) return <span className="muted">—</span>;
  const cls = value > 0 ? 'pos' : value < 0 ? 'neg' : '';
  return <span className={cls}>{pctFormat(digits).format(value)}%</span>;
}

/** A whole number with the page's grouping (12,345), as `toLocaleString()` would, without building a formatter each time. */
export const wholeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

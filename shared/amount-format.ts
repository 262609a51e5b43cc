/**
 * Every amount on screen, one way: rounded to a precision that fits where it is shown (NMR 2–4
 * decimals, ETH fees about 4 significant digits, gwei 2 decimals), grouped the locale's way, with
 * "≈" in front when the figure was rounded. The exact decimal comes with it, for the title,
 * `data-exact` and copies. Pure: the locale is passed in (the page's `navigator.language`, or
 * `ENGLISH_PAGES` for main's English pages).
 */
import { DECIMALS } from './money';

/** Main's pages (the confirmation window, its plan lines) are English, and write figures so. */
export const ENGLISH_PAGES = 'en-US';

export interface ShownAmount {
  /** What the screen shows: "≈1,234.5679", "12.5", "<0.0001". */
  text: string;
  /** The exact value in machine form ("1234.567891", "-0.5"): title, data-exact, copies. */
  exact: string;
  /** True when `text` is not the exact value. */
  rounded: boolean;
}

/**
 * What Intl gives for a locale, made once per locale: building an Intl.NumberFormat costs ~0.2 ms,
 * and a list of 50 models formats ~100 amounts at each sort (two formats an amount, before).
 */
const symbolsByLocale = new Map<string, { decimal: string; group: string }>();
const wholeByLocale = new Map<string, Intl.NumberFormat>();

/** The locale's decimal and grouping symbols, from Intl. */
export function numberSymbols(locale: string): { decimal: string; group: string } {
  let symbols = symbolsByLocale.get(locale);
  if (!symbols) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    symbols = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    symbolsByLocale.set(locale, symbols);
  }
  return symbols;
}

/** Whole numbers grouped the locale's way. */
function wholeFormat(locale: string): Intl.NumberFormat {
  let f = wholeByLocale.get(locale);
  if (!f) wholeByLocale.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })));
  return f;
}

function fractionDigits(abs: bigint, decimals: number): string {
  return (abs % 10n ** BigInt(decimals)).toString().padStart(decimals, '0');
}

/** "1234.5" for (1234500…n, 18): exact, "." decimal, no grouping, no trailing zeros. */
export function exactUnits(value: bigint, decimals: number): string {
  const abs = value < 0n ? -value : value;
  const frac = decimals > 0 ? fractionDigits(abs, decimals).replace(/0+$/, '') : '';
  const whole = abs / 10n ** BigInt(decimals);
  return `${value < 0n ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * `value` (an integer of `decimals` decimals) rounded half away from zero to `digits` decimals,
 * grouped the locale's way; trailing zeros beyond `minDigits` are dropped. A non-zero amount that
 * rounds to zero reads "<0.0001", never "0".
 */
export function formatUnitsRounded(value: bigint, decimals: number, digits: number, locale: string, minDigits = 0): ShownAmount {
  const keep = Math.max(0, Math.min(decimals, Math.trunc(digits)));
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const unit = 10n ** BigInt(decimals - keep);
  const rounded = abs % unit !== 0n;
  const q = (abs + unit / 2n) / unit; // half away from zero, on the magnitude
  const exact = exactUnits(value, decimals);
  const { decimal } = numberSymbols(locale);
  const sign = neg ? '-' : '';
  if (q === 0n && abs !== 0n) {
    const tiny = keep === 0 ? '1' : `0${decimal}${'0'.repeat(keep - 1)}1`;
    return { text: `${sign}<${tiny}`, exact, rounded: true };
  }
  const whole = wholeFormat(locale).format(q / 10n ** BigInt(keep));
  let frac = keep > 0 ? fractionDigits(q, keep) : '';
  let end = frac.length;
  while (end > minDigits && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  const body = `${sign}${whole}${frac ? `${decimal}${frac}` : ''}`;
  return { text: rounded ? `≈${body}` : body, exact, rounded };
}

/** An NMR amount for a table or a sentence: `digits` decimals (2–4 on screen; 18 gives it whole, grouped). */
export function shownNmr(wei: bigint, locale: string, digits = 4): ShownAmount {
  return formatUnitsRounded(wei, DECIMALS, digits, locale);
}

/** A network fee in ETH: about 4 significant digits ("≈0.0004561"), 1 ETH and more with at most 3 decimals. */
export function shownEth(wei: bigint, locale: string): ShownAmount {
  const abs = wei < 0n ? -wei : wei;
  const digits = abs === 0n ? 0 : DECIMALS - abs.toString().length + 4;
  return formatUnitsRounded(wei, DECIMALS, digits, locale);
}

/** A fee per unit of gas, in gwei with at most 2 decimals ("≈1" for 1.000000016 gwei, "12.5"). */
export function shownGwei(wei: bigint, locale: string): ShownAmount {
  return formatUnitsRounded(wei, 9, 2, locale);
}

import { parseUnits } from 'ethers';
import { z } from 'zod';

/** NMR and ETH both have 18 decimals. */
export const DECIMALS = 18;

/** Amounts cross process boundaries as decimal strings of wei: exact, JSON-safe. */
export const WeiString = z
  .string()
  .max(78, 'amount is too large')
  .regex(/^(0|[1-9]\d*)$/, 'amount must be a whole number of wei')
  .refine((s) => !/^\d{1,78}$/.test(s) || BigInt(s) < 1n << 256n, 'amount is too large');

export const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * An amount of wei as each side holds it: a decimal string on the wire, a bigint in code. Parsing
 * (or `Wei.decode`) turns a checked string into a bigint; `Wei.encode` turns a bigint back into
 * the string, refusing a negative one or one beyond 256 bits. Shapes built with it (see
 * shared/api/intent.ts) give main bigints and keep decimal strings on the wire.
 */
export const Wei = z.codec(WeiString, z.bigint().min(0n).max(MAX_UINT256), {
  decode: (s) => BigInt(s),
  encode: (v) => v.toString(10),
});

/** A signed whole number of wei (a loss is negative), as a decimal string. */
export const SignedWeiString = z
  .string()
  .max(80)
  .regex(/^(0|-?[1-9]\d*)$/, 'amount must be a whole number of wei');

/** A signed amount of wei (a round's result, a loss negative): `Wei`'s codec without its sign and size checks. */
export const SignedWei = z.codec(SignedWeiString, z.bigint(), {
  decode: (s) => BigInt(s),
  encode: (v) => v.toString(10),
});

export function toWei(s: string): bigint {
  const v = BigInt(WeiString.parse(s));
  if (v > MAX_UINT256) throw new RangeError('amount is too large');
  return v;
}

export function weiString(v: bigint): string {
  if (v < 0n) throw new RangeError('amount cannot be negative');
  return v.toString(10);
}

/**
 * Exact decimal of an 18-decimal amount ("-1.5", "0.000000000000000001"): what ethers'
 * formatUnits gives without its trailing ".0", in string arithmetic only, because the history
 * export formats several figures on each of its rows with it.
 */
function exactDecimal(wei: bigint): string {
  const neg = wei < 0n;
  const s = (neg ? -wei : wei).toString();
  const whole = s.length > DECIMALS ? s.slice(0, s.length - DECIMALS) : '0';
  const frac = s.length > DECIMALS ? s.slice(s.length - DECIMALS) : s.padStart(DECIMALS, '0');
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  const f = frac.slice(0, end);
  return `${neg ? '-' : ''}${whole}${f ? `.${f}` : ''}`;
}

/** Exact decimal NMR string, e.g. 1500000000000000000n → "1.5". Never rounds. */
export function formatNmr(wei: bigint): string {
  return exactDecimal(wei);
}

/** Exact decimal ETH string (network fees, the ETH balance). Never rounds. */
export function formatEth(wei: bigint): string {
  return exactDecimal(wei);
}

const WEI_PER_NMR = 10n ** BigInt(DECIMALS);

/**
 * wei → float NMR, for sorting and charts only: every figure shown as text comes from the exact
 * wei. Whole and fractional parts are converted apart, so 1234.5 stays 1234.5.
 */
export function weiToNmrFloat(wei: bigint | string): number {
  const v = typeof wei === 'bigint' ? wei : BigInt(wei);
  return Number(v / WEI_PER_NMR) + Number(v % WEI_PER_NMR) / 1e18;
}

export class AmountError extends Error {}

/**
 * Parses what a person typed ("1,000.5", " 12 ") into wei. Rejects anything that is not a plain
 * non-negative decimal with at most 18 decimals, so a typo never silently becomes another amount.
 */
export function parseNmr(text: string): bigint {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (cleaned === '') throw new AmountError('Enter an amount.');
  if (!/^\d*\.?\d*$/.test(cleaned) || cleaned === '.') throw new AmountError('Enter a number such as 12.5.');
  const [, frac = ''] = cleaned.split('.');
  if (frac.length > DECIMALS) throw new AmountError('NMR has at most 18 decimals.');
  const wei = parseUnits(cleaned.startsWith('.') ? `0${cleaned}` : cleaned, DECIMALS);
  if (wei > MAX_UINT256) throw new AmountError('That amount is too large.');
  return wei;
}

/** Short display with grouping; `formatNmr` gives the exact figure for tooltips and copies. */
export function formatNmrShort(wei: bigint, maxFractionDigits = 4, locale?: string): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = abs / 10n ** 18n;
  const frac = abs % 10n ** 18n;
  const scale = 10n ** BigInt(DECIMALS - maxFractionDigits);
  const fracDigits = (frac / scale).toString().padStart(maxFractionDigits, '0').replace(/0+$/, '');
  const truncated = frac % scale !== 0n;
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const wholeText = nf.format(whole);
  const body = fracDigits ? `${wholeText}${sep}${fracDigits}` : wholeText;
  // A truncated tiny amount must not read as zero: "<0.0001" tells the truth.
  if (whole === 0n && fracDigits === '' && truncated) return `${negative ? '-' : ''}<0${sep}${'0'.repeat(maxFractionDigits - 1)}1`;
  return `${negative ? '-' : ''}${body}${truncated ? '…' : ''}`;
}

/** An approximate figure for prose ("about 12.3457 NMR"): rounded half-up, never used for what is signed. */
export function formatNmrApprox(wei: bigint, decimals = 4): string {
  const unit = 10n ** BigInt(DECIMALS - decimals);
  return formatNmr(((wei + unit / 2n) / unit) * unit);
}

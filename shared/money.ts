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
 * The most NMR a replay or a figure made from it starts from: a billion NMR, far more than NMR's
 * whole supply (about 11 million), and small enough that everything computed from it (a replay's
 * values after many rounds, sums over models) stays far inside 256 bits, so the answer always fits
 * the contract's WeiString.
 */
export const MAX_NMR_AMOUNT_WEI = 10n ** 27n;

/** A whole number of wei of NMR, at most MAX_NMR_AMOUNT_WEI. */
export const NmrAmountString = WeiString.refine(
  (s) => !/^\d{1,78}$/.test(s) || BigInt(s) <= MAX_NMR_AMOUNT_WEI,
  'more NMR than exists: at most 1,000,000,000 NMR',
);

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
 * Reads a machine-written decimal NMR string ("1234.5", as main's answers and `data-exact` carry
 * it) into wei. No grouping, "." only: what a person typed goes through `parseAmount` in
 * shared/amount-input.ts, which knows their locale.
 */
export function nmrFromDecimal(text: string): bigint {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new AmountError('Not a decimal number such as 12.5.');
  const [, frac = ''] = text.split('.');
  if (frac.length > DECIMALS) throw new AmountError('NMR has at most 18 decimals.');
  const wei = parseUnits(text.startsWith('.') ? `0${text}` : text, DECIMALS);
  if (wei > MAX_UINT256) throw new AmountError('That amount is too large.');
  return wei;
}

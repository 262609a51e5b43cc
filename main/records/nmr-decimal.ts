/**
 * Exact NMR decimals from Numerai's API. Money fields (stakes, payouts, `atRisk`) arrive as decimal
 * strings with up to 18 decimals — "57.582371875005243780", "0.000000000000000000", and for a zero
 * stake sometimes "0E-18" (Python's Decimal notation). They are parsed straight into bigint wei: a
 * float never holds them.
 */

const WEI_DECIMALS = 18;
const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;
/** 10^78 > 2^256: anything larger is not an amount of NMR. */
const MAX_SHIFT = 78;

export class DecimalError extends RangeError {
  override readonly name = 'DecimalError';
}

/**
 * Decimal NMR → wei, exactly. Accepts an optional sign, a fraction and an exponent ("12", "-0.5",
 * "1.25e3", "0E-18"); also a JSON number, read through its shortest decimal form (13.0 → "13").
 * Throws DecimalError for anything else, or for a value that needs more than 18 decimals (it would
 * not be a whole number of wei; rounding it would invent money).
 */
export function parseNmrWei(value: string | number): bigint {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DecimalError(`${value} is not an amount`);
    text = String(value);
  } else text = value.trim();
  const m = DECIMAL_RE.exec(text);
  const int = m?.[2] ?? '';
  const frac = m?.[3] ?? '';
  if (!m || (int === '' && frac === '')) throw new DecimalError(`"${truncate(text)}" is not a decimal number`);
  const digits = BigInt((int + frac).replace(/^0+(?=\d)/, '') || '0');
  const shift = Number(m[4] ?? 0) - frac.length + WEI_DECIMALS;
  let wei: bigint;
  if (digits === 0n) wei = 0n;
  else if (shift >= 0) {
    if (shift + (int + frac).replace(/^0+/, '').length > MAX_SHIFT) throw new DecimalError(`"${truncate(text)}" is too large`);
    wei = digits * 10n ** BigInt(shift);
  } else {
    const div = 10n ** BigInt(-shift);
    if (digits % div !== 0n) throw new DecimalError(`"${truncate(text)}" has more than ${WEI_DECIMALS} decimals`);
    wei = digits / div;
  }
  return m[1] === '-' ? -wei : wei;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Fiat values for the export: a price source gives NMR's price on a UTC day, as an exact decimal
 * string; amounts are multiplied in integers and rounded to cents (half away from zero), so a
 * spreadsheet's sum of the column is what the rows say.
 */
import { readFile } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { exactUnits } from '../../shared/amount-format';
import { parseAmount } from '../../shared/amount-input';
import { AmountError } from '../../shared/money';

export interface PriceSource {
  /** ISO 4217 code or any short label for the column ("USD", "EUR"). */
  readonly currency: string;
  /** NMR's price on a UTC day ("2024-03-01"), or null when unknown. */
  priceOn(dayUtc: string): string | null;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Exact NMR amount × price, rounded to 2 decimals; "" when no price. */
export function fiatValue(amountWei: bigint, price: string | null): string {
  if (price === null || !DECIMAL.test(price)) return '';
  const [int, frac = ''] = price.split('.');
  const scale = 10n ** BigInt(frac.length);
  const p = BigInt(int! + frac);
  // cents = amount / 1e18 * p / scale * 100, rounded half away from zero
  const num = amountWei * p * 100n;
  const den = 10n ** 18n * scale;
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let cents = abs / den;
  if ((abs % den) * 2n >= den) cents += 1n;
  const s = cents.toString().padStart(3, '0');
  const out = `${s.slice(0, -2)}.${s.slice(-2)}`;
  return neg && cents !== 0n ? `-${out}` : out;
}

function toDay(s: string): string | null {
  const t = s.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  if (/^\d{9,13}$/.test(t)) {
    const n = Number(t);
    const ms = t.length >= 12 ? n : n * 1000;
    return new Date(ms).toISOString().slice(0, 10);
  }
  return null;
}

/**
 * A price cell as an exact decimal string ("12.34"), or why it cannot be read. The file's own
 * convention decides the decimal symbol as a typed amount's locale does (shared/amount-input.ts):
 * a ";" file is a decimal-comma file, so "12,34" is 12.34 and "1.234" is refused as ambiguous.
 */
function toPrice(s: string, delimiter: string): { price: string } | { error: string } {
  const t = s
    .trim()
    // $, € and £ written as escapes: one character past Latin-1 makes V8 hold all of main's bundle
    // as two-byte text, which costs every start (scripts/build-main.mjs keeps the bundle ASCII).
    .replace(/^[$\u20ac\u00a3]\s*/, '')
    .replace(/\s*[$\u20ac\u00a3]$/, '');
  if (/^\d+(\.\d+)?e[+-]?\d+$/i.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? { price: v.toFixed(12).replace(/\.?0+$/, '') } : { error: `"${t}" is not a price` };
  }
  try {
    return { price: exactUnits(parseAmount(t, delimiter === ';' ? 'de-DE' : 'en-US', PRICE_DECIMALS), PRICE_DECIMALS) };
  } catch (e) {
    return { error: e instanceof AmountError ? e.message.replace(/^Enter a number/, `"${t}" is not a price; write a number`) : String(e) };
  }
}

/** Prices are kept to 18 decimals: far finer than any quote, and exact. */
const PRICE_DECIMALS = 18;

const InfoRecords = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number().int() }) }));

interface Row {
  cells: string[];
  line: number;
}

/**
 * The file's records, read by csv-parse (RFC 4180: quoted fields, "" inside quotes, line breaks in
 * quotes). The delimiter is ";" when every record splits on it into two or more fields (files
 * written with decimal commas), a tab likewise, else ",".
 */
function readRecords(text: string): { rows: Row[]; delimiter: string } {
  let lastError: unknown = null;
  for (const delimiter of [';', '\t', ',']) {
    try {
      // With `info`, csv-parse gives each record with where it ends; its types do not say so, this check does.
      const records = InfoRecords.parse(
        parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }),
      );
      const rows = records.filter((r) => r.record.some((c) => c !== '')).map((r) => ({ cells: r.record, line: r.info.lines }));
      if (delimiter === ',' || (rows.length > 0 && rows.every((r) => r.cells.length >= 2))) return { rows, delimiter };
    } catch (e) {
      lastError = e;
    }
  }
  const line = lastError instanceof CsvError && typeof lastError.lines === 'number' ? ` (line ${lastError.lines})` : '';
  throw new PriceFileError(
    `The price file is not a CSV file${line}: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
  );
}

export class PriceFileError extends Error {}

/**
 * Daily prices from a CSV file the user picks: one row per day, a date column (YYYY-MM-DD, an ISO
 * timestamp such as "2024-03-01 00:00:00 UTC", or a Unix time) and a price column ("price", "close",
 * or the first numeric column after the date). A day without a row takes the latest earlier price
 * within `maxGapDays` (default 7); beyond that the cell stays empty.
 */
export class CsvPriceSource implements PriceSource {
  private readonly days: string[];

  private constructor(
    readonly currency: string,
    private readonly prices: Map<string, string>,
    private readonly maxGapDays: number,
  ) {
    this.days = [...prices.keys()].sort();
  }

  static parse(text: string, currency: string, maxGapDays = 7): CsvPriceSource {
    if (!/^[A-Za-z]{2,10}$/.test(currency)) throw new PriceFileError('The currency must be a short code such as USD.');
    const { rows: all, delimiter } = readRecords(text);
    if (all.length === 0) throw new PriceFileError('The price file is empty.');
    let rows = all;
    let dateCol = -1;
    let priceCol = -1;
    const first = all[0]!;
    if (toDay(first.cells[0] ?? '') === null) {
      const head = first.cells.map((h) => h.toLowerCase());
      dateCol = head.findIndex((h) => /date|day|time|snapped/.test(h));
      priceCol = head.findIndex((h) => /^(price|close|nmr|value|rate)/.test(h));
      if (priceCol < 0) priceCol = head.findIndex((h) => /price|close/.test(h));
      rows = all.slice(1);
    }
    if (dateCol < 0) dateCol = 0;
    if (priceCol < 0 || priceCol === dateCol) {
      const sample = rows[0]?.cells ?? [];
      priceCol = sample.findIndex((c, i) => i !== dateCol && 'price' in toPrice(c, delimiter));
    }
    if (priceCol < 0) throw new PriceFileError('No price column was found in the price file.');
    const prices = new Map<string, string>();
    for (const r of rows) {
      const day = toDay(r.cells[dateCol] ?? '');
      if (day === null) throw new PriceFileError(`Line ${r.line} of the price file has no readable date ("${r.cells[dateCol] ?? ''}").`);
      const price = toPrice(r.cells[priceCol] ?? '', delimiter);
      if ('error' in price) throw new PriceFileError(`Line ${r.line} of the price file: ${price.error}`);
      prices.set(day, price.price);
    }
    return new CsvPriceSource(currency.toUpperCase(), prices, maxGapDays);
  }

  static async fromFile(file: string, currency: string, maxGapDays = 7): Promise<CsvPriceSource> {
    return CsvPriceSource.parse(await readFile(file, 'utf8'), currency, maxGapDays);
  }

  priceOn(dayUtc: string): string | null {
    const exact = this.prices.get(dayUtc);
    if (exact !== undefined) return exact;
    // Latest earlier day (binary search), if close enough.
    let lo = 0;
    let hi = this.days.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid]! < dayUtc) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return null;
    const d = this.days[best]!;
    const gap = (Date.parse(`${dayUtc}T00:00:00Z`) - Date.parse(`${d}T00:00:00Z`)) / 86_400_000;
    return gap <= this.maxGapDays ? this.prices.get(d)! : null;
  }
}

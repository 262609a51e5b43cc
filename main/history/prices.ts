/**
 * Fiat values for the export: a price source gives NMR's price on a UTC day, as an exact decimal
 * string; amounts are multiplied in integers and rounded to cents (half away from zero), so a
 * spreadsheet's sum of the column is what the rows say.
 */
import { readFile } from 'node:fs/promises';

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

/** Splits one CSV line (RFC 4180 quotes). */
export function splitCsvLine(line: string, sep = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
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

function toPrice(s: string): string | null {
  const t = s
    .replace(/^[$€£]/, '')
    .replace(/,/g, '')
    .trim();
  if (!/^\d+(\.\d+)?(e[+-]?\d+)?$/i.test(t)) return null;
  if (/e/i.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? v.toFixed(12).replace(/\.?0+$/, '') : null;
  }
  return t;
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
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new PriceFileError('The price file is empty.');
    const sep = (lines[0]!.match(/;/g)?.length ?? 0) > (lines[0]!.match(/,/g)?.length ?? 0) ? ';' : ',';
    let rows = lines.map((l) => splitCsvLine(l, sep));
    const head = rows[0]!.map((h) => h.toLowerCase());
    let dateCol = -1;
    let priceCol = -1;
    if (toDay(rows[0]![0] ?? '') === null) {
      dateCol = head.findIndex((h) => /date|day|time|snapped/.test(h));
      priceCol = head.findIndex((h) => /^(price|close|nmr|value|rate)/.test(h));
      if (priceCol < 0) priceCol = head.findIndex((h) => /price|close/.test(h));
      rows = rows.slice(1);
    }
    if (dateCol < 0) dateCol = 0;
    if (priceCol < 0 || priceCol === dateCol) {
      const sample = rows[0] ?? [];
      priceCol = sample.findIndex((c, i) => i !== dateCol && toPrice(c) !== null);
    }
    if (priceCol < 0) throw new PriceFileError('No price column was found in the price file.');
    const prices = new Map<string, string>();
    rows.forEach((r, i) => {
      const day = toDay(r[dateCol] ?? '');
      const price = toPrice(r[priceCol] ?? '');
      if (day === null || price === null) throw new PriceFileError(`Row ${i + 2} of the price file has no readable date and price.`);
      prices.set(day, price);
    });
    if (!/^[A-Za-z]{2,10}$/.test(currency)) throw new PriceFileError('The currency must be a short code such as USD.');
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

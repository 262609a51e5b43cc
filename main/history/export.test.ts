import { describe, expect, it } from 'vitest';
import { formatUnits } from 'ethers';
import { formatNmr } from '../../shared/money';
import { isoUtc, koinlyDate } from './export';
import { CsvPriceSource, fiatValue, PriceFileError } from './prices';
import { rng } from './test-support/rng';

describe('amounts', () => {
  it('formats wei exactly (shared/money formatNmr), as ethers formatUnits does', () => {
    const r = rng(42);
    const samples = [0n, 1n, -1n, 10n ** 18n, -(10n ** 18n), 123456789012345678901234567890n, 10n ** 17n, 5n * 10n ** 30n];
    for (let i = 0; i < 2000; i++) {
      const digits = 1 + Math.floor(r() * 40);
      let s = '';
      for (let d = 0; d < digits; d++) s += Math.floor(r() * 10);
      const v = BigInt(s) * (r() < 0.3 ? -1n : 1n);
      samples.push(v);
    }
    for (const v of samples) expect(formatNmr(v)).toBe(formatUnits(v, 18).replace(/\.0$/, ''));
  });

  it('computes fiat values exactly, rounded to cents half away from zero', () => {
    expect(fiatValue(10n ** 18n, '12.345')).toBe('12.35');
    expect(fiatValue(-(10n ** 18n), '12.345')).toBe('-12.35');
    expect(fiatValue(1n, '20')).toBe('0.00');
    expect(fiatValue(-1n, '20')).toBe('0.00');
    expect(fiatValue(123456789n * 10n ** 13n, '7.1')).toBe('8765.43');
    expect(fiatValue(10n ** 18n, null)).toBe('');
    expect(fiatValue(10n ** 18n, 'abc')).toBe('');
  });

  it("writes dates as UTC ISO-8601, and in Koinly's form", () => {
    expect(isoUtc(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02T03:04:05Z');
    expect(koinlyDate(Date.UTC(2025, 2, 14, 9, 30, 5))).toBe('2025-03-14 09:30:05 UTC');
  });
});

describe('price files', () => {
  it('reads simple, CoinGecko-style and semicolon files, and carries a price over short gaps', () => {
    const simple = CsvPriceSource.parse('date,price\n2025-03-01,10.5\n2025-03-02,11\n', 'usd');
    expect(simple.currency).toBe('USD');
    expect(simple.priceOn('2025-03-02')).toBe('11');
    expect(simple.priceOn('2025-03-05')).toBe('11');
    expect(simple.priceOn('2025-03-20')).toBeNull();
    expect(simple.priceOn('2025-02-28')).toBeNull();
    const gecko = CsvPriceSource.parse('snapped_at,price,market_cap,total_volume\n2025-03-01 00:00:00 UTC,9.87,1,2\n', 'EUR');
    expect(gecko.priceOn('2025-03-01')).toBe('9.87');
    const semi = CsvPriceSource.parse('Day;Close\n2025-03-01;"1,234.5"\n', 'CHF');
    expect(semi.priceOn('2025-03-01')).toBe('1234.5');
    const headless = CsvPriceSource.parse('2025-03-01,3\n1741046400,4\n', 'USD');
    expect(headless.priceOn('2025-03-04')).toBe('4');
  });

  it('refuses files it cannot read, saying which row', () => {
    expect(() => CsvPriceSource.parse('', 'USD')).toThrow(PriceFileError);
    expect(() => CsvPriceSource.parse('date,price\n2025-03-01,ten\n', 'USD')).toThrow(/Line 2/);
    expect(() => CsvPriceSource.parse('date,price\n2025-03-01,1\n', 'US Dollars')).toThrow(/currency/);
  });
});

import { describe, expect, it } from 'vitest';
import { CsvPriceSource, fiatValue, PriceFileError } from './prices';

const NMR = 10n ** 18n;

function refusal(text: string): string {
  try {
    CsvPriceSource.parse(text, 'EUR');
  } catch (e) {
    expect(e).toBeInstanceOf(PriceFileError);
    return (e as Error).message;
  }
  throw new Error('the price file was accepted');
}

describe('price file', () => {
  it('reads ";" files with decimal commas: 12,34 is 12.34, not 1234', () => {
    const p = CsvPriceSource.parse('Datum;Preis\n2025-03-01;12,34\n2025-03-02;1.234,5\n2025-03-03;7\n', 'EUR');
    expect(p.priceOn('2025-03-01')).toBe('12.34');
    expect(p.priceOn('2025-03-02')).toBe('1234.5');
    expect(p.priceOn('2025-03-03')).toBe('7');
    // The tax export's figure: 2 NMR at 12,34 EUR is 24.68, not 2468.
    expect(fiatValue(2n * NMR, p.priceOn('2025-03-01'))).toBe('24.68');
  });

  it('reads quoted fields: delimiters, quotes and line breaks inside them', () => {
    const p = CsvPriceSource.parse(
      'date,price,note\n2025-03-01,"12,5","a note, with a comma"\n2025-03-02,"1,234.5","she said ""hi""\non two lines"\n2025-03-03,13,x\n',
      'USD',
    );
    expect(p.priceOn('2025-03-01')).toBe('12.5');
    expect(p.priceOn('2025-03-02')).toBe('1234.5');
    expect(p.priceOn('2025-03-03')).toBe('13');
    const semi = CsvPriceSource.parse('"Day";"Close";"Note"\n"2025-03-01";"9,87";"x; y"\n', 'EUR');
    expect(semi.priceOn('2025-03-01')).toBe('9.87');
  });

  it('reads files with a header or none, tabs, CRLF, a BOM and a currency sign', () => {
    expect(CsvPriceSource.parse('2025-03-01;12,5\n2025-03-02;13\n', 'EUR').priceOn('2025-03-01')).toBe('12.5');
    expect(CsvPriceSource.parse('2025-03-01,3\n1741046400,4\n', 'USD').priceOn('2025-03-04')).toBe('4');
    expect(CsvPriceSource.parse('date\tclose\n2025-03-01\t8.25\n', 'USD').priceOn('2025-03-01')).toBe('8.25');
    expect(CsvPriceSource.parse('\ufeffdate,price\r\n2025-03-01,$10.5\r\n\r\n', 'USD').priceOn('2025-03-01')).toBe('10.5');
    expect(CsvPriceSource.parse('Datum;Kurs\n2025-03-01;10,5 €\n', 'EUR').priceOn('2025-03-01')).toBe('10.5');
    expect(CsvPriceSource.parse('snapped_at,price,market_cap\n2025-03-01 00:00:00 UTC,1.5e1,1\n', 'USD').priceOn('2025-03-01')).toBe('15');
  });

  it('refuses an ambiguous price with its line number and how to write it', () => {
    expect(refusal('Datum;Preis\n2025-03-01;12,5\n2025-03-02;1.234\n')).toBe(
      'Line 3 of the price file: “1.234” could mean 1234 or 1,234. Write 1234 without the point, or 1,234 with a decimal comma.',
    );
    expect(refusal('date,price\n2025-03-01,"1,234"\n')).toMatch(/^Line 2 of the price file: “1,234” could mean 1234 or 1\.234/);
  });

  it('says which line cannot be read', () => {
    expect(refusal('')).toBe('The price file is empty.');
    expect(refusal('date,price\n2025-03-01,10\nyesterday,11\n')).toBe('Line 3 of the price file has no readable date ("yesterday").');
    expect(refusal('day,comment\n2025-03-01,ten\n')).toBe('No price column was found in the price file.');
    expect(refusal('date,price\n2025-03-01,ten\n')).toBe('Line 2 of the price file: "ten" is not a price; write a number such as 12.5.');
    expect(refusal('date,price\n2025-03-01,10\n2025-03-02,ten\n')).toBe(
      'Line 3 of the price file: "ten" is not a price; write a number such as 12.5.',
    );
    expect(refusal('date,price\n2025-03-01,"10\n')).toMatch(/^The price file is not a CSV file \(line \d\)/);
    expect(() => CsvPriceSource.parse('date,price\n2025-03-01,1\n', 'US Dollars')).toThrow(/currency/);
  });
});

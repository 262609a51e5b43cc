import { describe, expect, it } from 'vitest';
import { numberSymbols } from './amount-format';
import { amountPlaceholder, exampleAmount, parseAmount, writeAmount } from './amount-input';
import { AmountError } from './money';

const NMR = 10n ** 18n;
/** 1234.5 NMR */
const A = 1234n * NMR + NMR / 2n;

function refused(text: string, locale: string): string {
  try {
    parseAmount(text, locale);
  } catch (e) {
    expect(e).toBeInstanceOf(AmountError);
    return (e as Error).message;
  }
  throw new Error(`"${text}" (${locale}) was accepted`);
}

describe('numberSymbols', () => {
  it('takes the decimal and grouping symbols from Intl', () => {
    expect(numberSymbols('en-US')).toEqual({ decimal: '.', group: ',' });
    expect(numberSymbols('de-DE')).toEqual({ decimal: ',', group: '.' });
    expect(numberSymbols('fr-FR')).toEqual({ decimal: ',', group: '\u202f' });
    // ICU versions differ: ' or ’; both are read as grouping.
    expect(numberSymbols('de-CH').group).toMatch(/^['’]$/);
    expect(exampleAmount('de-DE')).toBe('12,5');
    expect(exampleAmount('en-US')).toBe('12.5');
  });
});

describe('parseAmount', () => {
  it('reads "1,5" in de-DE and "1.5" in en-US as the same 1.5 NMR', () => {
    expect(parseAmount('1,5', 'de-DE')).toBe(15n * 10n ** 17n);
    expect(parseAmount('1.5', 'en-US')).toBe(15n * 10n ** 17n);
    // The other convention's decimal is still a decimal when it cannot be a grouping.
    expect(parseAmount('1.5', 'de-DE')).toBe(15n * 10n ** 17n);
    expect(parseAmount('1,5', 'en-US')).toBe(15n * 10n ** 17n);
  });

  it('reads every locale’s own way of writing 1234.5', () => {
    const cases: [string, string][] = [
      ['en-US', '1,234.5'],
      ['en-US', '1234.5'],
      ['de-DE', '1.234,5'],
      ['de-DE', '1234,5'],
      ['fr-FR', '1\u202f234,5'],
      ['fr-FR', '1\u00a0234,5'],
      ['fr-FR', '1 234,5'],
      ['de-CH', '1’234.5'],
      ['de-CH', "1'234.5"],
      ['hi-IN', '1,234.5'],
      ['es-ES', '1234,5'],
      ['ja-JP', '1,234.5'],
    ];
    for (const [locale, text] of cases) expect(parseAmount(text, locale), `${locale} ${text}`).toBe(A);
    // What the locale's own formatter writes, read back in the same locale.
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'hi-IN', 'it-IT', 'pt-BR', 'sv-SE', 'pl-PL']) {
      const written = new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).format(1234567.5);
      expect(parseAmount(written, locale), `${locale} ${written}`).toBe(1234567n * NMR + NMR / 2n);
    }
  });

  it('reads Indian grouping (lakh, crore)', () => {
    expect(parseAmount('1,00,000', 'hi-IN')).toBe(100_000n * NMR);
    expect(parseAmount('1,23,45,678.25', 'hi-IN')).toBe(12_345_678n * NMR + NMR / 4n);
  });

  it('takes the last of "." and "," as the decimal, in any locale', () => {
    expect(parseAmount('1.234,5', 'en-US')).toBe(A);
    expect(parseAmount('1,234.5', 'de-DE')).toBe(A);
    expect(parseAmount('1.234.567', 'de-DE')).toBe(1_234_567n * NMR);
    expect(parseAmount('1,234,567', 'en-US')).toBe(1_234_567n * NMR);
  });

  it('reads the locale’s own decimal symbol as a decimal, even before three digits', () => {
    expect(parseAmount('1,234', 'de-DE')).toBe(1234n * 10n ** 15n);
    expect(parseAmount('1.234', 'en-US')).toBe(1234n * 10n ** 15n);
    expect(parseAmount('0.234', 'de-DE')).toBe(234n * 10n ** 15n);
    expect(parseAmount(',25', 'de-DE')).toBe(NMR / 4n);
    expect(parseAmount('.25', 'en-US')).toBe(NMR / 4n);
    expect(parseAmount('0,000000000000000001', 'de-DE')).toBe(1n);
    expect(parseAmount(' 12 ', 'de-DE')).toBe(12n * NMR);
  });

  it('refuses a single grouping-looking separator before three digits, saying both ways to write it', () => {
    expect(refused('1.234', 'de-DE')).toBe(
      '“1.234” could mean 1234 or 1,234. Write 1234 without the point, or 1,234 with a decimal comma.',
    );
    expect(refused('1,234', 'en-US')).toBe(
      '“1,234” could mean 1234 or 1.234. Write 1234 without the comma, or 1.234 with a decimal point.',
    );
    expect(refused('12.500', 'fr-FR')).toContain('could mean 12500 or 12,500');
    expect(refused('1,000', 'hi-IN')).toContain('could mean 1000 or 1.000');
    // de-CH's decimal symbol is ".": there "1.234" is one and a bit.
    expect(parseAmount('1.234', 'de-CH')).toBe(1234n * 10n ** 15n);
  });

  it('refuses what is not an amount, or grouped wrongly', () => {
    for (const [text, locale] of [
      ['', 'en-US'],
      ['abc', 'de-DE'],
      ['-1', 'en-US'],
      ['1e18', 'en-US'],
      ['1.2.3', 'de-DE'],
      ['1 5', 'fr-FR'],
      ['12,34,5', 'en-US'],
      ['1,234.5.6', 'en-US'],
      ['1.234,5,6', 'de-DE'],
      ['1,5.234', 'en-US'],
      ['1.5 0', 'en-US'],
      ['.', 'en-US'],
      [',', 'de-DE'],
      ['0.0000000000000000001', 'en-US'],
      [`${10n ** 78n}`, 'en-US'],
    ] as const) {
      expect(refused(text, locale), `${locale} "${text}"`).not.toBe('');
    }
    expect(refused('1 5', 'fr-FR')).toBe('Check the digit grouping, or write the amount without it, as in 1234,5.');
    expect(refused('abc', 'de-DE')).toBe('Enter a number such as 12,5.');
  });

  it('reads back exactly what it writes into a field, in every locale', () => {
    const locales = ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'hi-IN', 'es-ES', 'ja-JP', 'ar-EG'];
    const values = [0n, 1n, NMR, 1234n * NMR, 123_456n * 10n ** 15n, 1234n * NMR + 567n * 10n ** 15n, 10n ** 30n + 7n];
    for (const locale of locales) for (const v of values) expect(parseAmount(writeAmount(v, locale), locale), `${locale} ${v}`).toBe(v);
    expect(writeAmount(1234n * NMR + NMR / 2n, 'de-DE')).toBe('1234,5');
    expect(amountPlaceholder('de-DE')).toBe('0,0');
    expect(amountPlaceholder('en-US')).toBe('0.0');
  });

  it('never goes through a float', () => {
    expect(parseAmount('123456789012345678901234567890,123456789012345678', 'de-DE')).toBe(
      123456789012345678901234567890123456789012345678n,
    );
    expect(parseAmount('0.1', 'en-US') + parseAmount('0,2', 'de-DE')).toBe(3n * 10n ** 17n);
  });
});

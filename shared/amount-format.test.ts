import { describe, expect, it } from 'vitest';
import { exactUnits, formatUnitsRounded, shownEth, shownGwei, shownNmr } from './amount-format';

const NMR = 10n ** 18n;

describe('shownNmr', () => {
  it('rounds to the column’s decimals, marks it with ≈ and keeps the exact value', () => {
    expect(shownNmr(388_661_234_567_000_000_000n, 'en-US')).toEqual({ text: '≈388.6612', exact: '388.661234567', rounded: true });
    expect(shownNmr(388_661_250_000_000_000_000n, 'en-US', 2).text).toBe('≈388.66');
    expect(shownNmr(388_665_000_000_000_000_000n, 'en-US', 2).text).toBe('≈388.67'); // half away from zero
    expect(shownNmr(-388_665_000_000_000_000_000n, 'en-US', 2)).toEqual({ text: '≈-388.67', exact: '-388.665', rounded: true });
    expect(shownNmr(199_999_999_999_999_999_999n, 'en-US').text).toBe('≈200');
  });
  it('shows an exact figure without ≈ and without trailing zeros', () => {
    expect(shownNmr(1234n * NMR + NMR / 2n, 'en-US')).toEqual({ text: '1,234.5', exact: '1234.5', rounded: false });
    expect(shownNmr(0n, 'en-US')).toEqual({ text: '0', exact: '0', rounded: false });
    expect(shownNmr(30n * NMR, 'de-DE').text).toBe('30');
  });
  it('groups and writes the decimal the locale’s way', () => {
    const v = 1_234_567n * NMR + NMR / 2n;
    expect(shownNmr(v, 'en-US').text).toBe('1,234,567.5');
    expect(shownNmr(v, 'de-DE').text).toBe('1.234.567,5');
    expect(shownNmr(v, 'fr-FR').text).toBe('1\u202f234\u202f567,5');
    expect(shownNmr(v, 'hi-IN').text).toBe('12,34,567.5');
    expect(shownNmr(v, 'de-CH').text).toMatch(/^1['’]234['’]567\.5$/);
  });
  it('never shows a tiny amount as zero, and never a bare "…"', () => {
    expect(shownNmr(1n, 'en-US')).toEqual({ text: '<0.0001', exact: '0.000000000000000001', rounded: true });
    expect(shownNmr(1n, 'de-DE', 2).text).toBe('<0,01');
    expect(shownNmr(-1n, 'en-US').text).toBe('-<0.0001');
    for (const v of [1n, 123_456_789n * 10n ** 12n, 5_733_123_456n * 10n ** 15n]) expect(shownNmr(v, 'en-US').text).not.toContain('…');
  });
  it('gives the whole figure, grouped, with 18 decimals', () => {
    expect(shownNmr(1234n * NMR + 1n, 'de-DE', 18)).toEqual({
      text: '1.234,000000000000000001',
      exact: '1234.000000000000000001',
      rounded: false,
    });
  });
});

describe('shownEth and shownGwei', () => {
  it('shows a fee with about 4 significant digits', () => {
    expect(shownEth(456_101_007_297_616n, 'en-US')).toEqual({ text: '≈0.0004561', exact: '0.000456101007297616', rounded: true });
    expect(shownEth(21_000n * 10n ** 9n, 'en-US')).toEqual({ text: '0.000021', exact: '0.000021', rounded: false });
    expect(shownEth(1_234_567n * 10n ** 12n, 'de-DE').text).toBe('≈1,235');
    expect(shownEth(1_234_567n * NMR, 'en-US').text).toBe('1,234,567');
    expect(shownEth(0n, 'en-US').text).toBe('0');
  });
  it('shows gwei with at most 2 decimals', () => {
    expect(shownGwei(1_000_000_016n, 'en-US')).toEqual({ text: '≈1', exact: '1.000000016', rounded: true });
    expect(shownGwei(25n * 10n ** 9n, 'en-US').text).toBe('25');
    expect(shownGwei(12_500_000_000n, 'en-US').text).toBe('12.5');
    expect(shownGwei(12_345_000_000n, 'de-DE').text).toBe('≈12,35');
  });
});

describe('exactUnits and formatUnitsRounded', () => {
  it('writes exact values in machine form', () => {
    expect(exactUnits(1n, 18)).toBe('0.000000000000000001');
    expect(exactUnits(-15n, 1)).toBe('-1.5');
    expect(exactUnits(7n, 0)).toBe('7');
  });
  it('keeps trailing zeros up to minDigits', () => {
    expect(formatUnitsRounded(150n, 2, 2, 'en-US', 2).text).toBe('1.50');
    expect(formatUnitsRounded(150n, 2, 0, 'en-US').text).toBe('≈2');
  });
});

import { describe, expect, it } from 'vitest';
import { AmountError, formatEth, formatNmr, nmrFromDecimal, toWei, Wei, weiToNmrFloat } from './money';

describe('money', () => {
  it('reads machine-written decimals exactly', () => {
    expect(nmrFromDecimal('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(nmrFromDecimal('1000')).toBe(1000n * 10n ** 18n);
    expect(nmrFromDecimal('0.000000000000000001')).toBe(1n);
  });
  it('refuses anything else: typed amounts go through parseAmount with the locale', () => {
    for (const bad of ['', 'abc', '-1', '1e18', '1.2.3', '0.0000000000000000001', '.', '1,000', '1,5', ' 1', '.25']) {
      expect(() => nmrFromDecimal(bad), bad).toThrow(AmountError);
    }
  });
  it('formats without losing precision', () => {
    expect(formatNmr(1n)).toBe('0.000000000000000001');
    expect(formatNmr(10n ** 18n)).toBe('1');
    expect(formatNmr(123_456_789_000_000_000_000n)).toBe('123.456789');
  });
  it('validates wei strings on the wire', () => {
    expect(toWei('42')).toBe(42n);
    expect(() => toWei('-1')).toThrow();
    expect(() => toWei('01')).toThrow();
    expect(() => toWei((1n << 256n).toString())).toThrow();
  });
});

describe('Wei codec', () => {
  it('decodes a wire string into bigint wei and encodes it back, exactly', () => {
    const big = ((1n << 256n) - 1n).toString();
    for (const s of ['0', '1', '1500000000000000000', big]) expect(Wei.encode(Wei.decode(s))).toBe(s);
    expect(Wei.parse('42')).toBe(42n);
  });
  it('refuses what is not a whole, non-negative, 256-bit amount, in both directions', () => {
    for (const bad of ['-1', '01', '1.5', '', ' 1', (1n << 256n).toString()]) expect(Wei.safeParse(bad).success, bad).toBe(false);
    expect(() => Wei.encode(-1n)).toThrow();
    expect(() => Wei.encode(1n << 256n)).toThrow();
  });
});

describe('ETH and chart figures', () => {
  it('formats ETH exactly, with its own function', () => {
    expect(formatEth(21_000n * 10n ** 9n)).toBe('0.000021');
    expect(formatEth(10n ** 17n)).toBe('0.1');
    expect(formatEth(-1n)).toBe('-0.000000000000000001');
  });
  it('turns wei into float NMR for charts, whole and fraction apart', () => {
    expect(weiToNmrFloat(1234n * 10n ** 18n + 5n * 10n ** 17n)).toBe(1234.5);
    expect(weiToNmrFloat('1500000000000000000')).toBe(1.5);
    expect(weiToNmrFloat(1n)).toBe(1e-18);
    expect(weiToNmrFloat(-(10n ** 18n))).toBe(-1);
  });
});

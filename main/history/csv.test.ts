import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv';

describe('csv', () => {
  it('quotes separators and quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });
  it('defuses spreadsheet formulas in text but keeps numbers', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(12n)).toBe('12');
  });
  it('keeps signed decimal amounts as numbers but defuses anything else that starts with a sign', () => {
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell('-0.000000000000000001')).toBe('-0.000000000000000001');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-')).toBe("'-");
    expect(csvCell('\t=1')).toBe("'\t=1");
  });
  it('ends lines with CRLF as RFC 4180 says', () => {
    expect(csvLine(['a', 1])).toBe('a,1\r\n');
  });
});

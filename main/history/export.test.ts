import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatUnits } from 'ethers';
import { formatNmr } from '../../shared/money';
import { isoUtc, koinlyRow, writeExport } from './export';
import { CsvPriceSource, fiatValue, PriceFileError } from './prices';
import type { Ledger, LedgerRow, RowType } from './ledger';
import { rng } from './test-support/dev-chain';

const dir = mkdtempSync(join(tmpdir(), 'history-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(type: RowType, amountWei: bigint, extra: Partial<LedgerRow> = {}): LedgerRow {
  return {
    account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    modelId: 3,
    type,
    round: 812,
    block: 100,
    logIndex: 2,
    txHash: `0x${'ab'.repeat(32)}`,
    timeMs: Date.UTC(2025, 2, 14, 9, 30, 5),
    amountWei,
    shares: null,
    valueChangeWei: amountWei,
    valueAfterWei: 10n ** 18n,
    sharesAfter: 5n,
    pendingInAfterWei: 0n,
    pendingOutSharesAfter: 0n,
    withdrawableAfterWei: 0n,
    returnBps: type === 'reward' ? 125 : type === 'burn' ? -210 : null,
    ...extra,
  };
}

function ledgerOf(rows: LedgerRow[]): Ledger {
  return {
    asOfBlock: 1,
    accounts: [],
    rows,
    positions: [],
    modelNames: new Map([[3, '=EVIL()']]),
    rounds: [],
    results: [],
    missingFlows: [],
    issues: [],
    stats: { events: 0, results: 0, simulatedRounds: 0, lateResults: 0 },
  };
}

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

  it('writes dates as UTC ISO-8601', () => {
    expect(isoUtc(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02T03:04:05Z');
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

describe('Koinly layout', () => {
  const l = ledgerOf([]);
  const prices = CsvPriceSource.parse('date,price\n2025-03-14,20\n', 'USD');
  it('maps flows to transfers, rewards to "reward", fees to "cost", burns to "lost", and skips conversions', () => {
    const d = koinlyRow(row('delegation', 5n * 10n ** 18n), l, prices)!;
    expect(d).toEqual([
      '2025-03-14 09:30:05 UTC',
      '',
      '',
      '5',
      'NMR',
      '',
      '',
      '100.00',
      'USD',
      '',
      'Delegated to model =EVIL() (#3), at risk from round 813',
      `0x${'ab'.repeat(32)}`,
    ]);
    const w = koinlyRow(row('withdrawal', -2n * 10n ** 18n), l, null)!;
    expect(w.slice(1, 5)).toEqual(['2', 'NMR', '', '']);
    expect(w[9]).toBe('');
    expect(w[7]).toBe('');
    const r = koinlyRow(row('reward', 15n * 10n ** 17n), l, null)!;
    expect([r[3], r[4], r[9]]).toEqual(['1.5', 'NMR', 'reward']);
    expect(r[10]).toContain('+1.25%');
    const f = koinlyRow(row('fee', -(10n ** 17n)), l, null)!;
    expect([f[1], f[2], f[9]]).toEqual(['0.1', 'NMR', 'cost']);
    const b = koinlyRow(row('burn', -3n * 10n ** 18n), l, null)!;
    expect([b[1], b[9]]).toEqual(['3', 'lost']);
    expect(b[10]).toContain('-2.10%');
    expect(koinlyRow(row('rounding', -1n), l, null)![1]).toBe('0.000000000000000001');
    expect(koinlyRow(row('rounding', 1n), l, null)![9]).toBe('reward');
    for (const t of ['shares_issued', 'exit_settled', 'undelegation_request'] as const) expect(koinlyRow(row(t, 1n), l, null)).toBeNull();
  });
});

describe('writeExport', () => {
  const rows = Array.from({ length: 25_000 }, (_, i) =>
    row(i % 3 === 0 ? 'reward' : 'fee', BigInt(i) * 10n ** 15n * (i % 3 === 0 ? 1n : -1n), {
      block: i,
      timeMs: Date.UTC(2025, 0, 1) + i * 60_000,
    }),
  );
  const ledger = ledgerOf(rows);

  it('streams a CSV with a defused model name and reports progress to the end', async () => {
    const file = join(dir, 'a.csv');
    const seen: number[] = [];
    const r = await writeExport(ledger, file, {
      format: 'csv',
      chainId: 1,
      pool: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      onProgress: (p) => seen.push(p.done),
    });
    expect(r.rows).toBe(25_000);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\r\n').length).toBe(25_002);
    expect(text).toContain(",'=EVIL(),reward,");
    expect(text).toContain(',-0.001,');
    expect(seen.at(-1)).toBe(25_000);
    expect(seen.length).toBeGreaterThan(5);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('writes valid JSON with the range and fiat currency in its header', async () => {
    const file = join(dir, 'a.json');
    const prices = CsvPriceSource.parse('date,price\n2025-01-01,2\n', 'EUR', 365);
    await writeExport(ledger, file, {
      format: 'json',
      chainId: 1,
      pool: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      prices,
      fromMs: Date.UTC(2025, 0, 1, 1),
      toMs: Date.UTC(2025, 0, 1, 2),
    });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      fromUtc: string;
      fiatCurrency: string;
      rows: { amountFiat: string }[];
      positions: unknown[];
    };
    expect(doc.fromUtc).toBe('2025-01-01T01:00:00Z');
    expect(doc.fiatCurrency).toBe('EUR');
    expect(doc.rows.length).toBe(60);
    expect(doc.rows[0]!.amountFiat).toBe('0.12'); // 0.06 NMR × 2 EUR
    expect(doc.positions.length).toBe(1);
    await writeExport(ledgerOf([]), join(dir, 'empty.json'), {
      format: 'json',
      chainId: 1,
      pool: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    });
    expect(JSON.parse(readFileSync(join(dir, 'empty.json'), 'utf8')).rows).toEqual([]);
  });

  it('leaves no file behind when cancelled', async () => {
    const file = join(dir, 'cancelled.csv');
    const ac = new AbortController();
    await expect(
      writeExport(ledger, file, {
        format: 'csv',
        chainId: 1,
        pool: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done >= 4_000) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});

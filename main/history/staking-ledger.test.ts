import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnits } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { StakingEvent } from './staking-events';
import { stakingExportChunks, writeStakingExport, type StakingExportOptions } from './staking-export';
import { buildStakingLedger, holderRoundResults, StakingLedgerError, stakingValueOf } from './staking-ledger';

const E18 = 10n ** 18n;
const A = '0x00000000000000000000000000000000000000aa';
const B = '0x00000000000000000000000000000000000000bb';
const OP = '0x00000000000000000000000000000000000000cc';

/** A history in the pool's order: two holders, a +20% round with a 10% fee, a −50% round, an exit, a withdrawal. */
function history(): StakingEvent[] {
  let block = 10;
  const at = () => ({ block: block++, logIndex: 0, txHash: `0x${block.toString(16).padStart(64, '0')}` });
  const minted = 4000n * E18 * 1_000_000n; // the first conversion: d × (0 + 1e6) / (0 + 1)
  const ts1 = minted;
  const exitShares = 500n * E18 * 1_000_000n;
  // Round 100: 1000 staked, +200 returned, fee 20 → NAV 4180. Round 101: 1000 staked, −500 → NAV 3680.
  const exitAssets = stakingValueOf(exitShares, 3680n * E18, ts1);
  return [
    {
      ...at(),
      kind: 'ModelRegistered',
      modelId: 1,
      numeraiModelId: `0x${'ab'.repeat(32)}`,
      name: 'alpha',
      operator: OP,
      feeBps: 1000,
      capWei: 10n ** 30n,
    },
    { ...at(), kind: 'Delegated', holder: A, modelId: 1, epoch: 1, amountWei: 1000n * E18 },
    { ...at(), kind: 'Delegated', holder: B, modelId: 1, epoch: 1, amountWei: 3000n * E18 },
    {
      ...at(),
      kind: 'DepositsConverted',
      modelId: 1,
      epoch: 1,
      amountWei: 4000n * E18,
      sharesMinted: minted,
      navAfterWei: 4000n * E18,
      totalSharesAfter: ts1,
    },
    { ...at(), kind: 'TrancheStaked', modelId: 1, roundId: 100, amountWei: 1000n * E18, feeBps: 1000 },
    { ...at(), kind: 'TrancheStaked', modelId: 1, roundId: 101, amountWei: 1000n * E18, feeBps: 1000 },
    { ...at(), kind: 'SharesIssued', holder: A, modelId: 1, epoch: 1, amountWei: 1000n * E18, shares: minted / 4n },
    { ...at(), kind: 'RedeemRequested', holder: A, modelId: 1, batch: 1, shares: exitShares, unlockRound: 101, exitingShares: exitShares },
    {
      ...at(),
      kind: 'TrancheSettled',
      modelId: 1,
      roundId: 100,
      principalWei: 1000n * E18,
      returnedWei: 1200n * E18,
      feeWei: 20n * E18,
      alreadySettled: false,
    },
    {
      ...at(),
      kind: 'TrancheSettled',
      modelId: 1,
      roundId: 101,
      principalWei: 1000n * E18,
      returnedWei: 500n * E18,
      feeWei: 0n,
      alreadySettled: false,
    },
    {
      ...at(),
      kind: 'ExitsConverted',
      modelId: 1,
      batch: 1,
      shares: exitShares,
      assetsWei: exitAssets,
      navAfterWei: 3680n * E18 - exitAssets,
      totalSharesAfter: ts1 - exitShares,
    },
    { ...at(), kind: 'Withdrawn', holder: A, modelId: 1, amountWei: exitAssets },
    { ...at(), kind: 'FeesClaimed', modelId: 1, operator: OP, amountWei: 20n * E18 },
  ];
}

describe('buildStakingLedger', () => {
  it("books each holder's share of each round, and every position's rows add up to its value", () => {
    const events = history();
    const ledger = buildStakingLedger([...events].reverse()); // any order in, chain order out
    const results = holderRoundResults(ledger);
    const a100 = results.find((r) => r.holder === A && r.roundId === 100)!;
    const b100 = results.find((r) => r.holder === B && r.roundId === 100)!;
    // A holds a quarter of the shares: a quarter of the 200 gain and of the 20 fee, less the virtual shares' hair.
    expect(a100.stakedWei).toBe(250n * E18 - (250n * E18 * 1_000_000n) / (4000n * E18 * 1_000_000n + 1_000_000n) - 1n);
    expect(50n * E18 - a100.payoutWei).toBeLessThan(10n ** 8n);
    expect(5n * E18 - a100.feeWei).toBeLessThan(10n ** 8n);
    expect(b100.payoutWei + a100.payoutWei).toBeLessThanOrEqual(200n * E18);
    const a101 = results.find((r) => r.holder === A && r.roundId === 101)!;
    expect(a101.payoutWei).toBe(0n);
    expect(125n * E18 - a101.burnWei).toBeLessThan(10n ** 8n); // the exiting shares carry the loss
    for (const [, p] of ledger.positions) {
      const rows = ledger.rows.filter((r) => r.holder === p.holder && r.modelId === p.modelId);
      expect(rows.reduce((s, r) => s + r.valueChangeWei, 0n)).toBe(p.valueWei);
      expect(rows.at(-1)!.after.valueWei).toBe(p.valueWei);
    }
    const a = ledger.positions.get(`${A}:1`)!;
    expect(a).toMatchObject({ exitingShares: 0n, withdrawableWei: 0n, pendingDepositWei: 0n, unlockRound: 0 });
    expect(a.valueWei).toBe(stakingValueOf(a.shares, ledger.models.get(1)!.idleWei, ledger.models.get(1)!.totalShares));
    expect(ledger.models.get(1)).toMatchObject({
      atStakeWei: 0n,
      feesOwedWei: 0n,
      owedExitWei: 0n,
      pendingDepositWei: 0n,
      exitingShares: 0n,
    });
    expect(ledger.rounds.map((r) => [r.roundId, r.settled?.resultWei])).toEqual([
      [100, 200n * E18],
      [101, -500n * E18],
    ]);
    // Only A's rows when asked for A; the model's book is the same.
    const onlyA = buildStakingLedger(events, { accounts: [A.toUpperCase().replace('0X', '0x')] });
    expect(new Set(onlyA.rows.map((r) => r.holder))).toEqual(new Set([A]));
    expect(onlyA.models.get(1)!.idleWei).toBe(ledger.models.get(1)!.idleWei);
  });

  it('refuses a lazy SharesIssued that differs from the conversion, and events of an unknown model', () => {
    const events = history();
    const i = events.findIndex((e) => e.kind === 'SharesIssued');
    const wrong = { ...events[i]!, shares: 1n } as StakingEvent;
    expect(() => buildStakingLedger(events.map((e, k) => (k === i ? wrong : e)))).toThrow(StakingLedgerError);
    expect(() => buildStakingLedger(events.slice(1))).toThrow(/before its ModelRegistered/);
    const settled = events.filter((e) => e.kind !== 'TrancheStaked');
    expect(() => buildStakingLedger(settled)).toThrow(/without its TrancheStaked/);
  });
});

describe('staking exports', () => {
  const opts = (format: StakingExportOptions['format']): StakingExportOptions => ({
    format,
    chainId: 31337,
    pool: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    timeMs: (block) => Date.UTC(2026, 0, 1) + block * 60_000,
  });

  it('writes Koinly rows: payouts as reward, fees as cost, burns as lost, exact NMR, and balances to the value', () => {
    const ledger = buildStakingLedger(history());
    const text = [...stakingExportChunks(ledger, { ...opts('koinly'), accounts: [A] })].join('');
    const lines = text
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]![0]).toBe('Date');
    const label = (l: string[]) => l[9];
    expect(lines.slice(1).map(label)).toEqual(['', 'reward', 'cost', 'lost', '']);
    expect(lines[1]).toEqual(expect.arrayContaining(['2026-01-01 00:11:00 UTC', '', '', '1000', 'NMR']));
    // Koinly's balance of the pool wallet: the value, less the rounding of rows that are not exported.
    const toWei = (s: string) => (s ? parseUnits(s, 18) : 0n);
    const balance = lines.slice(1).reduce((s, l) => s + toWei(l[3]!) - toWei(l[1]!), 0n);
    const unexported = ledger.rows.filter(
      (r) => r.holder === A && ['shares_issued', 'exit_requested', 'exit_settled', 'staked'].includes(r.type),
    );
    expect(balance + unexported.reduce((s, r) => s + r.valueChangeWei, 0n)).toBe(ledger.positions.get(`${A}:1`)!.valueWei);
  });

  it('puts fiat beside the NMR amount when prices are given (CSV column, Koinly net worth)', () => {
    const ledger = buildStakingLedger(history());
    const prices = { currency: 'USD', priceOn: (day: string) => (day === '2026-01-01' ? '12.5' : null) };
    const csv = [...stakingExportChunks(ledger, { ...opts('csv'), prices })].join('').trim().split('\r\n');
    expect(csv[0]!.split(',').slice(6, 8)).toEqual(['amount_nmr', 'amount_usd']);
    const delegated = csv.map((l) => l.split(',')).find((c) => c[5] === 'delegated' && c[15] === A)!;
    expect(delegated.slice(6, 8)).toEqual(['1000', '12500.00']);
    const koinly = [...stakingExportChunks(ledger, { ...opts('koinly'), prices, accounts: [A] })].join('').trim().split('\r\n');
    expect(koinly[1]!.split(',').slice(7, 9)).toEqual(['12500.00', 'USD']);
  });

  it('writes CSV and JSON with every row, exact decimals and wei, through a .partial file', async () => {
    const ledger = buildStakingLedger(history());
    const dir = mkdtempSync(join(tmpdir(), 'staking-export-'));
    await writeStakingExport(ledger, join(dir, 'h.csv'), opts('csv'));
    const csv = readFileSync(join(dir, 'h.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe(
      'date_utc,numerai_round,batch,model_id,model,type,amount_nmr,value_change_nmr,value_after_nmr,shares_change,shares_after,tx_hash,block,log_index,account',
    );
    expect(csv).toHaveLength(ledger.rows.length + 1);
    expect(existsSync(join(dir, 'h.csv.partial'))).toBe(false);
    await writeStakingExport(ledger, join(dir, 'h.json'), opts('json'));
    const json = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as {
      rows: { type: string; amountWei: string; amountNmr: string }[];
      rounds: unknown[];
    };
    expect(json.rows).toHaveLength(ledger.rows.length);
    expect(json.rounds).toHaveLength(2);
    const burn = json.rows.find((r) => r.type === 'burn')!;
    expect(burn.amountNmr.startsWith('-124.99')).toBe(true);
    expect(BigInt(burn.amountWei)).toBe(ledger.rows.find((r) => r.type === 'burn')!.amountWei);
  });

  it('defuses a model name that looks like a formula, and leaves no file behind when cancelled', async () => {
    const events = history().map((e) => (e.kind === 'ModelRegistered' ? { ...e, name: '=EVIL()' } : e));
    const ledger = buildStakingLedger(events);
    const dir = mkdtempSync(join(tmpdir(), 'staking-export-'));
    await writeStakingExport(ledger, join(dir, 'evil.csv'), opts('csv'));
    expect(readFileSync(join(dir, 'evil.csv'), 'utf8')).toContain(",'=EVIL(),delegated,");
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(writeStakingExport(ledger, join(dir, 'cancelled.csv'), opts('csv'), cancelled.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(existsSync(join(dir, 'cancelled.csv'))).toBe(false);
    expect(existsSync(join(dir, 'cancelled.csv.partial'))).toBe(false);
  });
});

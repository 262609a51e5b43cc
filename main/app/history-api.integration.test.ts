import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiOutput, type EventPayload, type MethodName, type StakingPortfolio } from '../../shared/api';
import { demoModelRoundResult } from '../records';
import { createRecords } from './records-adapter';
import { groupRounds } from './history-api';
import { expectPortfolioOnChain, startStakingTestApp, type StakingTestApp } from './test-support/staking-app';

/**
 * The reward-history calls the screens use, on the local demo chain (the staking world: StakingPool's
 * events), through the router: the returns charts' figures and the exports reconcile with the pool's
 * own views to the wei, a payout is Koinly income and a burn a loss, and exports honour their period,
 * models, layout and price file, report progress, and can be cancelled.
 */
const PASSWORD = 'history api password';
const ONE = 10n ** 18n;
const holder = Wallet.createRandom();
let t: StakingTestApp;
let dir: string;
let call: <M extends MethodName>(method: M, input?: unknown) => Promise<ApiOutput<M>>;
const progress: EventPayload<'history.progress'>[] = [];
/** The model a round paid and the one it burned, the round, and their amounts put in. */
let paidId: number;
let burnedId: number;
let round: number;

type Position = StakingPortfolio['positions'][number];
const positionValue = (p: Position) => BigInt(p.waitingWei) + BigInt(p.valueWei) + BigInt(p.leavingValueWei) + BigInt(p.withdrawableWei);
const staking = async () => (await t.ok('portfolio.staking')) as unknown as StakingPortfolio;

/** Moves the demo one day at a time until `done` holds. */
async function advanceUntil(what: string, done: () => Promise<boolean>, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    await call('devnet.advanceRound');
    if (await done()) return;
  }
  throw new Error(`${what}: not after ${max} demo steps`);
}

beforeAll(async () => {
  t = await startStakingTestApp('history-api-', createRecords({ chainModels: 12 }), {});
  dir = t.dir;
  t.app.events.subscribe((e) => e.name === 'history.progress' && progress.push(e.payload));
  call = async (method, input = {}) => {
    const r = await t.call(method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return API[method].output.parse(r.value) as never;
  };

  await call('wallet.importPrivateKey', { privateKey: holder.privateKey, password: PASSWORD });
  await call('faucet.request');
  // A model the next Numerai round pays (5×CORR + 10×MMC both positive) and one it burns (both negative).
  const list = await call('models.list', { scope: 'pool', limit: 100 });
  round = Number(list.currentRound);
  const result = (name: string) => demoModelRoundResult(name, round);
  const pick = (sign: number) => {
    const m = list.rows.find((r) => Math.sign(result(r.name)?.corr20 ?? 0) === sign && Math.sign(result(r.name)?.mmc ?? 0) === sign);
    if (!m) throw new Error(`no demo model with both scores of sign ${sign} in round ${round}`);
    return m.modelId!;
  };
  paidId = pick(1);
  burnedId = pick(-1);
  await t.transact({
    kind: 'delegate',
    allocations: [
      { modelId: paidId, amountWei: (100n * ONE).toString() },
      { modelId: burnedId, amountWei: (55n * ONE + 7n).toString() },
    ],
  });
  await advanceUntil('the round settled for both', async () => {
    const p = await staking();
    return [paidId, burnedId].every((id) =>
      p.positions.find((x) => x.modelId === id)?.rounds.some((r) => r.roundId === round && r.state === 'claimed'),
    );
  });
  await t.transact({ kind: 'take-back', modelId: paidId, amountWei: (30n * ONE).toString() });
  for (let i = 0; i < 2; i++) await call('devnet.advanceRound');
}, 600_000);

afterAll(async () => {
  await t?.close();
});

const exportedText = (fileName: string) => readFileSync(join(dir, 'exports', fileName), 'utf8');

interface JsonRow {
  modelId: number;
  type: string;
  numeraiRound: number | null;
  amountNmr: string;
  amountWei: string;
  valueChangeWei: string;
  after: { valueWei: string };
}
async function jsonRows(exportId: string): Promise<JsonRow[]> {
  const r = await call('history.export', { exportId, format: 'json' });
  return (JSON.parse(exportedText(r.fileName)) as { rows: JsonRow[] }).rows;
}
const sumWei = (rows: readonly JsonRow[], pick: (r: JsonRow) => string) => rows.reduce((s, r) => s + BigInt(pick(r)), 0n);

describe('portfolio.returns and the export, against the pool', () => {
  it('equal the pool’s views to the wei: each position’s rows end at its value, its totals add up to it', async () => {
    const p = await staking();
    await t.withPool((pool) => expectPortfolioOnChain(pool, holder.address, p));
    expect(p.positions.map((x) => x.modelId).sort()).toEqual([paidId, burnedId].sort());
    const rows = await jsonRows('export-reconcile');
    const returns = await call('portfolio.returns');
    for (const x of p.positions) {
      const own = rows.filter((r) => r.modelId === x.modelId);
      // The last row's value is the pool's, and the rows' value changes add up to it.
      expect(BigInt(own.at(-1)!.after.valueWei)).toBe(positionValue(x));
      expect(sumWei(own, (r) => r.valueChangeWei)).toBe(positionValue(x));
      // The chart's totals: put in − taken back + payouts − fees − burns, plus the pool's floors
      // (conversions, exit requests, other holders' conversions), is the value now.
      const r = returns.positions.find((y) => y.modelId === x.modelId)!;
      const floors = sumWei(
        own.filter((y) => ['shares_issued', 'exit_requested', 'exit_settled', 'rounding', 'staked'].includes(y.type)),
        (y) => y.valueChangeWei,
      );
      const built = BigInt(r.delegatedWei) - BigInt(r.takenBackWei) + BigInt(r.rewardWei) - BigInt(r.feeWei) - BigInt(r.burnWei);
      expect(built + floors).toBe(positionValue(x));
      expect(floors < 1000n && floors > -1000n, `${floors} wei of floors`).toBe(true);
      // Each settled round's result is the position's payout − fee − burn of that round.
      expect(r.rounds.map((q) => q.round)).toContain(round);
      for (const q of r.rounds) {
        const settled = own.filter((y) => y.numeraiRound === q.round && ['payout', 'fee', 'burn'].includes(y.type));
        expect(BigInt(q.resultWei)).toBe(sumWei(settled, (y) => y.valueChangeWei));
      }
    }
    expect(BigInt(p.totalValueWei)).toBe(p.positions.reduce((s, x) => s + positionValue(x), 0n));
    const paid = returns.positions.find((x) => x.modelId === paidId)!;
    const burned = returns.positions.find((x) => x.modelId === burnedId)!;
    expect(BigInt(paid.rewardWei)).toBeGreaterThan(0n);
    expect(BigInt(burned.burnWei)).toBeGreaterThan(0n);
    expect(BigInt(paid.delegatedWei) + BigInt(burned.delegatedWei)).toBe(155n * ONE + 7n);
  });

  it('has a point per settled Numerai round, each value the one before plus what was put in and the round’s result', async () => {
    const returns = await call('portfolio.returns');
    expect(returns.points.length).toBeGreaterThanOrEqual(1);
    expect(returns.points.map((x) => x.round)).toContain(round);
    expect(BigInt(returns.points.at(-1)!.netDepositedWei)).toBe(155n * ONE + 7n);
    let before = { valueWei: '0', netDepositedWei: '0' };
    for (const b of returns.points) {
      const drift =
        BigInt(before.valueWei) + BigInt(b.netDepositedWei) - BigInt(before.netDepositedWei) + BigInt(b.resultWei) - BigInt(b.valueWei);
      expect(drift >= -1000n && drift <= 1000n, `round ${b.round}: ${drift} wei`).toBe(true);
      before = b;
    }
    // The points' results are the positions' round results, summed.
    const byRounds = returns.positions.flatMap((x) => x.rounds).reduce((s, q) => s + BigInt(q.resultWei), 0n);
    expect(returns.points.reduce((s, x) => s + BigInt(x.resultWei), 0n)).toBe(byRounds);
  });

  it('writes a payout as Koinly income and a burn as a loss, with the amounts of the ledger', async () => {
    const rows = await jsonRows('export-koinly-json');
    const koinly = await call('history.export', { exportId: 'export-koinly', format: 'koinly' });
    expect(koinly.fileName).toMatch(/koinly.*\.csv$/);
    const lines = parse<Record<string, string>>(exportedText(koinly.fileName), { columns: true });
    const payouts = rows.filter((r) => r.type === 'payout' && BigInt(r.amountWei) > 0n);
    const burns = rows.filter((r) => r.type === 'burn' && BigInt(r.amountWei) < 0n);
    expect(payouts.length).toBeGreaterThan(0);
    expect(burns.length).toBeGreaterThan(0);
    const reward = lines.filter((l) => l.Label === 'reward' && l.Description!.startsWith('Numerai payout'));
    const lost = lines.filter((l) => l.Label === 'lost' && l.Description!.startsWith('Numerai burn'));
    expect(reward.map((l) => [l['Received Amount'], l['Received Currency'], l['Sent Amount']])).toEqual(
      payouts.map((r) => [r.amountNmr, 'NMR', '']),
    );
    expect(lost.map((l) => [l['Sent Amount'], l['Sent Currency'], l['Received Amount']])).toEqual(
      burns.map((r) => [r.amountNmr.replace(/^-/, ''), 'NMR', '']),
    );
  });
});

describe('history.summary and history.export', () => {
  it('lists the models and days of the history', async () => {
    const s = await call('history.summary');
    expect(s.models).toHaveLength(2);
    expect(s.rows).toBeGreaterThan(6);
    expect(s.firstDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.lastDay! >= s.firstDay!).toBe(true);
    expect(s.accounts).toHaveLength(1);
  });

  it('exports the whole history as CSV with progress events, then only one model, then an empty period', async () => {
    progress.length = 0;
    const all = await call('history.export', { exportId: 'export-all-1', format: 'csv' });
    const lines = exportedText(all.fileName).trim().split('\r\n');
    expect(lines.length - 1).toBe(all.rows);
    expect(progress.some((p) => p.exportId === 'export-all-1' && p.phase === 'write')).toBe(true);
    const header = lines[0]!.split(',');
    const modelCol = header.indexOf('model');

    const s = await call('history.summary');
    const one = s.models[1]!;
    const only = await call('history.export', { exportId: 'export-one-1', format: 'csv', modelIds: [one.modelId] });
    const rows = exportedText(only.fileName).trim().split('\r\n').slice(1);
    expect(rows.length).toBe(only.rows);
    expect(only.rows).toBeGreaterThan(0);
    expect(only.rows).toBeLessThan(all.rows);
    expect(new Set(rows.map((r) => r.split(',')[modelCol]))).toEqual(new Set([one.name]));

    const none = await call('history.export', { exportId: 'export-none-1', format: 'csv', fromDay: '1990-01-01', toDay: '1990-12-31' });
    expect(none.rows).toBe(0);
  });

  it('writes a fiat column from a price file', async () => {
    const s = await call('history.summary');
    const csv = `date,price\n${s.firstDay},12.50\n${s.lastDay},13.00\n`;
    const priced = await call('history.export', { exportId: 'export-priced', format: 'csv', prices: { currency: 'eur', csv } });
    const [head, first] = exportedText(priced.fileName).split('\r\n');
    const h = head!.split(',');
    expect(h).toContain('amount_eur');
    const cells = first!.split(',');
    expect(cells[h.indexOf('amount_eur')]).toMatch(/^-?\d+\.\d{2}$/);
  });

  it('refuses a bad period, a bad price file and a reused id with clear errors, and writes nothing', async () => {
    const before = readdirSync(join(dir, 'exports')).length;
    await expect(
      call('history.export', { exportId: 'export-bad-1', format: 'csv', fromDay: '2025-02-01', toDay: '2025-01-01' }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('first day comes after'),
    });
    await expect(call('history.export', { exportId: 'export-bad-2', format: 'csv', fromDay: '2025-02-30' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(
      call('history.export', {
        exportId: 'export-bad-3',
        format: 'csv',
        prices: { currency: 'USD', csv: 'date,price\nyesterday,cheap\n' },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('price file'),
    });
    expect(readdirSync(join(dir, 'exports')).length).toBe(before);
  });

  it('cancels a running export: a clear CANCELLED error and no file left behind', async () => {
    const before = readdirSync(join(dir, 'exports')).sort();
    const run = (t.app.handlers['history.export'] as (i: unknown) => Promise<unknown>)(
      API['history.export'].input.parse({ exportId: 'export-cancel-1', format: 'json' }),
    );
    expect(await call('history.cancel', { exportId: 'export-cancel-1' })).toEqual({ cancelled: true });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(join(dir, 'exports')).sort()).toEqual(before);
    expect(await call('history.cancel', { exportId: 'export-cancel-1' })).toEqual({ cancelled: false });
  });
});

describe('history.entries (the History screen)', () => {
  type Entries = ApiOutput<'history.entries'>;
  /** Every entry a filter selects, a small page at a time, oldest first as the export writes them. */
  async function allEntries(filter: Record<string, unknown>): Promise<Entries['rows']> {
    const first = await call('history.entries', { ...filter, order: 'oldest', limit: 4 });
    const rows = [...first.rows];
    while (rows.length < first.total) {
      const next = await call('history.entries', { ...filter, order: 'oldest', limit: 4, offset: rows.length, asOfBlock: first.asOfBlock });
      expect(next.total).toBe(first.total);
      rows.push(...next.rows);
    }
    return rows;
  }
  const place = (r: { txHash: string; logIndex: number; type?: string; kind?: string }) => `${r.txHash}:${r.logIndex}:${r.kind ?? r.type}`;

  it('lists the same rows as the export for the same filters (the JSON file and the CSV), page after page', async () => {
    const filters: Record<string, unknown>[] = [
      {},
      { modelIds: [burnedId] },
      { kinds: ['delegated', 'burn', 'staked'] },
      { modelIds: [paidId], kinds: ['payout', 'fee', 'withdrawn', 'exit_requested'] },
      { fromDay: '1990-01-01', toDay: '1990-12-31' },
    ];
    for (const [i, f] of filters.entries()) {
      const screen = await allEntries(f);
      const json = await call('history.export', { ...f, exportId: `entries-json-${i}`, format: 'json' });
      const file = (JSON.parse(exportedText(json.fileName)) as { rows: (JsonRow & { txHash: string; logIndex: number })[] }).rows;
      expect(screen.map(place), JSON.stringify(f)).toEqual(file.map(place));
      expect(screen.map((r) => [r.amountWei, r.valueChangeWei, r.valueAfterWei])).toEqual(
        file.map((r) => [r.amountWei, r.valueChangeWei, r.after.valueWei]),
      );
      const csv = await call('history.export', { ...f, exportId: `entries-csv-${i}`, format: 'csv' });
      const lines = parse<Record<string, string>>(exportedText(csv.fileName), { columns: true });
      expect(lines.map((l) => `${l.tx_hash}:${l.log_index}:${l.type}`)).toEqual(screen.map(place));
    }
    // Newest first is the same list the other way round.
    const newest = await call('history.entries', { limit: 500 });
    expect(newest.rows.map(place)).toEqual((await allEntries({})).map(place).reverse());
  });

  it('totals each position to the wei of the pool’s own views and of the returns', async () => {
    const p = await staking();
    const returns = await call('portfolio.returns');
    const page = await call('history.entries', { limit: 1 });
    expect(page.positions.map((x) => x.modelId).sort()).toEqual([paidId, burnedId].sort());
    for (const x of page.positions) {
      const held = p.positions.find((y) => y.modelId === x.modelId)!;
      const r = returns.positions.find((y) => y.modelId === x.modelId)!;
      expect(BigInt(x.valueAtEndWei)).toBe(positionValue(held));
      expect(BigInt(x.valueChangeWei)).toBe(positionValue(held));
      expect(x.valueAtStartWei).toBe('0');
      expect([x.delegatedWei, x.payoutWei, x.feeWei, x.burnWei]).toEqual([r.delegatedWei, r.rewardWei, r.feeWei, r.burnWei]);
      expect(BigInt(x.cancelledWei) + BigInt(x.withdrawnWei)).toBe(BigInt(r.takenBackWei));
      expect(x.withdrawnWei).toBe(held.withdrawnWei);
      expect(BigInt(x.resultWei)).toBe(BigInt(r.rewardWei) - BigInt(r.feeWei) - BigInt(r.burnWei) + BigInt(x.roundingWei));
    }
    expect(BigInt(page.overall.valueAtEndWei)).toBe(BigInt(p.totalValueWei));
    expect(BigInt(page.overall.delegatedWei)).toBe(155n * ONE + 7n);
    expect(page.overall.entries).toBe(page.total);
  });

  it('refuses a period that ends before it starts, and a page too long', async () => {
    await expect(call('history.entries', { fromDay: '2025-02-01', toDay: '2025-01-01' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('first day comes after'),
    });
    await expect(call('history.entries', { limit: 501 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('groupRounds (a long history for the charts)', () => {
  it('keeps at most the limit, ends at the last round, and its results still add up to the wei', () => {
    const points = Array.from({ length: 4001 }, (_, i) => ({
      round: 100 + i,
      timeMs: i,
      valueWei: BigInt(i) * ONE,
      netDepositedWei: ONE,
      resultWei: BigInt(i % 7) - 3n,
    }));
    const grouped = groupRounds(points, 1500);
    expect(grouped.length).toBeLessThanOrEqual(1500);
    expect(grouped.at(-1)).toMatchObject({ round: 4100, valueWei: 4000n * ONE });
    const sum = (xs: { resultWei: bigint }[]) => xs.reduce((s, p) => s + p.resultWei, 0n);
    expect(sum(grouped)).toBe(sum(points));
    expect(groupRounds(points.slice(0, 10), 1500)).toEqual(points.slice(0, 10));
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiOutput, type EventPayload, type MethodName } from '../../shared/api';
import { silentLogger } from '../log/logger';
import { createRouter } from '../ipc/router';
import type { App } from './create-app';
import { createRecords } from './records-adapter';
import { createTestApp } from '../test-support/test-app';
import { groupRounds } from './history-api';

/**
 * The reward-history calls the screens use, on the local demo chain, through the router: the returns
 * charts' figures reconcile with the pool's own views to the wei, and exports honour their period,
 * models, layout and price file, report progress, and can be cancelled.
 */
const PASSWORD = 'history api password';
const records = createRecords({ chainModels: 6, historyRounds: 3 });
let dir: string;
let app: App;
let call: <M extends MethodName>(method: M, input?: unknown) => Promise<ApiOutput<M>>;
const progress: EventPayload<'history.progress'>[] = [];

async function untilMined(run: () => Promise<unknown>) {
  const done = new Promise<void>((resolve, reject) =>
    app.events.subscribe((e) => {
      if (e.name !== 'tx.status') return;
      if (e.payload.state === 'failed') reject(new Error(e.payload.error ?? 'failed'));
      if (e.payload.state === 'mined' && e.payload.step === e.payload.steps) resolve();
    }),
  );
  await run();
  await done;
}

const ONE = 10n ** 18n;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'history-api-'));
  app = await createTestApp(dir, { records, demoPool: 'delegation' });
  app.coordinator.setConfirmer({ present: async (_req, decide) => (setTimeout(() => decide('confirm'), 10), { confirmUrl: null }) });
  app.events.subscribe((e) => e.name === 'history.progress' && progress.push(e.payload));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  call = async (method, input = {}) => {
    const r = await router.handle(method, input, { kind: 'harness', token: 'x' });
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return API[method].output.parse(r.value) as never;
  };

  await call('wallet.importPrivateKey', { privateKey: Wallet.createRandom().privateKey, password: PASSWORD });
  await call('faucet.request');
  const ids = (await call('models.list', { limit: 3 })).rows.map((r) => r.modelId!);
  await untilMined(() =>
    call('tx.request', {
      intent: {
        kind: 'delegate',
        allocations: [
          { modelId: ids[0], amountWei: (100n * ONE).toString() },
          { modelId: ids[1], amountWei: (55n * ONE + 7n).toString() },
        ],
      },
    }),
  );
  for (let i = 0; i < 4; i++) await call('devnet.advanceRound');
  await untilMined(() => call('tx.request', { intent: { kind: 'undelegate', modelId: ids[0], amountWei: (30n * ONE).toString() } }));
  for (let i = 0; i < 2; i++) await call('devnet.advanceRound');
}, 240_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const exportedText = (fileName: string) => readFileSync(join(dir, 'exports', fileName), 'utf8');

describe('portfolio.returns', () => {
  it('ends at the value the pool reports, to the wei, with each round’s result adding up', async () => {
    const positions = await call('portfolio.positions');
    const returns = await call('portfolio.returns');
    expect(returns.points.length).toBeGreaterThanOrEqual(6);
    const last = returns.points[returns.points.length - 1]!;
    // Nothing happened since the last round closed, so its value is the pool's value now.
    const poolTotal = positions.positions.reduce(
      (s, p) => s + BigInt(p.valueWei) + BigInt(p.pendingInWei) + BigInt(p.pendingOutValueWei) + BigInt(p.withdrawableWei),
      0n,
    );
    expect(BigInt(last.valueWei)).toBe(poolTotal);
    expect(BigInt(positions.totalValueWei)).toBe(poolTotal);
    expect(BigInt(last.netDepositedWei)).toBe(155n * ONE + 7n);
    // Value after a round = value after the round before + what was put in between + the round's
    // result (an exit request in between may round its shares' value down by a few wei).
    for (let i = 1; i < returns.points.length; i++) {
      const a = returns.points[i - 1]!;
      const b = returns.points[i]!;
      const drift = BigInt(a.valueWei) + (BigInt(b.netDepositedWei) - BigInt(a.netDepositedWei)) + BigInt(b.resultWei) - BigInt(b.valueWei);
      expect(drift >= -1000n && drift <= 1000n, `round ${b.round}: ${drift} wei`).toBe(true);
    }
    expect(returns.points.some((p) => BigInt(p.resultWei) !== 0n)).toBe(true);
    // Per position: what was put in, plus rewards, less fees and burns, is its value now (rounding aside, it rounds down).
    expect(returns.positions).toHaveLength(2);
    for (const r of returns.positions) {
      const p = positions.positions.find((x) => x.modelId === r.modelId)!;
      const value = BigInt(p.valueWei) + BigInt(p.pendingInWei) + BigInt(p.pendingOutValueWei) + BigInt(p.withdrawableWei);
      const built = BigInt(r.delegatedWei) - BigInt(r.takenBackWei) + BigInt(r.rewardWei) - BigInt(r.feeWei) - BigInt(r.burnWei);
      expect(built - value).toBeGreaterThanOrEqual(0n);
      expect(built - value).toBeLessThan(1000n);
      expect(r.rounds.length).toBeGreaterThan(0);
      const lastRound = r.rounds[r.rounds.length - 1]!;
      expect(BigInt(lastRound.valueAfterWei)).toBe(value);
    }
  });
});

describe('history.summary and history.export', () => {
  it('lists the models and days of the history', async () => {
    const s = await call('history.summary');
    expect(s.models).toHaveLength(2);
    expect(s.rows).toBeGreaterThan(10);
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

  it('writes the Koinly layout and a fiat column from a price file', async () => {
    const koinly = await call('history.export', { exportId: 'export-koinly', format: 'koinly' });
    expect(koinly.fileName).toMatch(/koinly.*\.csv$/);
    expect(exportedText(koinly.fileName).split('\r\n')[0]).toMatch(/^Date,/);

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
    const run = (app.handlers['history.export'] as (i: unknown) => Promise<unknown>)(
      API['history.export'].input.parse({ exportId: 'export-cancel-1', format: 'json' }),
    );
    expect(await call('history.cancel', { exportId: 'export-cancel-1' })).toEqual({ cancelled: true });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(join(dir, 'exports')).sort()).toEqual(before);
    expect(await call('history.cancel', { exportId: 'export-cancel-1' })).toEqual({ cancelled: false });
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

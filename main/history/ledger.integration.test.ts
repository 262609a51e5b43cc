/**
 * A long random history on a real local chain (anvil), indexed and exported by the history service,
 * then rebuilt independently from a raw eth_getLogs of every pool event (decoded with ethers' ABI
 * coder, not the indexer's decoder) and the pool's own views at every block where anything happened:
 * every position, every block, every flow row and every fee split must agree to the wei.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { HistoryService } from './history-service';
import { valueOf, type Ledger, type LedgerRow } from './ledger';
import { formatNmr } from '../../shared/money';
import { parse } from 'csv-parse/sync';
import { CsvPriceSource } from './prices';
import { DevChain, pool, randomHistory, type HistorySummary } from './test-support/dev-chain';
import { returnsSeries } from './ledger';

const ROUNDS = Number(process.env.HISTORY_TEST_ROUNDS ?? 120);

/** Parses an exact decimal NMR string back to wei. */
function toWei(s: string): bigint {
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i!) * 10n ** 18n + BigInt((f + '0'.repeat(18)).slice(0, 18));
  return neg ? -v : v;
}

type View = Awaited<ReturnType<DevChain['positions']>>[number];
const total = (v: View) => v.valueWei + v.pendingInWei + v.pendingOutValueWei + v.withdrawableWei;

describe('ledger on a real chain', () => {
  let anvil: AnvilHandle;
  let chain: DevChain;
  let dir: string;
  let summary: HistorySummary;
  let accounts: string[];
  let service: HistoryService;
  let ledger: Ledger;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'history-chain-'));
    anvil = await startAnvil({ extraArgs: ['--gas-limit', '60000000'] });
    chain = new DevChain(anvil.url);
    await chain.init();
    const t0 = performance.now();
    summary = await randomHistory(chain, {
      seed: Number(process.env.HISTORY_TEST_SEED ?? 7),
      holders: 4,
      models: 7,
      rounds: ROUNDS,
      lockRounds: 3,
    });
    console.log(
      `history: ${chain.txs} transactions in ${((performance.now() - t0) / 1000).toFixed(1)} s ${JSON.stringify(summary.counts)}`,
    );
    // Three of the four holders are "the user"; the fourth is someone else in the same models.
    accounts = summary.holders.slice(0, 3);
    service = new HistoryService({
      rpcUrl: anvil.url,
      chainId: 31337,
      poolAddress: chain.poolAddress,
      deployBlock: chain.deployBlock,
      indexDir: join(dir, 'index'),
      exportDir: join(dir, 'exports'),
      reader: { initialSpan: 64 },
    });
    ledger = await service.ledger(accounts);
  }, 240_000);

  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with raw logs and the pool views at every block, to the wei', async () => {
    expect(ledger.issues).toEqual([]);
    const head = await chain.blockNumber();
    expect(ledger.asOfBlock).toBe(head);

    // Raw logs, decoded independently.
    const raw = await chain.rpc.call<{ blockNumber: string; logIndex: string; transactionHash: string; topics: string[]; data: string }[]>(
      'eth_getLogs',
      [{ address: chain.poolAddress, fromBlock: `0x${chain.deployBlock.toString(16)}`, toBlock: `0x${head.toString(16)}` }],
    );
    const logs = raw
      .map((l) => ({
        block: Number(BigInt(l.blockNumber)),
        logIndex: Number(BigInt(l.logIndex)),
        tx: l.transactionHash.toLowerCase(),
        ev: pool.parseLog(l),
      }))
      .filter((l) => l.ev !== null);
    const eventBlocks = [...new Set(logs.map((l) => l.block))].sort((a, b) => a - b);
    const ids = summary.modelIds;
    let diff = 0n;
    const fail: string[] = [];
    const check = (what: string, got: bigint, want: bigint) => {
      if (got !== want) {
        diff += got > want ? got - want : want - got;
        if (fail.length < 20) fail.push(`${what}: ledger ${got} ≠ chain ${want}`);
      }
    };

    // The pool's views after every block that has a pool event (the only blocks where a position can change).
    const views = new Map<string, View[]>();
    const calls: { acc: string; block: number }[] = [];
    for (const acc of accounts) for (const b of eventBlocks) calls.push({ acc, block: b });
    for (let i = 0; i < calls.length; i += 100) {
      const batch = calls.slice(i, i + 100);
      const res = await chain.rpc.batch(
        batch.map((c) => ({
          method: 'eth_call',
          params: [{ to: chain.poolAddress, data: pool.encodeFunctionData('positionsOf', [c.acc, ids]) }, `0x${c.block.toString(16)}`],
        })),
      );
      batch.forEach((c, j) => {
        // Before every model is registered the view reverts (UnknownModel): nothing is held yet.
        const answer = res[j] instanceof Error ? null : (res[j] as string);
        if (answer === null) {
          views.set(
            `${c.acc}:${c.block}`,
            ids.map(() => ({
              shares: 0n,
              valueWei: 0n,
              pendingInWei: 0n,
              pendingInRound: 0,
              pendingOutShares: 0n,
              pendingOutValueWei: 0n,
              unlockRound: 0,
              withdrawableWei: 0n,
            })),
          );
          return;
        }
        const [list] = pool.decodeFunctionResult('positionsOf', answer) as unknown as [Record<string, bigint>[]];
        views.set(
          `${c.acc}:${c.block}`,
          list.map((p) => ({
            shares: BigInt(p.shares!),
            valueWei: BigInt(p.valueWei!),
            pendingInWei: BigInt(p.pendingInWei!),
            pendingInRound: Number(p.pendingInRound!),
            pendingOutShares: BigInt(p.pendingOutShares!),
            pendingOutValueWei: BigInt(p.pendingOutValueWei!),
            unlockRound: Number(p.unlockRound!),
            withdrawableWei: BigInt(p.withdrawableWei!),
          })),
        );
      });
    }

    // Rows per position in chain order.
    const byPos = new Map<string, LedgerRow[]>();
    for (const r of ledger.rows) {
      const k = `${r.account}:${r.modelId}`;
      byPos.set(k, [...(byPos.get(k) ?? []), r]);
    }
    let compared = 0;
    for (const acc of accounts) {
      for (const [mi, m] of ids.entries()) {
        const rows = byPos.get(`${acc}:${m}`) ?? [];
        let ri = 0;
        let last: LedgerRow | null = null;
        let prevTotal = 0n;
        for (const b of eventBlocks) {
          let flows = 0n;
          let changes = 0n;
          while (ri < rows.length && rows[ri]!.block <= b) {
            const r = rows[ri++]!;
            changes += r.valueChangeWei;
            if (r.type === 'delegation' || r.type === 'delegation_cancelled' || r.type === 'withdrawal') flows += r.valueChangeWei;
            last = r;
          }
          const v = views.get(`${acc}:${b}`)![mi]!;
          const where = `${acc.slice(0, 8)} model ${m} block ${b}`;
          check(`${where} value`, last?.valueAfterWei ?? 0n, total(v));
          check(`${where} shares`, last?.sharesAfter ?? 0n, v.shares);
          check(`${where} pending in`, last?.pendingInAfterWei ?? 0n, v.pendingInWei);
          check(`${where} pending out`, last?.pendingOutSharesAfter ?? 0n, v.pendingOutShares);
          check(`${where} withdrawable`, last?.withdrawableAfterWei ?? 0n, v.withdrawableWei);
          // The block's flows, from the raw logs, and its result = change of value − flows.
          let rawFlows = 0n;
          for (const l of logs) {
            if (l.block !== b || !l.ev || String(l.ev.args.holder ?? '').toLowerCase() !== acc || Number(l.ev.args.modelId) !== m) continue;
            if (l.ev.name === 'Delegated') rawFlows += l.ev.args.amountWei as bigint;
            if (l.ev.name === 'DelegationCancelled') rawFlows -= l.ev.args.amountWei as bigint;
            if (l.ev.name === 'Withdrawn') rawFlows -= l.ev.args.amountWei as bigint;
          }
          check(`${where} flows`, flows, rawFlows);
          check(`${where} result`, changes - flows, total(v) - prevTotal - rawFlows);
          prevTotal = total(v);
          compared++;
        }
        expect(ri).toBe(rows.length);
      }
    }

    // Every flow event of the user's accounts is exactly one row, with its amount.
    const flowRows = new Map(
      ledger.rows
        .filter((r) => ['delegation', 'delegation_cancelled', 'withdrawal'].includes(r.type))
        .map((r) => [`${r.txHash}:${r.logIndex}`, r]),
    );
    let flowEvents = 0;
    for (const l of logs) {
      if (!l.ev || !['Delegated', 'DelegationCancelled', 'Withdrawn'].includes(l.ev.name)) continue;
      if (!accounts.includes(String(l.ev.args.holder).toLowerCase())) continue;
      flowEvents++;
      const r = flowRows.get(`${l.tx}:${l.logIndex}`);
      const want = l.ev.name === 'Delegated' ? (l.ev.args.amountWei as bigint) : -(l.ev.args.amountWei as bigint);
      check(`flow row ${l.tx}:${l.logIndex}`, r?.amountWei ?? 0n, want);
    }
    expect(flowEvents).toBe(flowRows.size);

    // Fee split of every positive round, from the RoundResolved log and the shares at risk in the view before.
    const prevBlock = (b: number) => eventBlocks[eventBlocks.indexOf(b) - 1]!;
    const feeByKey = new Map<string, bigint>();
    for (const r of ledger.rows) if (r.type === 'fee') feeByKey.set(`${r.account}:${r.modelId}:${r.block}`, -r.amountWei);
    let feesChecked = 0;
    for (const l of logs) {
      if (l.ev?.name !== 'RoundResolved' || (l.ev.args.rewardWei as bigint) === 0n) continue;
      const a = l.ev.args;
      const m = Number(a.modelId);
      const PS = (a.totalSharesAfter as bigint) - (a.sharesMinted as bigint) + (a.exitSharesBurned as bigint);
      const PA = (a.stakeBeforeWei as bigint) + (a.rewardWei as bigint) - (a.feeWei as bigint) - (a.burnedWei as bigint);
      const gross = (a.stakeBeforeWei as bigint) + (a.rewardWei as bigint);
      for (const acc of accounts) {
        const before = views.get(`${acc}:${prevBlock(l.block)}`)![ids.indexOf(m)]!;
        const fee =
          valueOf(before.shares, gross, PS) +
          valueOf(before.pendingOutShares, gross, PS) -
          valueOf(before.shares, PA, PS) -
          valueOf(before.pendingOutShares, PA, PS);
        check(`fee ${acc.slice(0, 8)} model ${m} block ${l.block}`, feeByKey.get(`${acc}:${m}:${l.block}`) ?? 0n, fee);
        if (fee > 0n) feesChecked++;
      }
    }

    const types = new Set(ledger.rows.map((r) => r.type));
    console.log(
      `${logs.length} events, ${ledger.rows.length} ledger rows, ${compared} position×block states and ${feesChecked} fee splits compared, ${diff} wei difference` +
        ` (simulated left-out rounds ${ledger.stats.simulatedRounds}, caught up later ${ledger.stats.lateResults}, row types ${[...types].sort().join(' ')})`,
    );
    expect(fail).toEqual([]);
    expect(diff).toBe(0n);
    // The history must have exercised every path this test is about.
    for (const t of [
      'delegation',
      'delegation_cancelled',
      'shares_issued',
      'reward',
      'fee',
      'burn',
      'undelegation_request',
      'exit_settled',
      'withdrawal',
    ]) {
      expect(types, t).toContain(t);
    }
    expect(ledger.stats.simulatedRounds).toBeGreaterThan(0);
    expect(ledger.stats.lateResults).toBeGreaterThan(0);
    expect(service.indexer.store.flow(summary.modelIds.at(-1)!, (await chain.currentRound()) - 1)).toBeDefined();
    expect(feesChecked).toBeGreaterThan(10);
  });

  it('exports CSV, JSON and Koinly files whose rows and totals rebuild the same positions', async () => {
    const prices = CsvPriceSource.parse('date,price\n2020-01-01,12.5\n', 'USD', 100_000);
    const csv = join(dir, 'all.csv');
    const json = join(dir, 'all.json');
    const koinly = join(dir, 'koinly.csv');
    const r1 = await service.exportToFile(accounts, csv, { format: 'csv', prices });
    const r2 = await service.exportToFile(accounts, json, { format: 'json' });
    await service.exportToFile(accounts, koinly, { format: 'koinly' });
    expect(r1.rows).toBe(ledger.rows.length);
    expect(r2.rows).toBe(ledger.rows.length);

    const finalViews = new Map<string, View>();
    for (const acc of accounts) {
      const vs = await chain.positions(acc, summary.modelIds, ledger.asOfBlock);
      vs.forEach((v, i) => finalViews.set(`${acc}:${summary.modelIds[i]}`, v));
    }

    // CSV: every row matches the ledger; value changes add up to the pool's value of each position.
    const lines = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    // The export's documented columns (README), pinned here rather than read from export.ts; with prices, amount_usd follows amount_nmr.
    expect(lines[0]).toBe(
      'date_utc,round,model_id,model,type,amount_nmr,amount_usd,value_change_nmr,value_after_nmr,shares,shares_after,tx_hash,block,log_index,account',
    );
    expect(lines.length - 1).toBe(ledger.rows.length);
    const sums = new Map<string, bigint>();
    lines.slice(1).forEach((line, i) => {
      const c = parse(line)[0]!;
      const r = ledger.rows[i]!;
      expect(c[4]).toBe(r.type);
      expect(toWei(c[5]!)).toBe(r.amountWei);
      expect(c[7]).toBe(formatNmr(r.valueChangeWei));
      expect(toWei(c[8]!)).toBe(r.valueAfterWei);
      expect(c[11]).toBe(r.txHash);
      expect(new Date(c[0]!).getTime()).toBe(r.timeMs);
      const k = `${c[14]!.toLowerCase()}:${c[2]}`;
      sums.set(k, (sums.get(k) ?? 0n) + toWei(c[7]!));
    });
    // A model name that looks like a formula is defused and quoted.
    expect(readFileSync(csv, 'utf8')).toContain(`"'=model-3,""q"""`);
    for (const [k, v] of finalViews) expect(sums.get(k) ?? 0n, k).toBe(total(v));

    // JSON: same rows, wei strings exact; position totals close on the pool's values.
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      asOfBlock: number;
      rows: { amountWei: string; valueAfterWei: string; type: string }[];
      positions: { account: string; modelId: number; closingValueWei: string }[];
    };
    expect(doc.asOfBlock).toBe(ledger.asOfBlock);
    expect(doc.rows.length).toBe(ledger.rows.length);
    doc.rows.forEach((r, i) => {
      expect(BigInt(r.amountWei)).toBe(ledger.rows[i]!.amountWei);
      expect(BigInt(r.valueAfterWei)).toBe(ledger.rows[i]!.valueAfterWei);
    });
    for (const p of doc.positions)
      expect(BigInt(p.closingValueWei)).toBe(total(finalViews.get(`${p.account.toLowerCase()}:${p.modelId}`)!));

    // Koinly: received − sent per position is the value, less the rounding of undelegation requests (no NMR moves there).
    const kl = readFileSync(koinly, 'utf8').split('\r\n').filter(Boolean);
    // Koinly's universal CSV header, as Koinly documents it (pinned here, not read from export.ts).
    expect(kl[0]).toBe(
      'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
    );
    let balance = 0n;
    const labels = new Set<string>();
    for (const line of kl.slice(1)) {
      const c = parse(line)[0]!;
      expect(c[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      if (c[1]) balance -= toWei(c[1]);
      if (c[3]) balance += toWei(c[3]);
      labels.add(c[9]!);
    }
    expect([...labels].sort()).toEqual(['', 'cost', 'lost', 'reward']);
    const requestDust = ledger.rows.filter((r) => r.type === 'undelegation_request').reduce((a, r) => a + r.valueChangeWei, 0n);
    expect(balance + requestDust).toBe([...finalViews.values()].reduce((a, v) => a + total(v), 0n));
  });

  it('exports a date range and a set of models, with opening and closing values that chain', async () => {
    const times = ledger.rows.map((r) => r.timeMs);
    const mid = times[Math.floor(times.length / 2)]!;
    const late = times[Math.floor((times.length * 4) / 5)]!;
    const models = summary.modelIds.slice(0, 3);
    const file = join(dir, 'range.json');
    await service.exportToFile(accounts, file, { format: 'json', fromMs: mid, toMs: late, modelIds: models });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      rows: { dateUtc: string; modelId: number; valueChangeWei: string; account: string }[];
      positions: { account: string; modelId: number; openingValueNmr: string; closingValueNmr: string }[];
    };
    const want = ledger.rows.filter((r) => r.timeMs >= mid && r.timeMs < late && models.includes(r.modelId));
    expect(doc.rows.length).toBe(want.length);
    expect(want.length).toBeGreaterThan(10);
    for (const p of doc.positions) {
      const change = doc.rows
        .filter((r) => r.account === p.account && r.modelId === p.modelId)
        .reduce((a, r) => a + BigInt(r.valueChangeWei), 0n);
      expect(toWei(p.openingValueNmr) + change, `${p.account} ${p.modelId}`).toBe(toWei(p.closingValueNmr));
    }
  });

  it('gives the returns series from the same ledger: portfolio value at each round close equals the views', async () => {
    const series = returnsSeries(ledger);
    expect(series.portfolio.length).toBe(ledger.rounds.length);
    for (const point of series.portfolio.slice(-8)) {
      const close = ledger.rounds.find((r) => r.round === point.round)!;
      let want = 0n;
      for (const acc of accounts) for (const v of await chain.positions(acc, summary.modelIds, close.block)) want += total(v);
      expect(point.valueWei, `round ${point.round}`).toBe(want);
    }
    const results = series.positions.flatMap((p) => p.points);
    expect(results.some((p) => p.resultWei > 0n) && results.some((p) => p.resultWei < 0n)).toBe(true);
    // Per-position results add up to the rows of those results.
    const fromRows = ledger.rows
      .filter((r) => ['reward', 'fee', 'burn', 'rounding'].includes(r.type))
      .reduce((a, r) => a + r.valueChangeWei, 0n);
    expect(results.reduce((a, p) => a + p.resultWei, 0n)).toBe(fromRows);
  });
});

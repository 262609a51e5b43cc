/**
 * `history.*`: the reward history's export on StakingPool's events (the pool the app runs). The chain
 * is a synthetic StakingPool history (bench/staking-log-node.ts: 500 models × 100 Numerai rounds, one
 * holder in every model, ≈101,500 logs) served by a loopback JSON-RPC stand-in in its own process —
 * the same volume through the real contracts on anvil would take 100,000+ transactions. Both timed
 * figures read the same stand-in, so their ratio is the export's own cost.
 *
 *   history.export_100k_s      cold export to CSV through a HistoryService (empty index:
 *                              read the events through the adaptive chunker, decode, persist the
 *                              index, block times, ledger, CSV); best of `runs`
 *   history.raw_getlogs_100k_s one plain eth_getLogs of the whole range, parsed (the floor any export
 *                              over JSON-RPC pays), same run; best of `runs`. Goal: export ≤ 1.25× raw
 *   history.csv_rows_per_s     ledger rows formatted and written to CSV per second (the write step alone)
 *   history.entries_first_page_ms / history.entries_later_page_ms
 *                              the History screen's call: a new filter's first page (select and total
 *                              every row), then a later page of it; both through the service
 *
 * `node --import tsx bench/history.ts [models] [rounds]`, or the `history` group of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HISTORY_KINDS } from '../shared/api';
import { HistoryService } from '../main/history/history-service';
import { writeStakingExport } from '../main/history/staking-export';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note: string;
}

export interface HistoryBenchOptions {
  models?: number;
  rounds?: number;
  runs?: number;
  log?: (line: string) => void;
}

interface StandIn {
  url: string;
  logs: number;
  head: number;
  holder: string;
  pool: string;
}

const CHAIN_ID = 31337;

async function rawGetLogs(w: StandIn): Promise<{ seconds: number; logs: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(w.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getLogs',
      params: [{ address: w.pool, fromBlock: '0x0', toBlock: `0x${w.head.toString(16)}` }],
    }),
  });
  const text = await res.text();
  const logs = (JSON.parse(text) as { result: unknown[] }).result.length;
  return { seconds: (performance.now() - t0) / 1000, logs, bytes: text.length };
}

export async function benchHistory(opts: HistoryBenchOptions = {}): Promise<BenchFigure[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const runs = opts.runs ?? 3;
  const node = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./staking-log-node.ts', import.meta.url)),
      String(opts.models ?? 500),
      String(opts.rounds ?? 100),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  const work = mkdtempSync(join(tmpdir(), 'history-bench-'));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: node.stdout }).once('line', resolve);
      node.once('exit', (code) => reject(new Error(`the log stand-in exited (${code})`)));
    });
    const w = JSON.parse(first) as StandIn;
    log(`  staking history stand-in: ${w.logs} logs up to block ${w.head}`);
    // The first read warms the stand-in's answer: once, not measured.
    await rawGetLogs(w);
    const rawTimes: number[] = [];
    const expTimes: number[] = [];
    let rawInfo = { logs: 0, bytes: 0 };
    let rows = 0;
    let events = 0;
    let requests = 0;
    let bytes = 0;
    let service: HistoryService | null = null;
    for (let run = 0; run < runs; run++) {
      const r = await rawGetLogs(w);
      rawTimes.push(r.seconds);
      rawInfo = r;
      const dir = join(work, `run-${run}`);
      service = new HistoryService({
        rpcUrl: w.url,
        chainId: CHAIN_ID,
        poolAddress: w.pool,
        deployBlock: 1,
        indexDir: join(dir, 'index'),
        exportDir: dir,
      });
      const t0 = performance.now();
      const out = await service.exportToFile([w.holder], join(dir, 'history.csv'), { format: 'csv' });
      expTimes.push((performance.now() - t0) / 1000);
      rows = out.rows;
      bytes = out.bytes;
      events = service.indexer.store.eventCount;
      requests = service.indexer.readerStats().requests;
      log(
        `  run ${run + 1}: raw getLogs ${r.seconds.toFixed(2)} s (${r.logs} logs), export ${expTimes.at(-1)!.toFixed(2)} s (${rows} rows)`,
      );
    }

    // The write step alone, on the last run's ledger (cached by the service: no read).
    const v = await service!.ledger([w.holder]);
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await writeStakingExport(v.ledger, join(work, `write-${i}.csv`), {
        format: 'csv',
        chainId: CHAIN_ID,
        pool: w.pool,
        timeMs: v.timeMs,
      });
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    // The History screen (history.entries through the service, the index's sync included): the
    // first page of a new filter selects and totals every row; a later page of it is read from the
    // selection. Two filters that select every row alternate, so each first page is a new one.
    const page = { order: 'newest' as const, offset: 0, limit: 200, asOfBlock: null };
    let firstPage = Infinity;
    let laterPage = Infinity;
    let listed = 0;
    for (let i = 0; i < runs * 2; i++) {
      const filter = { ...page, kinds: i % 2 ? [...HISTORY_KINDS] : null };
      const t0 = performance.now();
      listed = (await service!.entries([w.holder], filter)).total;
      firstPage = Math.min(firstPage, performance.now() - t0);
      const t1 = performance.now();
      await service!.entries([w.holder], { ...filter, offset: Math.floor(listed / 2) });
      laterPage = Math.min(laterPage, performance.now() - t1);
    }
    const rawBest = Math.min(...rawTimes);
    const expBest = Math.min(...expTimes);
    return [
      {
        name: 'history.export_100k_s',
        value: Number(expBest.toFixed(3)),
        unit: 's',
        note: `cold export to CSV of ${events} indexed StakingPool events (${rows} ledger rows, ${(bytes / 1e6).toFixed(1)} MB) from a loopback JSON-RPC stand-in serving a synthetic history (bench/staking-log-node.ts), ${requests} eth_getLogs; ${(expBest / rawBest).toFixed(2)}× the raw eth_getLogs of the same range (goal ≤ 1.25×: ${expBest <= 1.25 * rawBest ? 'met' : 'not met'}); best of ${runs}`,
      },
      {
        name: 'history.raw_getlogs_100k_s',
        value: Number(rawBest.toFixed(3)),
        unit: 's',
        note: `one plain eth_getLogs of the stand-in's whole StakingPool range (${rawInfo.logs} logs, ${(rawInfo.bytes / 1e6).toFixed(0)} MB of JSON), fetched and parsed; same run; best of ${runs}`,
      },
      {
        name: 'history.entries_first_page_ms',
        value: Number(firstPage.toFixed(1)),
        unit: 'ms',
        note: `history.entries' first page (200 rows) of a new filter over ${listed} ledger rows: every row selected and totalled per position, through the service (index sync with the node included); best of ${runs * 2}`,
      },
      {
        name: 'history.entries_later_page_ms',
        value: Number(laterPage.toFixed(1)),
        unit: 'ms',
        note: `a later page (200 rows from the middle) of the same filter, read from the selection (index sync included); best of ${runs * 2}`,
      },
      {
        name: 'history.csv_rows_per_s',
        value: Math.round(v.ledger.rows.length / best),
        unit: 'rows/s',
        note: `${v.ledger.rows.length} StakingPool ledger rows formatted (exact decimals, quoted cells) and streamed to a CSV file; best of ${runs}`,
      },
    ];
  } finally {
    node.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [models, rounds] = process.argv.slice(2).map(Number);
  for (const f of await benchHistory({ models, rounds })) console.log(`${f.name} = ${f.value} ${f.unit}  (${f.note})`);
}

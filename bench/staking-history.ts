/**
 * `history.*_staking`: the export figures of bench/history.ts on StakingPool's events. The chain is a
 * synthetic StakingPool history (bench/staking-log-node.ts: 500 models × 100 Numerai rounds, one
 * holder in every model, ≈101,500 logs) served by a loopback JSON-RPC stand-in in its own process;
 * both figures are measured against it, so their ratio is the export's own cost.
 *
 *   history.export_100k_s_staking      cold export to CSV through a 'staking' HistoryService (index,
 *                                      block times, ledger, CSV); best of `runs`
 *   history.raw_getlogs_100k_s_staking one plain eth_getLogs of the whole range, parsed; best of `runs`.
 *                                      Goal: export ≤ 1.5× raw
 *
 * `node --import tsx bench/staking-history.ts [models] [rounds]`, or the `history-staking` group of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HistoryService } from '../main/history/history-service';
import type { BenchFigure } from './history';

interface StandIn {
  url: string;
  logs: number;
  head: number;
  holder: string;
  pool: string;
}

export async function benchStakingHistory(
  opts: { models?: number; rounds?: number; runs?: number; log?: (s: string) => void } = {},
): Promise<BenchFigure[]> {
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
  const work = mkdtempSync(join(tmpdir(), 'staking-history-bench-'));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: node.stdout }).once('line', resolve);
      node.once('exit', (code) => reject(new Error(`the log stand-in exited (${code})`)));
    });
    const w = JSON.parse(first) as StandIn;
    log(`  staking history stand-in: ${w.logs} logs up to block ${w.head}`);
    const raw = async () => {
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
      const n = (JSON.parse(await res.text()) as { result: unknown[] }).result.length;
      return { seconds: (performance.now() - t0) / 1000, n };
    };
    await raw();
    const rawTimes: number[] = [];
    const expTimes: number[] = [];
    let rows = 0;
    let events = 0;
    let requests = 0;
    let bytes = 0;
    for (let run = 0; run < runs; run++) {
      const r = await raw();
      rawTimes.push(r.seconds);
      const dir = join(work, `run-${run}`);
      const s = new HistoryService({
        rpcUrl: w.url,
        chainId: 31337,
        poolAddress: w.pool,
        poolKind: 'staking',
        deployBlock: 1,
        indexDir: join(dir, 'index'),
        exportDir: dir,
      });
      const t0 = performance.now();
      const out = await s.exportToFile([w.holder], join(dir, 'history.csv'), { format: 'csv' });
      expTimes.push((performance.now() - t0) / 1000);
      rows = out.rows;
      bytes = out.bytes;
      events = s.indexer.store.eventCount;
      requests = s.indexer.readerStats().requests;
      log(`  run ${run + 1}: raw getLogs ${r.seconds.toFixed(2)} s (${r.n} logs), export ${expTimes.at(-1)!.toFixed(2)} s (${rows} rows)`);
    }
    const rawBest = Math.min(...rawTimes);
    const expBest = Math.min(...expTimes);
    return [
      {
        name: 'history.export_100k_s_staking',
        value: Number(expBest.toFixed(3)),
        unit: 's',
        note: `cold export to CSV of ${events} indexed StakingPool events (${rows} ledger rows, ${(bytes / 1e6).toFixed(1)} MB) from a loopback JSON-RPC stand-in (synthetic history), ${requests} eth_getLogs; ${(expBest / rawBest).toFixed(2)}× the raw eth_getLogs of the same range (goal ≤ 1.5×); best of ${runs}`,
      },
      {
        name: 'history.raw_getlogs_100k_s_staking',
        value: Number(rawBest.toFixed(3)),
        unit: 's',
        note: `one plain eth_getLogs of the stand-in's whole range (${w.logs} logs), fetched and parsed; same run; best of ${runs}`,
      },
    ];
  } finally {
    node.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [models, rounds] = process.argv.slice(2).map(Number);
  for (const f of await benchStakingHistory({ models, rounds })) console.log(`${f.name} = ${f.value} ${f.unit}  (${f.note})`);
}

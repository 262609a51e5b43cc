/**
 * Benchmarks of main/history on a local anvil chain. For `npm run bench`:
 *
 *   const { benchHistory } = await import('<bundle of bench/history.ts>');
 *   for (const f of await benchHistory()) console.log(f.name, f.value, f.unit, f.note);
 *
 * or directly: `node --import tsx bench/history.ts`.
 *
 * The chain: 500 models, one holder delegated to all of them, 200 rounds each resolving every model
 * (500 RoundResolved per transaction), plus undelegations, withdrawals and other holders: ≈101,500
 * events for the holder's export. Generating it takes about a minute; the chain's state is saved under
 * `.cache/history-bench/` (gitignored; HISTORY_BENCH_CACHE overrides) and reloaded by later runs.
 *
 * Figures:
 *   history.export_100k_s      cold export to CSV (empty index): read the events through the adaptive
 *                              chunker, decode, persist the index, fetch block times, build the ledger,
 *                              write the CSV; best of `runs`
 *   history.raw_getlogs_100k_s one plain eth_getLogs of the pool's whole range, parsed (the floor any
 *                              export over JSON-RPC pays), same run; best of `runs`. Goal: export ≤ 1.5× raw
 *   history.csv_rows_per_s     ledger rows formatted and written to CSV per second (the write step alone)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startAnvil } from '../main/devnet/anvil';
import { HistoryService } from '../main/history/history-service';
import { writeExport } from '../main/history/export';
import { DevChain, NMR, pool, token } from '../main/history/test-support/dev-chain';

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
  cacheDir?: string;
  log?: (line: string) => void;
}

interface World {
  version: number;
  models: number;
  rounds: number;
  pool: string;
  deployBlock: number;
  holder: string;
  head: number;
}

const WORLD_VERSION = 1;

async function generate(chain: DevChain, models: number, rounds: number, log: (s: string) => void): Promise<World> {
  const t0 = performance.now();
  await chain.deploy(4, 1_000);
  const admin = chain.accounts[0]!;
  const [holder, other1, other2] = chain.accounts.slice(1, 4) as [string, string, string];
  const P = chain.poolAddress;
  const T = chain.tokenAddress;
  const ids = Array.from({ length: models }, (_, i) => i + 1);
  for (const i of ids)
    await chain.sendOk(admin, P, pool.encodeFunctionData('registerModel', [`bench-model-${i}`, admin, (i % 4) * 500, 2n ** 200n]));
  const big = 10n ** 10n * NMR;
  await chain.sendOk(admin, T, token.encodeFunctionData('demoMint', [admin, big]));
  await chain.sendOk(admin, T, token.encodeFunctionData('approve', [P, big]));
  await chain.sendOk(admin, P, pool.encodeFunctionData('fundReserve', [big / 2n]));
  for (const h of [holder, other1, other2]) {
    await chain.sendOk(admin, T, token.encodeFunctionData('demoMint', [h, 10n ** 8n * NMR]));
    await chain.sendOk(h, T, token.encodeFunctionData('approve', [P, 2n ** 255n]));
  }
  for (let i = 0; i < ids.length; i += 100) {
    const part = ids.slice(i, i + 100);
    await chain.sendOk(
      holder,
      P,
      pool.encodeFunctionData('delegateBatch', [part, part.map((m) => BigInt(100 + m) * NMR + BigInt(m) * 7_777n)]),
      20_000_000n,
    );
    await chain.sendOk(other1, P, pool.encodeFunctionData('delegateBatch', [part, part.map(() => 1_000n * NMR)]), 20_000_000n);
  }
  log(`  bench world: ${models} models registered and delegated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const first = await chain.currentRound();
  for (let k = 0; k < rounds; k++) {
    const round = first + k;
    const rets = ids.map((m) => ((m * 7919 + round * 104729) % 1001) - 500);
    // Receipts of these are large (500 logs): not fetched; the round must have moved on.
    const data = pool.encodeFunctionData('resolveRound', [round, ids, rets]);
    await chain.rpc.call('eth_sendTransaction', [{ from: admin, to: P, data, gas: `0x${(40_000_000).toString(16)}` }]);
    // Automine may answer before the block is sealed: wait for the round to move on (bounded).
    let now = await chain.currentRound();
    for (let i = 0; now === round && i < 500; i++) {
      await new Promise((r) => setTimeout(r, 5));
      now = await chain.currentRound();
    }
    if (now !== round + 1) {
      const why = await chain.rpc
        .call('eth_call', [{ from: admin, to: P, data, gas: `0x${(40_000_000).toString(16)}` }, 'latest'])
        .catch((e: unknown) => e);
      throw new Error(
        `bench world: resolving round ${round} failed: ${why instanceof Error ? `${why.message} ${JSON.stringify((why as { data?: unknown }).data)}` : String(why)}`,
      );
    }
    if (k === 40) {
      for (const m of ids.slice(0, 20)) {
        const [pos] = await chain.positions(holder, [m]);
        await chain.sendOk(holder, P, pool.encodeFunctionData('requestUndelegate', [m, pos!.shares / 2n]));
      }
      await chain.sendOk(
        other2,
        P,
        pool.encodeFunctionData('delegateBatch', [ids.slice(0, 50), ids.slice(0, 50).map(() => 10n * NMR)]),
        20_000_000n,
      );
    }
    if (k === 60) for (const m of ids.slice(0, 20)) await chain.sendOk(holder, P, pool.encodeFunctionData('withdraw', [m]));
    if (k % 50 === 49) log(`  bench world: ${k + 1}/${rounds} rounds (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  }
  const last = await chain.currentRound();
  if (last !== first + rounds) throw new Error(`bench world: ${last - first} of ${rounds} rounds resolved`);
  return { version: WORLD_VERSION, models, rounds, pool: P, deployBlock: chain.deployBlock, holder, head: await chain.blockNumber() };
}

async function rawGetLogs(url: string, world: World): Promise<{ seconds: number; logs: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getLogs',
      params: [{ address: world.pool, fromBlock: `0x${world.deployBlock.toString(16)}`, toBlock: `0x${world.head.toString(16)}` }],
    }),
  });
  const text = await res.text();
  const logs = (JSON.parse(text) as { result: unknown[] }).result.length;
  return { seconds: (performance.now() - t0) / 1000, logs, bytes: text.length };
}

export async function benchHistory(opts: HistoryBenchOptions = {}): Promise<BenchFigure[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const models = opts.models ?? 500;
  const rounds = opts.rounds ?? 200;
  const runs = opts.runs ?? 3;
  const cache = opts.cacheDir ?? process.env.HISTORY_BENCH_CACHE ?? join(process.cwd(), '.cache', 'history-bench');
  mkdirSync(cache, { recursive: true });
  const stateFile = join(cache, `anvil-${models}x${rounds}.json`);
  const worldFile = join(cache, `world-${models}x${rounds}.json`);
  let world: World | null = null;
  if (existsSync(worldFile) && existsSync(stateFile)) {
    const w = JSON.parse(readFileSync(worldFile, 'utf8')) as World;
    if (w.version === WORLD_VERSION) world = w;
  }
  if (!world) {
    rmSync(stateFile, { force: true });
    rmSync(worldFile, { force: true });
  }
  const tStart = performance.now();
  let anvil = await startAnvil({ stateFile, extraArgs: ['--gas-limit', '60000000'] });
  const work = mkdtempSync(join(tmpdir(), 'history-bench-'));
  try {
    let chain = new DevChain(anvil.url);
    await chain.init();
    if (world && (await chain.blockNumber()) < world.head) world = null;
    if (!world) {
      log(`  bench world: generating ${models} models × ${rounds} rounds (cached in ${cache})…`);
      world = await generate(chain, models, rounds, log);
      // Save the chain (anvil writes its state on exit), then record that it is there.
      await anvil.stop();
      writeFileSync(worldFile, JSON.stringify(world));
      anvil = await startAnvil({ stateFile, extraArgs: ['--gas-limit', '60000000'] });
      chain = new DevChain(anvil.url);
      await chain.init();
    }
    log(
      `  bench world ready in ${((performance.now() - tStart) / 1000).toFixed(1)} s (state ${(statSync(stateFile).size / 1e6).toFixed(0)} MB)`,
    );

    // The first read after anvil loads its state is slow (cold caches): once, not measured.
    await rawGetLogs(anvil.url, world);
    const raw: number[] = [];
    const exp: number[] = [];
    let rawInfo = { logs: 0, bytes: 0 };
    let rows = 0;
    let events = 0;
    let requests = 0;
    let csvBytes = 0;
    let service: HistoryService | null = null;
    for (let run = 0; run < runs; run++) {
      const r = await rawGetLogs(anvil.url, world);
      raw.push(r.seconds);
      rawInfo = r;
      const dir = join(work, `run-${run}`);
      service = new HistoryService({
        rpcUrl: anvil.url,
        chainId: 31337,
        poolAddress: world.pool,
        deployBlock: world.deployBlock,
        indexDir: join(dir, 'index'),
        exportDir: dir,
      });
      const t0 = performance.now();
      const out = await service.exportToFile([world.holder], join(dir, 'history.csv'), { format: 'csv' });
      exp.push((performance.now() - t0) / 1000);
      rows = out.rows;
      csvBytes = out.bytes;
      events = service.indexer.store.eventCount;
      requests = service.indexer.readerStats().requests;
      log(`  run ${run + 1}: raw getLogs ${r.seconds.toFixed(2)} s, export ${exp.at(-1)!.toFixed(2)} s`);
    }

    // The write step alone, on the last run's ledger.
    const ledger = await service!.ledger([world.holder]);
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await writeExport(ledger, join(work, `write-${i}.csv`), { format: 'csv', chainId: 31337, pool: world.pool });
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const rawBest = Math.min(...raw);
    const expBest = Math.min(...exp);
    const ratio = expBest / rawBest;
    return [
      {
        name: 'history.export_100k_s',
        value: Number(expBest.toFixed(3)),
        unit: 's',
        note: `cold export to CSV of ${events} indexed events (${rows} ledger rows, ${(csvBytes / 1e6).toFixed(1)} MB) from a local anvil node, ${requests} eth_getLogs; ${ratio.toFixed(2)}× the raw eth_getLogs of the same range (goal ≤ 1.5×); best of ${runs}`,
      },
      {
        name: 'history.raw_getlogs_100k_s',
        value: Number(rawBest.toFixed(3)),
        unit: 's',
        note: `one plain eth_getLogs of the pool's whole range (${rawInfo.logs} logs, ${(rawInfo.bytes / 1e6).toFixed(0)} MB of JSON), fetched and parsed; same run; best of ${runs}`,
      },
      {
        name: 'history.csv_rows_per_s',
        value: Math.round(ledger.rows.length / best),
        unit: 'rows/s',
        note: `${ledger.rows.length} ledger rows formatted (exact decimals, checksummed accounts, quoted cells) and streamed to a CSV file; best of ${runs}`,
      },
    ];
  } finally {
    await anvil.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchHistory()) console.log(`${f.name} = ${f.value} ${f.unit}  (${f.note})`);
}

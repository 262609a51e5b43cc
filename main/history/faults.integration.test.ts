/**
 * The export through a misbehaving node: range errors (Alchemy -32602 with a suggested range, Infura
 * -32005 with a suggested range and data), 429s, time-outs and dropped connections injected by a
 * loopback proxy — the file must be byte-identical to a fault-free export. Then an export cancelled
 * midway, and one whose process is killed midway, must resume from the committed cursor without
 * reading again what they had.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { HistoryService, type HistoryServiceOptions } from './history-service';
import { HttpRpc } from './rpc';
import { TOPIC, HOLDER_EVENTS } from './pool-events';
import { DevChain, randomHistory, type HistorySummary } from './test-support/dev-chain';
import { abortAfterGetLogs, startFaultProxy, type FaultProxy, type GetLogsRecord } from './test-support/rpc-fault-proxy';

describe('export through a faulty node', () => {
  let anvil: AnvilHandle;
  let chain: DevChain;
  let proxy: FaultProxy;
  let dir: string;
  let summary: HistorySummary;
  let accounts: string[];
  const reference: Record<'csv' | 'json', Buffer> = { csv: Buffer.alloc(0), json: Buffer.alloc(0) };

  const service = (name: string, url: string, extra: Partial<HistoryServiceOptions> = {}) =>
    new HistoryService({
      rpc: new HttpRpc(url, { timeoutMs: 1_500 }),
      chainId: 31337,
      poolAddress: chain.poolAddress,
      deployBlock: chain.deployBlock,
      indexDir: join(dir, name),
      exportDir: join(dir, name),
      ...extra,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'history-faults-'));
    anvil = await startAnvil();
    chain = new DevChain(anvil.url);
    await chain.init();
    summary = await randomHistory(chain, { seed: 11, holders: 3, models: 5, rounds: 45, lockRounds: 2 });
    accounts = summary.holders.slice(0, 2);
    proxy = await startFaultProxy(anvil.url);
    // The reference: straight to the node, no faults.
    const clean = service('clean', anvil.url, { reader: { initialSpan: 16 } });
    await clean.exportToFile(accounts, join(dir, 'clean.csv'), { format: 'csv' });
    await clean.exportToFile(accounts, join(dir, 'clean.json'), { format: 'json' });
    reference.csv = readFileSync(join(dir, 'clean.csv'));
    reference.json = readFileSync(join(dir, 'clean.json'));
    expect(reference.csv.length).toBeGreaterThan(10_000);
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes through range errors, 429s, time-outs and dropped connections, byte-identical', async () => {
    for (const seed of [5, 6, 7]) {
      const before = { ...proxy.stats };
      const answered = proxy.getLogs.length;
      proxy.plan = { seed, blockRangeLimit: 60, resultLimit: 30, rate429: 0.08, timeout: 0.04, drop: 0.06 };
      const s = service(`faulty-${seed}`, proxy.url, {
        timeoutMs: 400,
        reader: { initialSpan: 1_000, baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 14, random: () => 0.5 },
      });
      await s.exportToFile(accounts, join(dir, `faulty-${seed}.csv`), { format: 'csv' });
      await s.exportToFile(accounts, join(dir, `faulty-${seed}.json`), { format: 'json' });
      expect(readFileSync(join(dir, `faulty-${seed}.csv`)).equals(reference.csv)).toBe(true);
      expect(readFileSync(join(dir, `faulty-${seed}.json`)).equals(reference.json)).toBe(true);
      const st = s.indexer.readerStats();
      const injected = Object.fromEntries(Object.entries(proxy.stats).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
      console.log(
        `seed ${seed}: faults injected ${JSON.stringify(injected)}; client: ${st.requests} eth_getLogs, ${st.splits} splits, ${st.retries} retries`,
      );
      expect(injected.rangeErrors! + injected.resultErrors!).toBeGreaterThan(0);
      expect(injected.rate429! + injected.timeouts! + injected.drops!).toBeGreaterThan(0);
      expect(st.splits).toBeGreaterThan(0);
      // Once the block limit is learned, nothing wider is asked for again (only requests already in
      // flight when the first refusal came back can be wider).
      expect(proxy.getLogs.slice(answered).filter((r) => r.to - r.from + 1 > 60)).toEqual([]);
    }
    // Over the three runs, every kind of fault was met.
    for (const k of ['rangeErrors', 'resultErrors', 'rate429', 'timeouts', 'drops'] as const) expect(proxy.stats[k], k).toBeGreaterThan(0);
    proxy.plan = {};
  }, 120_000);

  it('reports progress through each phase, and an up-to-date index reads no logs again', async () => {
    const s = service('progress', proxy.url, { reader: { initialSpan: 8 } });
    const phases: string[] = [];
    let lastWrite = { done: -1, total: -2 };
    await s.exportToFile(accounts, join(dir, 'progress.csv'), {
      format: 'csv',
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
        if (p.phase === 'write') lastWrite = { done: p.done, total: p.total };
      },
    });
    // Flows are read when a model was left out of rounds the ledger must price (this history has some).
    expect(phases).toEqual(['index', 'timestamps', 'ledger', 'flows', 'ledger', 'write']);
    expect(lastWrite.done).toBe(lastWrite.total);
    const reads = proxy.getLogs.length;
    const requests = proxy.stats.requests;
    await s.exportToFile(accounts, join(dir, 'progress-2.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'progress-2.csv')).equals(reference.csv)).toBe(true);
    expect(proxy.getLogs.length).toBe(reads);
    // eth_blockNumber and one header batch (the reorg check): block times come from the index.
    expect(proxy.stats.requests - requests).toBeLessThanOrEqual(2);
  });

  /** Committed cursor of every stream, as the manifest on disk says. */
  const committed = (name: string): Record<string, number> => {
    const files = readFileSync(join(dir, name, `31337-${chain.poolAddress}`, 'manifest.json'), 'utf8');
    return (JSON.parse(files) as { streams: Record<string, number> }).streams;
  };

  /** The streams a getLogs request reads. */
  const streamsOf = (r: GetLogsRecord): string[] => {
    const t = r.topics as (string | string[] | null)[];
    const list = (x: string | string[] | null | undefined) => (x === null || x === undefined ? [] : Array.isArray(x) ? x : [x]);
    if (r.topic0.includes(TOPIC.RoundClosed)) return ['global'];
    if (r.topic0.length === HOLDER_EVENTS.length) return list(t[1]).map((h) => `holder:0x${h.slice(26)}`);
    if (r.topic0.length === 1 && r.topic0[0] === TOPIC.RoundResolved) return list(t[2]).map((m) => `model:${Number(BigInt(m))}`);
    return [];
  };

  const assertNoReRead = (reads: GetLogsRecord[], cursors: Record<string, number>) => {
    let checked = 0;
    for (const r of reads) {
      for (const s of streamsOf(r)) {
        const c = cursors[s] ?? chain.deployBlock - 1;
        expect(r.from, `${s} read again from ${r.from} though committed to ${c}`).toBeGreaterThan(c);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  };

  it('resumes a cancelled export from its cursor without reading again what it had', async () => {
    const opts = { commitEveryMs: 0, reader: { initialSpan: 4, maxSpan: 4, concurrency: 1 } };
    const first = service('cancelled', proxy.url, opts);
    const signal = abortAfterGetLogs(proxy, 40);
    await expect(first.exportToFile(accounts, join(dir, 'cancelled.csv'), { format: 'csv', signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    proxy.onGetLogs = null;
    const cursors = committed('cancelled');
    expect(cursors.global! + cursors[`holder:${accounts[0]}`]!).toBeGreaterThan(2 * chain.deployBlock);
    const from = proxy.getLogs.length;
    const second = service('cancelled', proxy.url, opts);
    await second.exportToFile(accounts, join(dir, 'resumed.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'resumed.csv')).equals(reference.csv)).toBe(true);
    assertNoReRead(proxy.getLogs.slice(from), cursors);
  }, 120_000);

  it('resumes after its process is killed midway, without reading again what it had', async () => {
    const child = fileURLToPath(new URL('./test-support/export-child.ts', import.meta.url));
    const indexDir = join(dir, 'killed');
    proxy.plan = { stallGetLogsAfter: proxy.getLogs.length + 30 };
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        child,
        proxy.url,
        indexDir,
        chain.poolAddress,
        String(chain.deployBlock),
        accounts.join(','),
        join(dir, 'never.csv'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const started = Date.now();
    while (proxy.stats.stalled === 0 && Date.now() - started < 60_000 && proc.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    expect(proxy.stats.stalled, stderr).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    proc.kill('SIGKILL');
    await exited;
    proxy.plan = {};
    const cursors = JSON.parse(readFileSync(join(indexDir, `31337-${chain.poolAddress}`, 'manifest.json'), 'utf8')).streams as Record<
      string,
      number
    >;
    expect(Math.max(...Object.values(cursors))).toBeGreaterThan(chain.deployBlock);
    const from = proxy.getLogs.length;
    const s = new HistoryService({
      rpc: new HttpRpc(proxy.url),
      chainId: 31337,
      poolAddress: chain.poolAddress,
      deployBlock: chain.deployBlock,
      indexDir,
      exportDir: indexDir,
      reader: { initialSpan: 4, maxSpan: 4, concurrency: 1 },
    });
    await s.exportToFile(accounts, join(dir, 'after-kill.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'after-kill.csv')).equals(reference.csv)).toBe(true);
    assertNoReRead(proxy.getLogs.slice(from), cursors);
  }, 120_000);
});

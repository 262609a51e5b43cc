/**
 * Keeps the event index of the user's accounts up to date from any JSON-RPC node.
 *
 * Streams, each with its own persisted cursor (last block read); their filters are index-schema.ts's:
 *   holder:<addr>   the account's own events, filtered by topic 1 (the indexed holder)
 *   model:<id>      the model-wide events of each model the account touched, filtered by topic 1 (modelId)
 * Streams with the same cursor are read together with OR-ed topics; a model or account added later
 * is read from the pool's deploy block until it catches up, then joins the others.
 * Everything stays `confirmations` blocks behind the head. Block hashes seen (in logs and headers) are
 * stored; a hash that changes means a reorg: the index rolls back to the highest block whose stored
 * hash still matches the chain, and reads again from there (events are keyed by tx hash + log index,
 * so nothing is counted twice).
 */
import { isAbortError, sleep, type RpcClient } from './rpc';
import { IndexStore, ReorgDetected, type StoreIdentity } from './index-store';
import { STAKING_SCHEMA } from './index-schema';
import { LogReadError, LogReader, newStats, withRetry, type LogFilter, type ReaderOptions, type ReaderStats } from './log-reader';
import { hexToNumber, topicForAddress } from './log-words';
import type { StakingEvent } from './staking-events';

export interface IndexerOptions extends StoreIdentity {
  rpc: RpcClient;
  /** Folder of this chain's and pool's index. */
  dir: string;
  /** Blocks to stay behind the head (0 on the local chain; 12 or more on a real network). */
  confirmations?: number;
  reader?: ReaderOptions;
  /** Commit the cursor at most this often while reading (default 1,000 ms; 0 = after every chunk). */
  commitEveryMs?: number;
  /** Model ids OR-ed in one model filter (default 100; groups are read two at a time). */
  maxTopicIds?: number;
  /** Headers per batch request (default 100). */
  headerBatch?: number;
}

export interface SyncProgress {
  phase: 'index' | 'timestamps';
  done: number;
  total: number;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncResult {
  /** The block the index now reflects. */
  syncedTo: number;
  head: number;
  newEvents: number;
  reorgs: number;
  stats: ReaderStats;
}

type Group = { filter: LogFilter; streams: string[]; from: number; holders?: Set<string>; models?: Set<number> };

const hex = (n: number) => `0x${n.toString(16)}`;

export class HistoryIndexer {
  private currentStore: IndexStore;
  private readonly schema = STAKING_SCHEMA;
  private readonly rpc: RpcClient;
  private readonly confirmations: number;
  readonly stats: ReaderStats = newStats();
  private readers = new Map<string, LogReader>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: IndexerOptions) {
    this.rpc = opts.rpc;
    this.confirmations = Math.max(0, opts.confirmations ?? 0);
    this.currentStore = IndexStore.open(opts.dir, { chainId: opts.chainId, pool: opts.pool, deployBlock: opts.deployBlock });
  }

  get store(): IndexStore {
    return this.currentStore;
  }

  /** Throws the index away (after the next sync everything is read again). */
  reset(): Promise<void> {
    const run = this.running.then(() => {
      this.currentStore = IndexStore.reset(this.opts.dir, {
        chainId: this.opts.chainId,
        pool: this.opts.pool,
        deployBlock: this.opts.deployBlock,
      });
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  private reader(kind: string): LogReader {
    let r = this.readers.get(kind);
    if (!r) {
      r = new LogReader(this.rpc, this.opts.reader);
      this.readers.set(kind, r);
    }
    return r;
  }

  /** Sums of every reader's stats (requests, splits, retries, ranges). */
  readerStats(): ReaderStats {
    const s = newStats();
    for (const r of this.readers.values()) {
      s.requests += r.stats.requests;
      s.splits += r.stats.splits;
      s.retries += r.stats.retries;
      s.rateLimited += r.stats.rateLimited;
      s.timeouts += r.stats.timeouts;
      s.dropped += r.stats.dropped;
      s.ranges.push(...r.stats.ranges);
    }
    s.retries += this.stats.retries;
    s.rateLimited += this.stats.rateLimited;
    s.timeouts += this.stats.timeouts;
    s.dropped += this.stats.dropped;
    return s;
  }

  private retry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const r = this.opts.reader ?? {};
    return withRetry(fn, {
      signal,
      maxAttempts: r.maxAttempts,
      baseDelayMs: r.baseDelayMs,
      maxDelayMs: r.maxDelayMs,
      random: r.random,
      stats: this.stats,
    });
  }

  /** One sync at a time per index; callers queue. */
  sync(holders: string[], opts: SyncOptions = {}): Promise<SyncResult> {
    const run = this.running.then(() =>
      this.syncNow(
        holders.map((h) => h.toLowerCase()),
        opts,
      ),
    );
    this.running = run.catch(() => undefined);
    return run;
  }

  private async syncNow(holders: string[], opts: SyncOptions): Promise<SyncResult> {
    let reorgs = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.syncOnce(holders, opts);
        return { ...r, reorgs };
      } catch (e) {
        if (attempt >= 4) throw e;
        if (e instanceof ReorgDetected) {
          reorgs++;
          await this.recoverFromReorg(e.block, opts.signal);
        } else if (e instanceof LogReadError && e.behind) {
          // A node behind its own head, or a chain that got shorter: read the head again (the
          // start-of-run checks find a reorg, if that is what it was).
          await sleep(200 * 2 ** attempt, opts.signal);
        } else throw e;
      }
    }
  }

  private async headers(
    blocks: number[],
    signal?: AbortSignal,
    onDone?: (n: number) => void,
  ): Promise<Map<number, { hash: string; ts: number } | null>> {
    const out = new Map<number, { hash: string; ts: number } | null>();
    const size = this.opts.headerBatch ?? 100;
    const batches: number[][] = [];
    for (let i = 0; i < blocks.length; i += size) batches.push(blocks.slice(i, i + size));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const answers = await this.retry(async () => {
          const res = await this.rpc.batch(
            batch.map((n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), false] })),
            { signal, timeoutMs: this.opts.reader?.timeoutMs },
          );
          // One failed entry fails the batch: it is retried whole (the error says why).
          const bad = res.find((r) => r instanceof Error);
          if (bad) throw bad;
          return res;
        }, signal);
        batch.forEach((n, i) => {
          const h = answers[i] as { hash?: string; timestamp?: string } | null;
          out.set(n, h && h.hash && h.timestamp ? { hash: h.hash.toLowerCase(), ts: hexToNumber(h.timestamp) } : null);
        });
        onDone?.(batch.length);
      }
    };
    await Promise.all([worker(), worker()]);
    return out;
  }

  /**
   * Finds the highest stored block below the conflicting one whose hash the chain still has, and rolls
   * back to it. Only hashes stored by earlier runs count: this run may have read blocks of both forks.
   */
  private async recoverFromReorg(conflict: number, signal?: AbortSignal) {
    const known = this.store.knownHashes().filter(([n]) => n < conflict && !this.store.notedThisRun(n));
    for (let i = 0; i < known.length; i += 32) {
      const slice = known.slice(i, i + 32);
      const got = await this.headers(
        slice.map(([n]) => n),
        signal,
      );
      for (const [n, h] of slice) {
        if (got.get(n)?.hash === h) {
          this.store.rollback(n);
          return;
        }
      }
    }
    // Nothing we stored is on the chain any more: start again.
    this.store.rollback(this.store.deployBlock - 1);
  }

  private holderGroup(holders: string[], from: number): Group {
    return {
      filter: { address: this.opts.pool, topics: [this.schema.holderTopics, holders.map(topicForAddress)] },
      streams: holders.map((h) => `holder:${h}`),
      from,
      holders: new Set(holders),
    };
  }

  private modelGroups(ids: number[], from: number): Group[] {
    const max = this.opts.maxTopicIds ?? 100;
    const out: Group[] = [];
    for (let i = 0; i < ids.length; i += max) {
      const part = ids.slice(i, i + max);
      out.push({
        filter: { address: this.opts.pool, topics: this.schema.modelTopics(part) },
        streams: part.map((id) => `model:${id}`),
        from,
        models: new Set(part),
      });
    }
    return out;
  }

  /** Streams with the same cursor, read together. */
  private byCursor(keys: string[]): Map<number, string[]> {
    const m = new Map<number, string[]>();
    for (const k of keys) {
      const c = this.store.ensureStream(k);
      const list = m.get(c) ?? [];
      list.push(k);
      m.set(c, list);
    }
    return m;
  }

  private async syncOnce(holders: string[], opts: SyncOptions): Promise<Omit<SyncResult, 'reorgs'>> {
    const { signal } = opts;
    const store = this.store;
    store.beginRun();
    const head = hexToNumber(await this.retry(() => this.rpc.call<string>('eth_blockNumber', [], { signal }), signal));
    const target = head - this.confirmations;
    const eventsBefore = store.eventCount;
    if (target < store.deployBlock) return { syncedTo: store.deployBlock - 1, head, newEvents: 0, stats: this.readerStats() };

    // A reorg since the last sync (deeper than the confirmations we keep), or a chain that went back.
    // Checked again at the end of the run, so that a reorg while we read is caught too.
    const top = store.syncedTo;
    const points: [number, string][] = [];
    if (top !== null && top >= store.deployBlock) {
      const check = Math.min(top, target);
      const anchor = store.knownHashes().find(([n]) => n <= check);
      if (anchor) points.push(anchor);
    }
    // A run that stopped midway left the hashes of what it had read: they must still hold.
    points.push(...store.checkpoints.filter(([n]) => n <= target));
    await this.expectHashes(points, signal);
    if (top !== null && top > target) store.rollback(target);

    // Reads run side by side; the first failure stops the others before anything else happens.
    const inner = new AbortController();
    const readSignal = signal ? AbortSignal.any([signal, inner.signal]) : inner.signal;
    const all = async (tasks: Promise<void>[]) => {
      let first: unknown = null;
      const settled = await Promise.allSettled(
        tasks.map((t) =>
          t.catch((e: unknown) => {
            first ??= e;
            inner.abort();
            throw e;
          }),
        ),
      );
      if (settled.some((r) => r.status === 'rejected')) throw first;
    };

    // Each commit during the run records the hash of the highest block read so far (a checkpoint):
    // the end of this run, or the start of the next one if this one dies, checks they still hold.
    const commitEvery = this.opts.commitEveryMs ?? 1_000;
    let lastCommit = performance.now();
    let highest = -1;
    let committing: Promise<void> | null = null;
    const maybeCommit = async () => {
      if (committing || !(commitEvery === 0 || performance.now() - lastCommit >= commitEvery)) return;
      committing = (async () => {
        const top = highest;
        if (top >= store.deployBlock) {
          const h = (await this.headers([top], readSignal)).get(top);
          if (!h) throw new ReorgDetected(top);
          store.addCheckpoint(top, h.hash);
          points.push([top, h.hash]);
        }
        store.commit();
        lastCommit = performance.now();
      })();
      try {
        await committing;
      } finally {
        committing = null;
      }
    };

    // Progress over every stream group's remaining blocks.
    let done = 0;
    let total = 0;
    const progress = (phase: SyncProgress['phase']) => opts.onProgress?.({ phase, done, total });

    const readGroup = async (kind: string, g: Group) => {
      if (g.from > target) return;
      for await (const chunk of this.reader(kind).read(g.filter, g.from, target, readSignal)) {
        const events: StakingEvent[] = [];
        for (const log of chunk.logs) {
          if (log.removed) throw new ReorgDetected(hexToNumber(log.blockNumber));
          const e = this.schema.decode(log);
          if (!e) continue;
          if (!this.belongs(e, kind, g)) continue;
          store.noteBlock(e.block, log.blockHash);
          events.push(e);
        }
        store.addEvents(events);
        for (const s of g.streams) store.setCursor(s, chunk.to);
        highest = Math.max(highest, chunk.to);
        done += chunk.to - chunk.from + 1;
        progress('index');
        await maybeCommit();
      }
    };

    try {
      // Phase 1: the accounts' own events.
      const groups: [string, Group][] = [];
      for (const [c, keys] of this.byCursor(holders.map((h) => `holder:${h}`))) {
        groups.push([
          'holder',
          this.holderGroup(
            keys.map((k) => k.slice(7)),
            c + 1,
          ),
        ]);
      }
      total += groups.reduce((a, [, gr]) => a + Math.max(0, target - gr.from + 1), 0);
      await all(groups.map(([kind, gr]) => readGroup(kind, gr)));

      // Phase 2: the model-wide events (stakes, results, conversions) of every model the accounts touched.
      const models = new Set<number>();
      const holderSet = new Set(holders);
      for (const e of store.sortedEvents()) {
        const h = this.schema.holderOf(e);
        if (h && holderSet.has(h.holder)) models.add(h.modelId);
      }
      const modelGroups: Group[] = [];
      for (const [c, keys] of this.byCursor([...models].sort((a, b) => a - b).map((id) => `model:${id}`))) {
        modelGroups.push(
          ...this.modelGroups(
            keys.map((k) => Number(k.slice(6))),
            c + 1,
          ),
        );
      }
      total += modelGroups.reduce((a, gr) => a + Math.max(0, target - gr.from + 1), 0);
      // Two model groups at a time: their answers arrive while the other's are being decoded.
      let nextGroup = 0;
      const worker = async () => {
        while (nextGroup < modelGroups.length) {
          const g = modelGroups[nextGroup++]!;
          await readGroup('model', g);
        }
      };
      await all([worker(), worker()]);

      // Phase 3: block times (and hashes) of the new events, and the hashes just below the target.
      const need = store.blocksWithoutTime();
      const windowSize = Math.max(1, Math.min(64, this.confirmations || 1));
      const windowBlocks: number[] = [];
      for (let n = Math.max(store.deployBlock, target - windowSize + 1); n <= target; n++) windowBlocks.push(n);
      const fetchList = [...new Set([...need, ...windowBlocks.filter((n) => !store.block(n))])].sort((a, b) => a - b);
      let hdone = 0;
      const got = await this.headers(fetchList, signal, (n) => {
        hdone += n;
        opts.onProgress?.({ phase: 'timestamps', done: hdone, total: fetchList.length });
      });
      for (const n of fetchList) {
        const h = got.get(n);
        if (!h) throw new ReorgDetected(n);
        store.noteBlock(n, h.hash, h.ts);
      }
      // The block this run started from and every checkpoint must still be on the chain: else a
      // reorg deeper than the confirmations happened while we read, and what we read may mix forks.
      // (A run that read nothing was checked at its start, a moment ago.)
      if (done > 0 || fetchList.length > 0) await this.expectHashes(points, signal);
      const recent: [number, string][] = windowBlocks.map((n) => [n, store.block(n)!.hash]);
      store.setSynced(target, recent);
      store.commit();
    } catch (e) {
      // Keep what was read (its cursors are consistent with it), unless the chain changed under us.
      if (isAbortError(e) || !(e instanceof ReorgDetected)) {
        try {
          store.commit();
        } catch {
          /* the next run reads again from the last good commit */
        }
      }
      throw e;
    }
    return { syncedTo: target, head, newEvents: store.eventCount - eventsBefore, stats: this.readerStats() };
  }

  private async expectHashes(points: [number, string][], signal?: AbortSignal) {
    if (points.length === 0) return;
    const got = await this.headers([...new Set(points.map(([n]) => n))], signal);
    for (const [n, hash] of [...points].sort((a, b) => a[0] - b[0])) {
      if (got.get(n)?.hash !== hash) throw new ReorgDetected(n);
    }
  }

  /** A log belongs to the stream group that asked for it (a node may answer more than the filter). */
  private belongs(e: StakingEvent, kind: string, g: Group): boolean {
    if (kind === 'holder') {
      const h = this.schema.holderOf(e);
      return h !== null && g.holders!.has(h.holder);
    }
    if (kind === 'model') {
      const m = this.schema.modelOf(e);
      return m !== null && g.models!.has(m);
    }
    return false;
  }
}

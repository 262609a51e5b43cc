/**
 * The persisted event index of StakingPool's events: a manifest (cursors, segment list, recent block hashes)
 * and immutable segment files of events and block headers. Each commit writes a new segment file
 * (atomically) and then the manifest (atomically), so after a crash at any instant the index is the
 * last committed one: a segment not named by the manifest is ignored and deleted. Segments are merged
 * once there are many, so the folder stays small.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file';
import { packStakingEvent, unpackStakingEvent, type StakingEvent } from './staking-events';

/** 2: StakingPool's events only (an index of version 1 may hold the earlier pool's: it is read again). */
const INDEX_VERSION = 2;
const MAX_SEGMENTS = 24;

const Manifest = z.object({
  version: z.literal(INDEX_VERSION),
  chainId: z.number().int(),
  pool: z.string(),
  deployBlock: z.number().int().nonnegative(),
  /** Stream key → last block read (inclusive). */
  streams: z.record(z.string(), z.number().int()),
  /** Every stream had reached this block at the end of the last complete sync. */
  syncedTo: z.number().int().nullable(),
  /** Hashes of the blocks just below syncedTo, to find the fork point after a reorg. */
  recent: z.array(z.tuple([z.number().int(), z.string()])),
  /** Hashes of the highest block read at each commit of a run not finished yet, checked by the next run. */
  checkpoints: z.array(z.tuple([z.number().int(), z.string()])).default([]),
  segments: z.array(z.string()),
  nextSeq: z.number().int().nonnegative(),
});
type Manifest = z.infer<typeof Manifest>;

const Segment = z.object({
  events: z.array(z.array(z.unknown())),
  /** [block, timestamp in seconds or -1 when unknown, hash] */
  blocks: z.array(z.tuple([z.number().int(), z.number().int(), z.string()])),
});

export interface BlockInfo {
  /** Seconds since the epoch; -1 when only the hash is known. */
  ts: number;
  hash: string;
}

export interface StoreIdentity {
  chainId: number;
  pool: string;
  deployBlock: number;
}

/** What every stored event has: its kind and its place on the chain (its key is tx hash + log index). */
export interface StoredEvent {
  kind: string;
  block: number;
  logIndex: number;
  txHash: string;
}

/** Orders events as the chain did. */
function compareEvents(a: StoredEvent, b: StoredEvent): number {
  return a.block - b.block || a.logIndex - b.logIndex;
}

/** A block hash disagrees with one seen before: the chain reorganised under us. */
export class ReorgDetected extends Error {
  constructor(readonly block: number) {
    super(`block ${block} changed (chain reorganisation)`);
    this.name = 'ReorgDetected';
  }
}

/** Events packed for a segment: a JSON array's items, without the brackets ("" for none). */
function packedItems(events: readonly StakingEvent[]): string {
  const parts: string[] = [];
  // A few thousand at a time, so that the packed arrays die young instead of all being alive (and
  // copied by the garbage collector) until the text is made.
  for (let i = 0; i < events.length; i += 2_000) parts.push(JSON.stringify(events.slice(i, i + 2_000).map(packStakingEvent)).slice(1, -1));
  return parts.join(',');
}

/** A segment file's text: the same as JSON.stringify({ events: events.map(packEvent), blocks }). */
function segmentJson(packed: readonly string[], blocks: unknown[]): string {
  return `{"events":[${packed.filter((p) => p !== '').join(',')}],"blocks":${JSON.stringify(blocks)}}`;
}

/**
 * Events keyed by (transaction hash, log index). Two levels, not one "hash:index" string per event:
 * an export adds 100,000+ events, and building and hashing those keys cost more than the rest.
 */
class EventSet<E extends StoredEvent> {
  /**
   * A transaction's only event, or its events by log index: a claim or a holder's action is a
   * transaction of one event (StakingPool), and a Map for each of 100,000 of them cost more than the
   * rest of the index.
   */
  private readonly byTx = new Map<string, E | Map<number, E>>();
  size = 0;

  /** Adds the event unless one with its key is there; true when added. */
  add(e: E, replace = false): boolean {
    const inTx = this.byTx.get(e.txHash);
    if (inTx === undefined) {
      this.byTx.set(e.txHash, e);
      this.size++;
      return true;
    }
    if (!(inTx instanceof Map)) {
      if (inTx.logIndex === e.logIndex) {
        if (replace) this.byTx.set(e.txHash, e);
        return false;
      }
      this.byTx.set(
        e.txHash,
        new Map([
          [inTx.logIndex, inTx],
          [e.logIndex, e],
        ]),
      );
      this.size++;
      return true;
    }
    if (inTx.has(e.logIndex)) {
      if (replace) inTx.set(e.logIndex, e);
      return false;
    }
    inTx.set(e.logIndex, e);
    this.size++;
    return true;
  }

  values(): E[] {
    const out: E[] = [];
    for (const inTx of this.byTx.values()) {
      if (inTx instanceof Map) for (const e of inTx.values()) out.push(e);
      else out.push(inTx);
    }
    return out;
  }

  deleteAbove(block: number) {
    for (const [tx, inTx] of this.byTx) {
      if (!(inTx instanceof Map)) {
        if (inTx.block > block) {
          this.byTx.delete(tx);
          this.size--;
        }
        continue;
      }
      for (const [i, e] of inTx) {
        if (e.block > block) {
          inTx.delete(i);
          this.size--;
        }
      }
      if (inTx.size === 0) this.byTx.delete(tx);
    }
  }
}

export class IndexStore {
  private manifest: Manifest;
  private readonly events = new EventSet<StakingEvent>();
  private readonly blocks = new Map<number, BlockInfo>();
  /**
   * Events added since the last commit, already packed: each batch when it is added, while a sync
   * waits for the node's next answer, instead of all of them in the commit at the end of the sync
   * (~70 ms of an export of 100,000 events).
   */
  private pendingEvents: string[] = [];
  private pendingBlocks = new Set<number>();
  private sortedCache: StakingEvent[] | null = null;
  private runNoted = new Set<number>();
  /** Bumped whenever the event set changes (for callers' caches). */
  version = 0;

  private constructor(
    readonly dir: string,
    manifest: Manifest,
  ) {
    this.manifest = manifest;
  }

  static open(dir: string, id: StoreIdentity): IndexStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'manifest.json');
    let m: Manifest | null = null;
    if (existsSync(file)) {
      try {
        const parsed = Manifest.parse(JSON.parse(readFileSync(file, 'utf8')));
        if (parsed.chainId === id.chainId && parsed.pool === id.pool.toLowerCase() && parsed.deployBlock === id.deployBlock) m = parsed;
      } catch {
        m = null;
      }
    }
    const fresh = m === null;
    m ??= {
      version: INDEX_VERSION,
      chainId: id.chainId,
      pool: id.pool.toLowerCase(),
      deployBlock: id.deployBlock,
      streams: {},
      syncedTo: null,
      recent: [],
      checkpoints: [],
      segments: [],
      nextSeq: 1,
    };
    const store = new IndexStore(dir, m);
    try {
      for (const seg of m.segments) store.loadSegment(seg);
    } catch {
      // A damaged index is only a cache: start it again.
      return IndexStore.reset(dir, id);
    }
    // Leftovers of an interrupted commit, or of an index that did not match.
    const keep = new Set([...m.segments, 'manifest.json']);
    for (const f of readdirSync(dir)) {
      if (!keep.has(f) && (f.startsWith('seg-') || f.startsWith('.') || (fresh && f === 'manifest.json')))
        rmSync(join(dir, f), { force: true });
    }
    return store;
  }

  static reset(dir: string, id: StoreIdentity): IndexStore {
    rmSync(dir, { recursive: true, force: true });
    return IndexStore.open(dir, id);
  }

  private loadSegment(name: string) {
    const seg = Segment.parse(JSON.parse(readFileSync(join(this.dir, name), 'utf8')));
    for (const a of seg.events) {
      const e = unpackStakingEvent(a);
      this.events.add(e, true);
    }
    for (const [n, ts, hash] of seg.blocks) {
      const old = this.blocks.get(n);
      if (!old || old.ts < 0) this.blocks.set(n, { ts, hash });
    }
  }

  get deployBlock(): number {
    return this.manifest.deployBlock;
  }
  get syncedTo(): number | null {
    return this.manifest.syncedTo;
  }
  get recent(): [number, string][] {
    return this.manifest.recent;
  }
  get segmentCount(): number {
    return this.manifest.segments.length;
  }

  cursor(stream: string): number | undefined {
    return this.manifest.streams[stream];
  }
  streamKeys(): string[] {
    return Object.keys(this.manifest.streams);
  }
  ensureStream(stream: string): number {
    const c = this.manifest.streams[stream];
    if (c !== undefined) return c;
    this.manifest.streams[stream] = this.manifest.deployBlock - 1;
    return this.manifest.deployBlock - 1;
  }
  setCursor(stream: string, block: number) {
    this.manifest.streams[stream] = block;
  }

  get checkpoints(): [number, string][] {
    return this.manifest.checkpoints;
  }
  addCheckpoint(n: number, hash: string) {
    this.runNoted.add(n);
    this.manifest.checkpoints = [...this.manifest.checkpoints.filter(([b]) => b !== n), [n, hash.toLowerCase()]];
  }

  setSynced(block: number, recent: [number, string][]) {
    this.manifest.syncedTo = block;
    this.manifest.recent = recent;
    this.manifest.checkpoints = [];
  }

  /** Starts a sync run: blocks noted from now on are told apart from those of earlier runs. */
  beginRun() {
    this.runNoted.clear();
  }
  notedThisRun(n: number): boolean {
    return this.runNoted.has(n);
  }

  /** Records a block's hash (and time); throws ReorgDetected when it contradicts one seen before. */
  noteBlock(n: number, hash: string, ts = -1) {
    const h = hash.toLowerCase();
    const old = this.blocks.get(n);
    if (old) {
      if (old.hash !== h) throw new ReorgDetected(n);
      if (old.ts >= 0 || ts < 0) return;
    }
    for (const [rn, rh] of this.manifest.recent) if (rn === n && rh !== h) throw new ReorgDetected(n);
    if (!old) this.runNoted.add(n);
    this.blocks.set(n, { ts, hash: h });
    this.pendingBlocks.add(n);
  }

  block(n: number): BlockInfo | undefined {
    return this.blocks.get(n);
  }

  /** Adds events (deduplicated by transaction hash and log index). Returns how many were new. */
  addEvents(events: StakingEvent[]): number {
    const added = events.filter((e) => this.events.add(e));
    if (added.length) {
      this.pendingEvents.push(packedItems(added));
      this.sortedCache = null;
      this.version++;
    }
    return added.length;
  }

  /** Every event, in chain order. */
  sortedEvents(): StakingEvent[] {
    // Nearly in order already (transactions as first read, each one's logs in order): a quick sort.
    if (!this.sortedCache) this.sortedCache = this.events.values().sort(compareEvents);
    return this.sortedCache;
  }

  get eventCount(): number {
    return this.events.size;
  }

  /** Blocks that hold events we date but whose time is not known yet. */
  blocksWithoutTime(): number[] {
    const out = new Set<number>();
    for (const e of this.events.values()) {
      if (e.kind === 'ModelRegistered') continue;
      const b = this.blocks.get(e.block);
      if (!b || b.ts < 0) out.add(e.block);
    }
    return [...out].sort((a, b) => a - b);
  }

  /** Known (block, hash) pairs, highest first: candidates for the fork point. */
  knownHashes(): [number, string][] {
    const m = new Map<number, string>();
    for (const [n, b] of this.blocks) m.set(n, b.hash);
    for (const [n, h] of this.manifest.recent) m.set(n, h);
    for (const [n, h] of this.manifest.checkpoints) m.set(n, h);
    return [...m.entries()].sort((a, b) => b[0] - a[0]);
  }

  /** Writes what was added since the last commit (segment first, then the manifest). */
  commit() {
    if (this.pendingEvents.length || this.pendingBlocks.size) {
      const name = `seg-${String(this.manifest.nextSeq).padStart(6, '0')}.json`;
      this.manifest.nextSeq++;
      const blocks = [...this.pendingBlocks].map((n) => {
        const b = this.blocks.get(n)!;
        return [n, b.ts, b.hash];
      });
      writeFileAtomic(join(this.dir, name), segmentJson(this.pendingEvents, blocks));
      this.manifest.segments.push(name);
      this.pendingEvents = [];
      this.pendingBlocks.clear();
    }
    writeFileAtomic(join(this.dir, 'manifest.json'), JSON.stringify(this.manifest));
    if (this.manifest.segments.length > MAX_SEGMENTS) this.compact();
  }

  /** Rewrites every segment as one. */
  compact() {
    const old = this.manifest.segments;
    const name = `seg-${String(this.manifest.nextSeq).padStart(6, '0')}.json`;
    this.manifest.nextSeq++;
    const blocks = [...this.blocks.entries()].map(([n, b]) => [n, b.ts, b.hash]);
    writeFileAtomic(join(this.dir, name), segmentJson([packedItems(this.sortedEvents())], blocks));
    this.manifest.segments = [name];
    this.pendingEvents = [];
    this.pendingBlocks.clear();
    writeFileAtomic(join(this.dir, 'manifest.json'), JSON.stringify(this.manifest));
    for (const f of old) rmSync(join(this.dir, f), { force: true });
  }

  /** Forgets everything above `block` (a reorg's fork point) and writes the index again. */
  rollback(block: number) {
    this.events.deleteAbove(block);
    for (const n of [...this.blocks.keys()]) if (n > block) this.blocks.delete(n);
    for (const s of Object.keys(this.manifest.streams)) {
      if (this.manifest.streams[s]! > block) this.manifest.streams[s] = block;
    }
    this.manifest.recent = this.manifest.recent.filter(([n]) => n <= block);
    this.manifest.checkpoints = this.manifest.checkpoints.filter(([n]) => n <= block);
    if (this.manifest.syncedTo !== null && this.manifest.syncedTo > block) this.manifest.syncedTo = block;
    this.sortedCache = null;
    this.version++;
    this.compact();
  }
}

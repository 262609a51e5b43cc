/**
 * Reads eth_getLogs over a block range in chunks that adapt to what the node accepts:
 * - range errors (Infura -32005 "query returned more than 10000 results" with a suggested range,
 *   Alchemy -32602 "Log response size exceeded … this block range should work: [a, b]", "block range
 *   too wide", HTTP 413, …): take the node's suggestion, else halve; a block-count limit the node
 *   names becomes a ceiling for the rest of the read;
 * - rate limits (HTTP 429, -32005 "rate limited", Retry-After), time-outs, dropped connections, 5xx:
 *   retry with exponential backoff and jitter, bounded; a time-out also shrinks the range;
 * - after successes the range grows again (×2 while results stay well under the target count,
 *   shrunk in proportion when a chunk brings more than the target).
 * Up to `concurrency` consecutive ranges are in flight at once; results come out in block order.
 */
import { abortError, isAbortError, RpcError, sleep, type RpcClient } from './rpc';

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex?: string;
  logIndex: string;
  removed?: boolean;
}

export interface LogFilter {
  address: string;
  topics: (string | string[] | null)[];
}

export interface ReaderOptions {
  /** First range tried, in blocks (default 2,000: Alchemy's limit). */
  initialSpan?: number;
  /** Never ask for more blocks at once (default 1,000,000). */
  maxSpan?: number;
  /** Results per request to aim for (default 5,000: half of Infura's cap). */
  targetLogs?: number;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Tries of one range before giving up on a transient error (default 8). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request time limit (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Deterministic jitter for tests; defaults to Math.random. */
  random?: () => number;
}

export interface ReaderStats {
  requests: number;
  splits: number;
  retries: number;
  rateLimited: number;
  timeouts: number;
  dropped: number;
  /** Block ranges that were answered, in order ([from, to], inclusive). */
  ranges: [number, number][];
}

export function newStats(): ReaderStats {
  return { requests: 0, splits: 0, retries: 0, rateLimited: 0, timeouts: 0, dropped: 0, ranges: [] };
}

export type ErrorClass =
  | { kind: 'range'; suggestedTo: number | null; blockLimit: number | null; resultLimit: number | null }
  /** The node does not have the blocks asked for (behind, or its chain got shorter): start over from its head. */
  | { kind: 'behind' }
  | { kind: 'retry'; reason: 'rate' | 'timeout' | 'network' | 'server'; delayHintMs: number | null }
  | { kind: 'fatal' };

const RANGE_WORDS =
  /more than \d[\d,]* results|response size|block range|range (is )?too (large|wide|big)|too many (results|logs|blocks)|max(imum)? (block )?range|exceed(s|ed)? (the )?(max|maximum|limit)|limited to|query returned more|returned more than|logs? (limit|cap)|cap of|result(s)? (limit|set too large)|too large|range limit/i;
const BEHIND_WORDS =
  /block height is|out of range.*block|block.*out of range|beyond (the )?(current )?head|after last accepted block|greater than (the )?(latest|current|head)|future block|requested (block )?(range )?.*(not|isn't) (yet )?available/i;
const RATE_WORDS =
  /rate.?limit|too many requests|request rate|exceeded.*(quota|capacity|credits)|capacity|throughput|daily request count|try again later|compute units/i;

function hexOrDec(s: string): number | null {
  const v = s.trim().toLowerCase().startsWith('0x') ? parseInt(s.trim(), 16) : parseInt(s.replace(/,/g, ''), 10);
  return Number.isSafeInteger(v) ? v : null;
}

/** The `to` of a range the node suggests, from its message ("[0x1a, 0x2b]") or data ({from, to}). */
export function suggestedRange(e: RpcError): { from: number; to: number } | null {
  const d = e.data as Record<string, unknown> | undefined;
  if (
    d &&
    typeof d === 'object' &&
    (typeof d.from === 'string' || typeof d.from === 'number') &&
    (typeof d.to === 'string' || typeof d.to === 'number')
  ) {
    const from = hexOrDec(String(d.from));
    const to = hexOrDec(String(d.to));
    if (from !== null && to !== null && to >= from) return { from, to };
  }
  const m = /\[\s*(0x[0-9a-f]+|\d+)\s*,\s*(0x[0-9a-f]+|\d+)\s*\]/i.exec(e.message);
  if (m) {
    const from = hexOrDec(m[1]!);
    const to = hexOrDec(m[2]!);
    if (from !== null && to !== null && to >= from) return { from, to };
  }
  return null;
}

function numberWithK(n: string, k: string | undefined): number | null {
  const v = Number(n.replace(/,/g, ''));
  if (!Number.isFinite(v) || v <= 0) return null;
  return Math.floor(k ? v * 1000 : v);
}

/** A block-count limit the node names ("up to a 2K block range", "limited to a 10000 range", "max block range 5000"). */
export function namedBlockLimit(message: string): number | null {
  const pats = [
    /up to (?:a )?(\d[\d,]*)\s*(k)?\s*block range/i,
    /limited to (?:a )?(\d[\d,]*)\s*(k)?\s*(?:block )?range/i,
    /max(?:imum)?\s+(?:block\s+)?range(?:\s+(?:is|of|:))?\s*:?\s*(\d[\d,]*)\s*(k)?/i,
    /block range (?:limit|is limited to|should not exceed|exceeds?)\D{0,20}(\d[\d,]*)\s*(k)?/i,
    /range (?:of )?more than (\d[\d,]*)\s*(k)?\s*blocks/i,
  ];
  for (const p of pats) {
    const m = p.exec(message);
    if (m) return numberWithK(m[1]!, m[2]);
  }
  return null;
}

/** A result-count limit the node names ("more than 10000 results", "cap of 10K logs"). */
export function namedResultLimit(message: string): number | null {
  const m = /more than (\d[\d,]*)\s*(k)?\s*(?:results|logs)/i.exec(message) ?? /cap of (\d[\d,]*)\s*(k)?\s*logs/i.exec(message);
  return m ? numberWithK(m[1]!, m[2]) : null;
}

export function classifyError(e: unknown): ErrorClass {
  if (!(e instanceof RpcError)) return { kind: 'fatal' };
  if (e.kind === 'timeout') return { kind: 'retry', reason: 'timeout', delayHintMs: null };
  if (e.kind === 'network') return { kind: 'retry', reason: 'network', delayHintMs: null };
  const msg = e.message ?? '';
  const hasSuggestion = suggestedRange(e) !== null;
  const range = () =>
    ({
      kind: 'range',
      suggestedTo: suggestedRange(e)?.to ?? null,
      blockLimit: namedBlockLimit(msg),
      resultLimit: namedResultLimit(msg),
    }) as const;
  if (e.kind === 'http') {
    if (e.httpStatus === 429 || e.code === 429) return { kind: 'retry', reason: 'rate', delayHintMs: e.retryAfterMs };
    if (e.httpStatus === 413) return range();
    if (RANGE_WORDS.test(msg) && !RATE_WORDS.test(msg)) return range();
    if (e.httpStatus !== null && (e.httpStatus >= 500 || e.httpStatus === 408))
      return { kind: 'retry', reason: 'server', delayHintMs: e.retryAfterMs };
    return { kind: 'fatal' };
  }
  // A JSON-RPC error object.
  if (BEHIND_WORDS.test(msg)) return { kind: 'behind' };
  if (hasSuggestion || (RANGE_WORDS.test(msg) && !RATE_WORDS.test(msg))) return range();
  if (e.code === 429 || RATE_WORDS.test(msg)) return { kind: 'retry', reason: 'rate', delayHintMs: null };
  if (/timeout|timed out|deadline/i.test(msg)) return { kind: 'retry', reason: 'timeout', delayHintMs: null };
  // Load-balanced nodes that have not seen the block yet, and plain internal errors.
  if (e.code === -32603 || /header not found|unknown block|internal error|upstream|temporarily|unavailable|busy/i.test(msg)) {
    return { kind: 'retry', reason: 'server', delayHintMs: null };
  }
  return { kind: 'fatal' };
}

export function backoffMs(attempt: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** attempt);
  return Math.round(exp * (0.5 + 0.5 * random()));
}

/** Retries transient failures (rate limits, time-outs, dropped connections, 5xx) of one call, bounded. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: {
    signal?: AbortSignal;
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    random?: () => number;
    stats?: ReaderStats;
  } = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 8;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    try {
      return await fn();
    } catch (e) {
      if (isAbortError(e)) throw e;
      const c = classifyError(e);
      if (c.kind === 'behind') throw new LogReadError(`the node does not have the blocks asked for: ${errText(e)}`, e, true);
      if (c.kind !== 'retry' || attempt + 1 >= maxAttempts) throw e;
      if (opts.stats) {
        opts.stats.retries++;
        if (c.reason === 'rate') opts.stats.rateLimited++;
        if (c.reason === 'timeout') opts.stats.timeouts++;
        if (c.reason === 'network') opts.stats.dropped++;
      }
      const wait = c.delayHintMs ?? backoffMs(attempt, opts.baseDelayMs ?? 250, opts.maxDelayMs ?? 10_000, random);
      await sleep(Math.min(wait, opts.maxDelayMs ?? 10_000), opts.signal);
    }
  }
}

export interface Chunk {
  from: number;
  to: number;
  logs: RawLog[];
}

interface Slot {
  from: number;
  to: number;
  attempts: number;
  /** null until the request is sent. */
  outcome: Promise<{ ok: true; logs: RawLog[] } | { ok: false; error: unknown }> | null;
}

export class LogReadError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
    /** The node lacks blocks we asked for: read its head again and start over. */
    readonly behind = false,
  ) {
    super(message);
    this.name = 'LogReadError';
  }
}

/**
 * The adaptive reader. One instance can serve several reads; what it learns about the node (a block
 * limit, a result limit, the span that works) carries over from one read to the next.
 */
export class LogReader {
  span: number;
  private ceiling: number;
  private targetLogs: number;
  readonly stats: ReaderStats = newStats();

  constructor(
    private readonly rpc: RpcClient,
    private readonly opts: ReaderOptions = {},
  ) {
    this.ceiling = opts.maxSpan ?? 1_000_000;
    this.span = Math.min(opts.initialSpan ?? 2_000, this.ceiling);
    this.targetLogs = opts.targetLogs ?? 5_000;
  }

  private send(filter: LogFilter, from: number, to: number, signal?: AbortSignal): NonNullable<Slot['outcome']> {
    this.stats.requests++;
    return this.rpc
      .call<RawLog[]>(
        'eth_getLogs',
        [{ address: filter.address, topics: filter.topics, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` }],
        { signal, timeoutMs: this.opts.timeoutMs ?? 30_000 },
      )
      .then(
        (logs) => {
          if (!Array.isArray(logs)) return { ok: false as const, error: new RpcError('eth_getLogs did not return a list', 'network') };
          return { ok: true as const, logs };
        },
        (error: unknown) => ({ ok: false as const, error }),
      );
  }

  private onSuccess(slot: Slot, count: number) {
    const width = slot.to - slot.from + 1;
    if (count > this.targetLogs) {
      this.span = Math.max(1, Math.min(this.span, Math.floor((width * this.targetLogs) / count)));
    } else if (count < this.targetLogs / 4 && width >= this.span) {
      this.span = Math.min(this.ceiling, this.span * 2);
    }
  }

  /** Yields every log of [from, to] in block order, chunk by chunk. */
  async *read(filter: LogFilter, from: number, to: number, signal = this.opts.signal): AsyncGenerator<Chunk> {
    const concurrency = Math.max(1, this.opts.concurrency ?? 2);
    const maxAttempts = this.opts.maxAttempts ?? 8;
    const random = this.opts.random ?? Math.random;
    const queue: Slot[] = [];
    let next = from;
    /** Sends the first `concurrency` ranges of the queue (none wider than the span), adding ranges as needed. */
    const fill = () => {
      for (let i = 0; i < concurrency; i++) {
        if (i >= queue.length) {
          if (next > to) break;
          const end = Math.min(to, next + this.span - 1);
          queue.push({ from: next, to: end, attempts: 0, outcome: null });
          next = end + 1;
        }
        const s = queue[i]!;
        if (s.outcome) continue;
        const w = this.span;
        if (s.to - s.from + 1 > w) {
          queue.splice(i + 1, 0, { from: s.from + w, to: s.to, attempts: s.attempts, outcome: null });
          s.to = s.from + w - 1;
        }
        s.outcome = this.send(filter, s.from, s.to, signal);
      }
    };
    try {
      fill();
      while (queue.length > 0) {
        if (signal?.aborted) throw abortError(signal);
        const slot = queue[0]!;
        const out = await slot.outcome!;
        if (out.ok) {
          queue.shift();
          this.onSuccess(slot, out.logs.length);
          this.stats.ranges.push([slot.from, slot.to]);
          // The next range is asked for only once the caller has stored this one and committed its
          // checkpoint: asking ahead made reorg.test's reorg-while-reading case lose events (7 runs
          // in 10), the checkpoint's header being read after a reorg that the range read before.
          yield { from: slot.from, to: slot.to, logs: out.logs };
          fill();
          continue;
        }
        if (isAbortError(out.error) || signal?.aborted) throw abortError(signal);
        const c = classifyError(out.error);
        const width = slot.to - slot.from + 1;
        if (c.kind === 'fatal')
          throw new LogReadError(`eth_getLogs failed for blocks ${slot.from}–${slot.to}: ${errText(out.error)}`, out.error);
        if (c.kind === 'behind')
          throw new LogReadError(`the node does not have blocks ${slot.from}–${slot.to}: ${errText(out.error)}`, out.error, true);
        if (c.kind === 'range') {
          if (width === 1) {
            throw new LogReadError(`the node refuses the logs of block ${slot.from} even alone: ${errText(out.error)}`, out.error);
          }
          this.stats.splits++;
          let w = Math.floor(width / 2);
          if (c.suggestedTo !== null && c.suggestedTo >= slot.from && c.suggestedTo < slot.to) w = c.suggestedTo - slot.from + 1;
          if (c.blockLimit !== null && c.blockLimit < width) {
            this.ceiling = Math.max(1, Math.min(this.ceiling, c.blockLimit));
            if (c.suggestedTo === null) w = this.ceiling;
          }
          if (c.resultLimit !== null) this.targetLogs = Math.max(1, Math.min(this.targetLogs, Math.floor(c.resultLimit / 2)));
          w = Math.max(1, Math.min(w, width - 1, this.ceiling));
          this.span = Math.max(1, Math.min(this.span, w));
          // The rest goes back unsent; it is cut to the new span when its turn comes.
          queue.splice(
            0,
            1,
            { from: slot.from, to: slot.from + w - 1, attempts: 0, outcome: null },
            { from: slot.from + w, to: slot.to, attempts: 0, outcome: null },
          );
          fill();
          continue;
        }
        // Transient: back off and try again, bounded.
        this.stats.retries++;
        if (c.reason === 'rate') this.stats.rateLimited++;
        if (c.reason === 'timeout') this.stats.timeouts++;
        if (c.reason === 'network') this.stats.dropped++;
        if (slot.attempts + 1 >= maxAttempts) {
          throw new LogReadError(
            `eth_getLogs for blocks ${slot.from}–${slot.to} kept failing (${slot.attempts + 1} tries): ${errText(out.error)}`,
            out.error,
          );
        }
        const wait = c.delayHintMs ?? backoffMs(slot.attempts, this.opts.baseDelayMs ?? 250, this.opts.maxDelayMs ?? 10_000, random);
        await sleep(Math.min(wait, this.opts.maxDelayMs ?? 10_000), signal);
        if (c.reason === 'timeout' && width > 1) {
          // A node that times out on a range may answer a smaller one.
          const w = Math.max(1, Math.floor(width / 2));
          this.span = Math.max(1, Math.min(this.span, w));
          this.stats.splits++;
          queue.splice(
            0,
            1,
            { from: slot.from, to: slot.from + w - 1, attempts: slot.attempts + 1, outcome: null },
            { from: slot.from + w, to: slot.to, attempts: slot.attempts + 1, outcome: null },
          );
        } else {
          queue[0] = { from: slot.from, to: slot.to, attempts: slot.attempts + 1, outcome: null };
        }
        fill();
      }
    } finally {
      // Nothing may be left running (or unhandled) when the caller stops early.
      for (const s of queue) void s.outcome?.catch(() => undefined);
    }
  }
}

function errText(e: unknown): string {
  if (e instanceof RpcError) return `${e.code !== null ? `${e.code} ` : ''}${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

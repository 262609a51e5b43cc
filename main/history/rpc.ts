/**
 * A small JSON-RPC client for the indexer. Not ethers' provider: the indexer needs the node's own
 * error code, message, data and HTTP status to adapt its block ranges, its own timeouts per request,
 * and raw log objects (ethers would format 100,000 logs into class instances first).
 */
import { isAscii } from 'node:buffer';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export type RpcErrorKind =
  /** The node answered with a JSON-RPC error object. */
  | 'rpc'
  /** The HTTP status was not 2xx (429, 502, …). */
  | 'http'
  /** No answer within the time limit. */
  | 'timeout'
  /** The connection failed or was dropped, or the body was not JSON. */
  | 'network';

export class RpcError extends Error {
  constructor(
    message: string,
    readonly kind: RpcErrorKind,
    readonly code: number | null = null,
    readonly data: unknown = undefined,
    readonly httpStatus: number | null = null,
    /** From a Retry-After header, when the node sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RpcCall {
  method: string;
  params: unknown[];
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface RpcClient {
  call<T = unknown>(method: string, params: unknown[], opts?: CallOptions): Promise<T>;
  /** One HTTP request for many calls; each result is the value or the RpcError of that call. */
  batch(calls: RpcCall[], opts?: CallOptions): Promise<unknown[]>;
  /** Requests sent so far (HTTP requests, not calls), for tests and benchmarks. */
  readonly requests: number;
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('The operation was cancelled.');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

function parseRetryAfter(v: string | null): number | null {
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : null;
}

interface Exchange {
  status: number;
  retryAfter: string | null;
  location: string | null;
  text: string;
}

type JsonRpcAnswer = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };

function toRpcError(a: JsonRpcAnswer): RpcError | null {
  if (!a.error) return null;
  const code = typeof a.error.code === 'number' ? a.error.code : null;
  const message = typeof a.error.message === 'string' ? a.error.message : 'JSON-RPC error';
  return new RpcError(message, 'rpc', code, a.error.data);
}

/**
 * JSON-RPC over HTTP(S) with node:http / node:https and keep-alive connections. Not fetch: an export
 * reads 100+ MB of logs, and fetch's web streams add about 3 ms per MB on top of the node's own time
 * (answers are gathered as Buffers and decoded once here). Compressed answers are accepted, as fetch
 * would.
 */
export class HttpRpc implements RpcClient {
  private nextId = 1;
  private sent = 0;
  private readonly target: URL;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(
    readonly url: string,
    private readonly defaults: { timeoutMs?: number } = {},
  ) {
    this.target = new URL(url);
    this.agent = this.target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  get requests(): number {
    return this.sent;
  }

  /** One HTTP exchange: the status, the Retry-After and Location headers and the body as text. */
  private exchange(body: string, timeoutMs: number, signal: AbortSignal | undefined, target: URL): Promise<Exchange> {
    const { protocol } = target;
    if (protocol !== 'http:' && protocol !== 'https:')
      return Promise.reject(new RpcError(`connection failed: unsupported protocol ${protocol}`, 'network'));
    const send = protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let done = false;
      let req: ClientRequest | null = null;
      const finish = (error: Error | null, value?: Exchange) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          req?.destroy();
          reject(error);
        } else resolve(value!);
      };
      const network = (e: unknown) => {
        const err = e as (Error & { code?: string }) | undefined;
        finish(new RpcError(`connection failed: ${err?.message || err?.code || String(e)}`, 'network'));
      };
      const onAbort = () => finish(abortError(signal));
      const timer = setTimeout(() => finish(new RpcError(`no answer within ${timeoutMs} ms`, 'timeout')), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      req = send(
        target,
        {
          method: 'POST',
          agent: protocol === this.target.protocol ? this.agent : undefined,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'accept-encoding': 'gzip, deflate, br',
          },
        },
        (res) => {
          const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
          const decompress =
            encoding === 'gzip' || encoding === 'x-gzip'
              ? createGunzip()
              : encoding === 'deflate'
                ? createInflate()
                : encoding === 'br'
                  ? createBrotliDecompress()
                  : null;
          const source: Readable = decompress ? res.pipe(decompress) : res;
          const chunks: Buffer[] = [];
          let size = 0;
          source.on('data', (c: Buffer) => {
            chunks.push(c);
            size += c.length;
          });
          source.on('end', () => {
            const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
            const retry = res.headers['retry-after'];
            // Logs are all ASCII (hex and numbers): latin1 is the same text, read without UTF-8 checks.
            const text = isAscii(all) ? all.toString('latin1') : all.toString('utf8');
            finish(null, {
              status: res.statusCode ?? 0,
              // Node keeps one Retry-After (it drops repeats of this header), so this is a string or nothing.
              retryAfter: retry ?? null,
              location: res.headers.location ?? null,
              text,
            });
          });
          source.on('error', network);
          // A connection dropped in the middle of the answer.
          res.on('close', () => {
            if (!res.complete) network(new Error('the connection closed before the answer was complete'));
          });
          if (decompress) res.on('error', network);
        },
      );
      req.on('error', network);
      req.end(body);
    });
  }

  private async post(body: string, opts: CallOptions): Promise<unknown> {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    const timeoutMs = opts.timeoutMs ?? this.defaults.timeoutMs ?? 30_000;
    this.sent++;
    let target = this.target;
    let answer = await this.exchange(body, timeoutMs, opts.signal, target);
    // A node moved for good or for now, POST kept (307/308), as fetch follows it.
    for (let hops = 0; (answer.status === 307 || answer.status === 308) && answer.location && hops < 5; hops++) {
      const next = URL.canParse(answer.location, target) ? new URL(answer.location, target) : null;
      if (!next) break;
      target = next;
      answer = await this.exchange(body, timeoutMs, opts.signal, target);
    }
    const { status, retryAfter, text } = answer;
    if (status < 200 || status > 299) {
      // Some nodes send a JSON-RPC error with a non-2xx status: keep its code and message.
      let parsed: JsonRpcAnswer | null = null;
      try {
        parsed = JSON.parse(text) as JsonRpcAnswer;
      } catch {
        parsed = null;
      }
      const inner = parsed && !Array.isArray(parsed) ? toRpcError(parsed) : null;
      throw new RpcError(
        inner?.message ?? `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        'http',
        inner?.code ?? null,
        inner?.data,
        status,
        parseRetryAfter(retryAfter),
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RpcError(`the node's answer is not JSON (${text.length} bytes)`, 'network');
    }
  }

  async call<T = unknown>(method: string, params: unknown[], opts: CallOptions = {}): Promise<T> {
    const id = this.nextId++;
    const answer = (await this.post(JSON.stringify({ jsonrpc: '2.0', id, method, params }), opts)) as JsonRpcAnswer;
    if (!answer || typeof answer !== 'object' || Array.isArray(answer)) throw new RpcError('malformed JSON-RPC answer', 'network');
    const err = toRpcError(answer);
    if (err) throw err;
    if (!('result' in answer)) throw new RpcError('JSON-RPC answer without a result', 'network');
    return answer.result as T;
  }

  async batch(calls: RpcCall[], opts: CallOptions = {}): Promise<unknown[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params })));
    const answer = await this.post(body, opts);
    if (!Array.isArray(answer)) {
      // A node that refuses batches answers with one error object.
      const err = answer && typeof answer === 'object' ? toRpcError(answer) : null;
      throw err ?? new RpcError('malformed JSON-RPC batch answer', 'network');
    }
    const out: unknown[] = calls.map(() => new RpcError('missing from the batch answer', 'network'));
    for (const a of answer as JsonRpcAnswer[]) {
      const i = typeof a?.id === 'number' ? a.id - first : -1;
      if (i < 0 || i >= calls.length) continue;
      out[i] = toRpcError(a) ?? a.result;
    }
    return out;
  }
}

/** Waits `ms`, or throws when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

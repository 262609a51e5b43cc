/**
 * A small, polite GraphQL client for Numerai's public API (POST {query, variables} as JSON, the way
 * numerapi's `raw_query` does it), with:
 *   - a token bucket (default 5 requests/s, no burst) shared by every request of the client;
 *   - bounded retries with exponential backoff and jitter on network errors, timeouts, 429 and 5xx;
 *     `Retry-After` (seconds or an HTTP date) is honoured and pauses the whole client, and one
 *     longer than `maxRetryAfterMs` fails at once instead of hanging the app;
 *   - a timeout per attempt that covers the body too (a server that stalls mid-body times out);
 *   - typed errors (`NumeraiApiError.code`) that say what went wrong, for which model and which
 *     field, and whether the API could be reached at all.
 * The response's `data` is validated with a zod schema by the caller's choice; a GraphQL `errors`
 * array fails the request, as numerapi does.
 */
import type { z } from 'zod';
import { AbortedError, TokenBucket, sleep } from './rate-limit';

export const NUMERAI_API_URL = 'https://api-tournament.numer.ai';

export type NumeraiErrorCode =
  /** No connection (DNS, refused, reset): "offline". */
  | 'unreachable'
  /** No complete answer within the timeout. */
  | 'timeout'
  /** 429 after every retry, or a Retry-After longer than we are willing to wait. */
  | 'rate_limited'
  /** Another HTTP status (5xx after every retry, or a 4xx). */
  | 'http'
  /** The body is not JSON. */
  | 'invalid_json'
  /** The API answered with a GraphQL `errors` array. */
  | 'graphql'
  /** JSON of the wrong shape: a field missing or of the wrong type. */
  | 'invalid_response'
  /** The API does not know the model. */
  | 'not_found'
  /** Something this client cannot ask the API for. */
  | 'unsupported'
  /** The caller cancelled. */
  | 'aborted';

const RETRYABLE: ReadonlySet<NumeraiErrorCode> = new Set(['unreachable', 'timeout', 'rate_limited', 'http']);

export class NumeraiApiError extends Error {
  override readonly name = 'NumeraiApiError';
  readonly code: NumeraiErrorCode;
  readonly status: number | undefined;
  /** The model the request was about, when it was about one. */
  readonly model: string | undefined;
  /** Path of the offending field in the response, e.g. `v2RoundModelPerformances[3].atRisk`. */
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
  /** The messages of a GraphQL `errors` answer, as sent (code 'graphql'). */
  readonly graphqlMessages: readonly string[] | undefined;

  constructor(
    code: NumeraiErrorCode,
    message: string,
    extra: {
      status?: number;
      model?: string;
      field?: string;
      retryAfterMs?: number;
      attempts?: number;
      graphqlMessages?: readonly string[];
      cause?: unknown;
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    this.status = extra.status;
    this.model = extra.model;
    this.field = extra.field;
    this.retryAfterMs = extra.retryAfterMs;
    this.attempts = extra.attempts ?? 1;
    this.graphqlMessages = extra.graphqlMessages;
  }

  /** True when the API could not be reached or did not answer usefully (show cached data). */
  get isOffline(): boolean {
    return (
      this.code === 'unreachable' ||
      this.code === 'timeout' ||
      this.code === 'rate_limited' ||
      (this.code === 'http' && (this.status ?? 0) >= 500)
    );
  }

  withAttempts(attempts: number): NumeraiApiError {
    return new NumeraiApiError(this.code, this.message, {
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.model === undefined ? {} : { model: this.model }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.graphqlMessages === undefined ? {} : { graphqlMessages: this.graphqlMessages }),
      attempts,
      cause: this.cause,
    });
  }
}

export interface NumeraiClientOptions {
  /** Default https://api-tournament.numer.ai. */
  url?: string;
  /** Default 5. */
  requestsPerSecond?: number;
  /** Requests allowed back to back before the rate applies (default 1). */
  burst?: number;
  /** Retries after the first attempt (default 4, so 5 attempts at most). */
  maxRetries?: number;
  /** First backoff (default 500 ms); doubles per retry, with jitter, up to `retryMaxMs`. */
  retryBaseMs?: number;
  /** Default 20 s. */
  retryMaxMs?: number;
  /** A Retry-After longer than this fails the request at once (default 120 s). */
  maxRetryAfterMs?: number;
  /** Per attempt, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Uniform [0, 1) for the jitter; injected for tests. */
  random?: () => number;
  /** Extra request headers (a User-Agent, say). Never an API key: use `authorization`. */
  headers?: Record<string, string>;
  /**
   * The `Authorization` header's value for a request (undefined: none sent), asked for on each
   * attempt. The header is never part of an error or of `stats`; the caller keeps the secret in its
   * closure and can leave it off the requests that do not need it.
   */
  authorization?: (req: GraphqlRequest) => string | undefined;
}

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** The model the request is about, named in errors. */
  model?: string;
}

export interface ClientStats {
  /** HTTP requests sent (attempts, retries included). */
  requests: number;
  retries: number;
}

export interface NumeraiClient {
  readonly url: string;
  readonly stats: Readonly<ClientStats>;
  /** Sends one GraphQL request; resolves with `data` validated by `schema`. */
  request<S extends z.ZodType>(req: GraphqlRequest, schema: S, signal?: AbortSignal): Promise<z.output<S>>;
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined if absent/invalid. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - nowMs) : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function networkCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return code;
  }
  return undefined;
}

/** Zod issue path → `a[3].b`. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let s = root;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return s;
}

/** Turns a failed zod parse into an invalid_response error naming the first bad field. */
export function invalidResponse(error: z.ZodError, root: string, model?: string): NumeraiApiError {
  const issue = error.issues[0];
  const field = formatPath(root, issue?.path ?? []);
  const what = issue ? issue.message : 'invalid';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new NumeraiApiError(
    'invalid_response',
    `Numerai's API sent an unexpected response${model ? ` for model "${model}"` : ''}: ${field}: ${what}${more}`,
    {
      field,
      ...(model === undefined ? {} : { model }),
    },
  );
}

export function createNumeraiClient(opts: NumeraiClientOptions = {}): NumeraiClient {
  const url = opts.url ?? NUMERAI_API_URL;
  const bucket = new TokenBucket(opts.requestsPerSecond ?? 5, opts.burst ?? 1);
  const maxRetries = opts.maxRetries ?? 4;
  const baseMs = opts.retryBaseMs ?? 500;
  const maxMs = opts.retryMaxMs ?? 20_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const doFetch = opts.fetch ?? fetch;
  const random = opts.random ?? Math.random;
  const stats: ClientStats = { requests: 0, retries: 0 };
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      throw new RangeError(`invalid Numerai API URL "${url}"`);
    }
  })();

  async function once(req: GraphqlRequest, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const model = req.model === undefined ? {} : { model: req.model };
    stats.requests++;
    let res: Response;
    let text: string;
    try {
      const auth = opts.authorization?.(req);
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...opts.headers,
          ...(auth === undefined ? {} : { authorization: auth }),
        },
        body: JSON.stringify({ query: req.query, variables: req.variables ?? {} }),
        signal: both,
      });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw new NumeraiApiError('aborted', 'cancelled', model);
      if (timeout.signal.aborted)
        throw new NumeraiApiError('timeout', `Numerai's API did not answer within ${(timeoutMs / 1000).toFixed(1)} s`, {
          ...model,
          cause: e,
        });
      const code = networkCode(e);
      throw new NumeraiApiError('unreachable', `Numerai's API cannot be reached at ${host}${code ? ` (${code})` : ''}`, {
        ...model,
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      const extra = { ...model, status: res.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      if (res.status === 429) throw new NumeraiApiError('rate_limited', `Numerai's API asks us to slow down (HTTP 429)`, extra);
      throw new NumeraiApiError('http', `Numerai's API answered HTTP ${res.status}`, extra);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new NumeraiApiError(
        'invalid_json',
        `Numerai's API sent a response that is not JSON (${text.length} bytes, starting "${text.slice(0, 30)}")`,
        { ...model, cause: e },
      );
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new NumeraiApiError('invalid_response', `Numerai's API sent JSON that is not a GraphQL response`, {
        ...model,
        field: '(root)',
      });
    }
    const { data, errors } = body as { data?: unknown; errors?: unknown };
    if (errors !== undefined && errors !== null) {
      const list = Array.isArray(errors) ? errors : [errors];
      if (list.length > 0) {
        const messages = list.map((e) =>
          e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
            ? (e as { message: string }).message
            : JSON.stringify(e),
        );
        throw new NumeraiApiError('graphql', `Numerai's API reported an error: ${messages.join('; ').slice(0, 300)}`, {
          ...model,
          graphqlMessages: messages,
        });
      }
    }
    if (data === undefined || data === null)
      throw new NumeraiApiError('invalid_response', `Numerai's API sent no data`, { ...model, field: 'data' });
    return data;
  }

  async function request<S extends z.ZodType>(req: GraphqlRequest, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    for (let attempt = 0; ; attempt++) {
      try {
        await bucket.take(signal);
        const data = await once(req, signal);
        const parsed = schema.safeParse(data);
        if (!parsed.success) throw invalidResponse(parsed.error, 'data', req.model);
        return parsed.data;
      } catch (e) {
        if (e instanceof AbortedError)
          throw new NumeraiApiError('aborted', 'cancelled', req.model === undefined ? {} : { model: req.model });
        if (!(e instanceof NumeraiApiError)) throw e;
        const retryAfter = e.retryAfterMs;
        if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) {
          bucket.pauseFor(retryAfter);
          throw new NumeraiApiError(
            'rate_limited',
            `Numerai's API asks us to wait ${Math.ceil(retryAfter / 1000)} s before the next request`,
            {
              ...(e.status === undefined ? {} : { status: e.status }),
              ...(req.model === undefined ? {} : { model: req.model }),
              retryAfterMs: retryAfter,
              attempts: attempt + 1,
            },
          );
        }
        if (!RETRYABLE.has(e.code) || (e.code === 'http' && (e.status ?? 0) < 500) || attempt >= maxRetries)
          throw e.withAttempts(attempt + 1);
        // Exponential backoff with "equal jitter": half fixed, half random, so retries spread out
        // but never collapse to zero.
        const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
        let delay = ceiling / 2 + random() * (ceiling / 2);
        if (retryAfter !== undefined) {
          delay = Math.max(delay, retryAfter);
          bucket.pauseFor(retryAfter);
        }
        stats.retries++;
        try {
          await sleep(delay, signal);
        } catch {
          throw new NumeraiApiError('aborted', 'cancelled', req.model === undefined ? {} : { model: req.model });
        }
      }
    }
  }

  return { url, stats, request };
}

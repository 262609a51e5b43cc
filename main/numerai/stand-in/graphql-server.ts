/**
 * The core of our stand-ins for Numerai's GraphQL API: a small GraphQL front end and a loopback
 * HTTP server. Production code, because the demo app serves the demo Numerai's API from it; the
 * tests' fake Numerai (main/records/test-support/fake-numerai.ts) is built on it too.
 *
 * It behaves like a GraphQL server where it matters to a client:
 *   - it parses the operation header (declared variables), the one root field, its arguments and the
 *     selection set; refuses an argument or field the type does not have ("Unknown argument",
 *     "Cannot query field"), an undeclared or missing required variable, a required argument sent as
 *     null, and a variable of the wrong scalar type; and returns exactly the fields selected;
 *   - errors come back as `{ data: null, errors: [{ message }] }` with HTTP 200, except where a
 *     resolver asks for an HTTP status (429, 503…); an unexpected exception is a 500 that says
 *     nothing about it.
 * The server listens on loopback only, caps the request body and the time a client may take to
 * send it, and offers one hook to inject faults per request (tests, and the demo's developer panel).
 * Request headers never reach the request log: the log holds the root field and the variables.
 * Several schemas can be merged and served on one port (`mergeSchemas`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A GraphQL error for the client. `status` set: answer with that HTTP status instead of 200. */
export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphqlError';
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing: enough of the language for the queries clients send (one root field per operation).

export type Selection = Map<string, Selection | null>;

export interface ParsedQuery {
  declared: Map<string, { type: string; required: boolean }>;
  rootField: string;
  args: Map<string, { variable: string } | { literal: unknown }>;
  selection: Selection;
}

function tokenize(q: string): string[] {
  const out: string[] = [];
  const re = /\s+|,|#[^\n]*|([{}()[\]:!$=])|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(q)) !== null) {
    if (m.index !== last) throw new GraphqlError(`Syntax Error: unexpected character at ${last}`);
    last = re.lastIndex;
    const tok = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (tok !== undefined) out.push(tok);
    if (re.lastIndex === q.length) break;
  }
  if (last !== q.length) throw new GraphqlError(`Syntax Error: unexpected character at ${last}`);
  return out;
}

function literal(tok: string): unknown {
  if (tok === 'true') return true;
  if (tok === 'false') return false;
  if (tok === 'null') return null;
  return tok.startsWith('"') ? JSON.parse(tok) : Number(tok);
}

export function parseQuery(q: string): ParsedQuery {
  const t = tokenize(q);
  let i = 0;
  const expect = (tok: string) => {
    if (t[i] !== tok) throw new GraphqlError(`Syntax Error: expected "${tok}", found "${t[i] ?? '<EOF>'}"`);
    i++;
  };
  const declared = new Map<string, { type: string; required: boolean }>();
  if (t[i] === 'mutation' || t[i] === 'subscription') throw new GraphqlError(`Syntax Error: only queries are served here`);
  if (t[i] === 'query') {
    i++;
    if (t[i] !== '(' && t[i] !== '{') i++; // operation name
    if (t[i] === '(') {
      i++;
      while (t[i] !== ')') {
        if (i >= t.length) throw new GraphqlError('Syntax Error: unexpected <EOF>');
        expect('$');
        const name = t[i++]!;
        expect(':');
        let type = t[i++]!;
        if (type === '[') {
          type = `[${t[i++]}${t[i] === '!' ? t[i++] : ''}]`;
          expect(']');
        }
        const required = t[i] === '!';
        if (required) i++;
        declared.set(name, { type, required });
      }
      i++;
    }
  }
  expect('{');
  const rootField = t[i++]!;
  const args = new Map<string, { variable: string } | { literal: unknown }>();
  if (t[i] === '(') {
    i++;
    while (t[i] !== ')') {
      if (i >= t.length) throw new GraphqlError('Syntax Error: unexpected <EOF>');
      const name = t[i++]!;
      expect(':');
      if (t[i] === '$') {
        i++;
        args.set(name, { variable: t[i++]! });
      } else args.set(name, { literal: literal(t[i++]!) });
    }
    i++;
  }
  const parseSelection = (): Selection => {
    expect('{');
    const sel: Selection = new Map();
    while (t[i] !== '}') {
      if (i >= t.length) throw new GraphqlError('Syntax Error: unexpected <EOF>');
      const name = t[i++]!;
      sel.set(name, t[i] === '{' ? parseSelection() : null);
    }
    i++;
    return sel;
  };
  const selection = parseSelection();
  expect('}');
  if (i !== t.length) throw new GraphqlError('Syntax Error: only one root field is supported here');
  return { declared, rootField, args, selection };
}

// ---------------------------------------------------------------------------------------------
// Schema: object types, root fields, and how a request is executed against them.

/** Each object type's fields; a field's value is the object type it returns, or null for a scalar. */
export type ObjectTypes = Readonly<Record<string, Readonly<Record<string, string | null>>>>;

/** What a resolver learns about the request besides its arguments. */
export interface RequestContext {
  /** The `Authorization` header, if any. Resolvers must not log or echo it. */
  authorization: string | undefined;
}

export interface RootField {
  /** Argument name → GraphQL type (`Int!`, `String`, `ID!`…); `!` makes it required. */
  args: Readonly<Record<string, string>>;
  /** The object type the field returns (a list of it when the resolver returns an array). */
  type: string;
  resolve(args: Record<string, unknown>, ctx: RequestContext): unknown;
}

export interface GraphqlSchema {
  types: ObjectTypes;
  fields: Readonly<Record<string, RootField>>;
}

/** One schema serving all the root fields of several (the demo mounts public and staking fields on one port). */
export function mergeSchemas(...schemas: GraphqlSchema[]): GraphqlSchema {
  const types: Record<string, Readonly<Record<string, string | null>>> = {};
  const fields: Record<string, RootField> = {};
  for (const s of schemas) {
    for (const [name, t] of Object.entries(s.types)) {
      if (types[name] && types[name] !== t) throw new Error(`two schemas define type ${name}`);
      types[name] = t;
    }
    for (const [name, f] of Object.entries(s.fields)) {
      if (fields[name]) throw new Error(`two schemas define root field ${name}`);
      fields[name] = f;
    }
  }
  return { types, fields };
}

/** Refuses a selected field the type does not have, before anything runs (as GraphQL validation does). */
function checkSelection(types: ObjectTypes, sel: Selection, type: string): void {
  const fields = types[type];
  if (!fields) throw new Error(`schema has no type ${type}`);
  for (const [name, sub] of sel) {
    if (!(name in fields)) throw new GraphqlError(`Cannot query field "${name}" on type "${type}".`);
    const nested = fields[name];
    if (sub && nested) checkSelection(types, sub, nested);
    else if (sub && !nested) throw new GraphqlError(`Field "${name}" must not have a selection since type is a scalar.`);
    else if (!sub && nested) throw new GraphqlError(`Field "${name}" of type "${nested}" must have a selection of subfields.`);
  }
}

/** The selected fields of `value` (recursively), nothing else. */
function project(types: ObjectTypes, value: unknown, sel: Selection, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(types, v, sel, type));
  const fields = types[type]!;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of sel) {
    const v = (value as Record<string, unknown>)[name];
    out[name] = sub ? project(types, v, sub, fields[name]!) : (v ?? null);
  }
  return out;
}

const SCALAR_CHECK: Record<string, (v: unknown) => boolean> = {
  Int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31,
  Float: (v) => typeof v === 'number' && Number.isFinite(v),
  String: (v) => typeof v === 'string',
  ID: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)),
  Boolean: (v) => typeof v === 'boolean',
};

/** The field's arguments from literals and variables, checked against the field's declaration. */
function bindArguments(q: ParsedQuery, field: RootField, vars: Record<string, unknown>): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  for (const [name, v] of q.args) {
    if (!(name in field.args)) throw new GraphqlError(`Unknown argument "${name}" on field "${q.rootField}".`);
    if ('variable' in v) {
      if (!q.declared.has(v.variable)) throw new GraphqlError(`Variable "$${v.variable}" is not defined.`);
      if (v.variable in vars) a[name] = vars[v.variable];
    } else a[name] = v.literal;
  }
  for (const [name, d] of q.declared) {
    if (d.required && (vars[name] === undefined || vars[name] === null))
      throw new GraphqlError(`Variable "$${name}" of required type "${d.type}!" was not provided.`);
  }
  for (const [name, type] of Object.entries(field.args)) {
    const base = type.replace(/!$/, '');
    const value = a[name];
    if (value === undefined || value === null) {
      if (type.endsWith('!')) throw new GraphqlError(`In argument "${name}": Expected type "${type}", found null.`);
      continue;
    }
    const ok = SCALAR_CHECK[base];
    if (ok && !ok(value)) throw new GraphqlError(`Argument "${name}" has invalid value ${JSON.stringify(value)}: expected type "${base}".`);
  }
  return a;
}

export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors?: { message: string }[];
}

/** Runs one request body (`{ query, variables }`) against the schema. */
export async function execute(
  schema: GraphqlSchema,
  body: { query?: unknown; variables?: unknown },
  ctx: RequestContext,
): Promise<{ rootField: string | undefined; variables: Record<string, unknown>; response: GraphqlResponse; status: number }> {
  const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
  let rootField: string | undefined;
  try {
    if (typeof body.query !== 'string') throw new GraphqlError('query must be a string');
    const q = parseQuery(body.query);
    rootField = q.rootField;
    const field = schema.fields[q.rootField];
    if (!field) throw new GraphqlError(`Cannot query field "${q.rootField}" on type "RootQueryType".`);
    const args = bindArguments(q, field, variables);
    checkSelection(schema.types, q.selection, field.type);
    const value = await field.resolve(args, ctx);
    return {
      rootField,
      variables,
      status: 200,
      response: { data: { [q.rootField]: project(schema.types, value, q.selection, field.type) } },
    };
  } catch (e) {
    if (!(e instanceof GraphqlError)) throw e;
    return { rootField, variables, status: e.status ?? 200, response: { data: null, errors: [{ message: e.message }] } };
  }
}

// ---------------------------------------------------------------------------------------------
// The loopback server

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { malformedJson: true }
  | { graphqlErrors: { message: string }[] }
  /** Respond normally after `delayMs`. */
  | { delayMs: number }
  /** Send the headers and half the body, wait `stallMs`, then the rest. */
  | { stallMs: number }
  /** Never answer. */
  | { hang: true }
  /** Drop the connection. */
  | { destroy: true }
  /** Rewrite the `data` object before sending (wrong types, missing fields…). */
  | { mutate: (data: Record<string, unknown>) => unknown };

/** What the log keeps of a request: never its headers (they carry API tokens). */
export interface LoggedRequest {
  /** Requests served since the log was last emptied (`requests.length = 0`), from 0. */
  n: number;
  rootField: string;
  variables: Record<string, unknown>;
  /** When the request arrived (ms since the server started), before it was executed. */
  atMs: number;
}

export interface GraphqlServer {
  readonly url: string;
  /** The most recent requests, oldest first (at most `logLimit`). */
  readonly requests: LoggedRequest[];
  /** Requests turned away with 429 by `rateLimit` (they are not in `requests`). */
  readonly rateLimited: number;
  fault: ((req: LoggedRequest) => Fault | undefined) | undefined;
  close(): Promise<void>;
}

export interface GraphqlServerOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Largest request body accepted (default 64 KiB); larger is answered 413. */
  maxBodyBytes?: number;
  /** Time a client has to send its whole request (default 10 s). */
  requestTimeoutMs?: number;
  /** Requests kept in `requests` (default 1,000). */
  logLimit?: number;
  /**
   * At most this many requests a second, as Numerai's API enforces: a bucket of `perSecond` tokens
   * refilled continuously; a request that finds it empty is answered 429 with `Retry-After` (whole
   * seconds until a token is back, at least 1) before anything else is done with it.
   */
  rateLimit?: { perSecond: number };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startGraphqlServer(schema: GraphqlSchema, opts: GraphqlServerOptions = {}): Promise<GraphqlServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new RangeError(`the API stand-in listens on loopback only, not on ${host}`);
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  const logLimit = opts.logLimit ?? 1000;
  const requests: LoggedRequest[] = [];
  let served = 0;
  const sockets = new Set<Socket>();
  const t0 = performance.now();
  const limit = opts.rateLimit;
  let tokens = limit?.perSecond ?? 0;
  let refilledAt = performance.now();
  /** Takes a token; the milliseconds until one is back when there is none. */
  const admit = (): number => {
    if (!limit) return 0;
    const now = performance.now();
    tokens = Math.min(limit.perSecond, tokens + ((now - refilledAt) / 1000) * limit.perSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return ((1 - tokens) / limit.perSecond) * 1000;
  };
  let rejected = 0;
  const state: GraphqlServer = {
    url: '',
    requests,
    get rateLimited() {
      return rejected;
    },
    fault: undefined,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const errorBody = (message: string) => JSON.stringify({ errors: [{ message }] });

  const readBody = async (req: IncomingMessage): Promise<Buffer | undefined> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > maxBodyBytes) return undefined;
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    // When it arrived, not when it was answered: what a rate limit is measured on.
    const arrivedMs = performance.now() - t0;
    if (raw === undefined) {
      res.setHeader('connection', 'close');
      return send(res, 413, errorBody(`request body larger than ${maxBodyBytes} bytes`));
    }
    if (req.method !== 'POST') return send(res, 405, errorBody('POST only'));
    const waitMs = admit();
    if (waitMs > 0) {
      rejected++;
      return send(res, 429, errorBody('Too many requests'), { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return send(res, 400, errorBody('request body is not JSON'));
    }
    if (body === null || typeof body !== 'object') return send(res, 400, errorBody('request body is not a GraphQL request'));
    const auth = req.headers.authorization;
    const result = await execute(schema, body, { authorization: typeof auth === 'string' ? auth : undefined });
    let out = result.response;
    if (requests.length === 0) served = 0; // the owner emptied the log: count afresh
    const logged: LoggedRequest = {
      n: served++,
      rootField: result.rootField ?? '?',
      variables: result.variables,
      atMs: arrivedMs,
    };
    requests.push(logged);
    if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
    const fault = state.fault?.(logged);
    if (fault && 'hang' in fault) return; // the socket is destroyed on close
    if (fault && 'destroy' in fault) return req.socket.destroy();
    if (fault && 'status' in fault) return send(res, fault.status, fault.body ?? errorBody(`HTTP ${fault.status}`), fault.headers);
    if (fault && 'malformedJson' in fault) return send(res, 200, '{"data": {"' + (result.rootField ?? 'x') + '": [{"username": "trunc');
    if (fault && 'graphqlErrors' in fault) return send(res, 200, JSON.stringify({ errors: fault.graphqlErrors, data: null }));
    if (fault && 'mutate' in fault && out.data) out = { data: fault.mutate(out.data) as Record<string, unknown> };
    const text = JSON.stringify(out);
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && 'stallMs' in fault) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      const half = Math.floor(text.length / 2);
      res.write(text.slice(0, half));
      await new Promise((r) => setTimeout(r, fault.stallMs));
      if (!res.destroyed) res.end(text.slice(half));
      return;
    }
    if (!res.destroyed) send(res, result.status, text);
  };

  const requestTimeout = opts.requestTimeoutMs ?? 10_000;
  const server: Server = createServer(
    {
      requestTimeout,
      headersTimeout: requestTimeout,
      // Node checks the two time-outs only this often (30 s by default).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, requestTimeout / 4)),
    },
    (req, res) => {
      handle(req, res).catch(() => {
        // Say nothing of the exception: it may hold anything the resolver had in hand.
        if (!res.headersSent) send(res, 500, errorBody('Internal server error'));
      });
    },
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '::1' ? '[::1]' : host;
  return Object.assign(state, { url: `http://${urlHost}:${port}/` });
}

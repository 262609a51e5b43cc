/**
 * A stand-in for Numerai's GraphQL API on loopback (node:http), for tests. It speaks the shapes
 * numerapi's queries get back, and behaves like a GraphQL server where it matters to a client:
 *   - it parses the query's operation header, root field, arguments and selection set, rejects an
 *     argument or field the real type does not have ("Unknown argument", "Cannot query field") and
 *     a required variable that was not sent, and returns exactly the fields selected;
 *   - money fields are NMR decimal strings with 18 decimals ("0E-18" for a zero stake at risk),
 *     times are ISO strings, payout factors are strings, scores are floats;
 *   - leaderboards page by limit/offset, capped at `maxPageSize` (partial pages).
 * Faults are injected per request with `server.fault = (req) => Fault | undefined`.
 *
 * The world is deterministic: every value is a hash of (model, round), so advancing `currentRound`
 * only adds rounds (and resolves the ones in flight) — what an incremental refresh must pick up.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type TournamentId = 8 | 11 | 12;

export interface FakeModelSpec {
  name: string;
  tournament: TournamentId;
  /** First round with a submission. */
  startRound: number;
  /** Stake in NMR as a decimal string with up to 18 decimals ("0" for an unstaked model). */
  stake: string;
  /** displayNames of its scores (default v2_corr20 / mmc / tc). */
  scoreNames?: { corr: string; mmc: string; tc: string };
}

export interface FakeWorld {
  currentRound: Record<TournamentId, number>;
  models: FakeModelSpec[];
  /** Rounds still in flight (not resolved) at the top (default 4). */
  unresolved?: number;
}

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

export interface LoggedRequest {
  n: number;
  rootField: string;
  variables: Record<string, unknown>;
  atMs: number;
}

export interface FakeNumerai {
  readonly url: string;
  readonly world: FakeWorld;
  readonly requests: LoggedRequest[];
  fault: ((req: LoggedRequest) => Fault | undefined) | undefined;
  /** Largest page a leaderboard returns, whatever `limit` asks (default 1,000). */
  maxPageSize: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The world's numbers

const DAY = 86_400_000;
/** Round r of any tournament resolves at BASE + r days (the fake's calendar). */
export const FAKE_BASE_MS = Date.UTC(2020, 0, 1);
export const CORR_MULTIPLIER = 0.5;
export const MMC_MULTIPLIER = 2;
export const PAYOUT_FACTOR = '0.8';

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 2 ** 32;
}

function nameCode(name: string): number {
  let h = 7;
  for (let i = 0; i < name.length; i++) h = Math.imul(h, 31) + name.charCodeAt(i);
  return h;
}

const WEI = 10n ** 18n;

/** wei → decimal string with 18 decimals, as Numerai sends money. */
export function weiToDecimal18(wei: bigint): string {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  return `${neg ? '-' : ''}${a / WEI}.${(a % WEI).toString().padStart(18, '0')}`;
}

export function decimalToWei(s: string): bigint {
  const [i, f = ''] = s.split('.');
  return BigInt(i!) * WEI + BigInt((f + '0'.repeat(18)).slice(0, 18));
}

export interface FakeRound {
  roundNumber: number;
  resolved: boolean;
  resolveTimeMs: number;
  atRiskWei: bigint;
  payoutWei: bigint;
  corr: number;
  mmc: number;
  tc: number;
}

/** Round `r` of a model (null before its start). Deterministic in (name, r). */
export function fakeRound(world: FakeWorld, m: FakeModelSpec, r: number): FakeRound | null {
  if (r < m.startRound || r > world.currentRound[m.tournament]) return null;
  const code = nameCode(m.name);
  const corr = Math.round((hash(code, r, 1) - 0.45) * 0.1 * 1e6) / 1e6;
  const mmc = Math.round((hash(code, r, 2) - 0.45) * 0.03 * 1e6) / 1e6;
  const tc = Math.round((hash(code, r, 3) - 0.5) * 0.2 * 1e6) / 1e6;
  const base = decimalToWei(m.stake);
  // The stake drifts a little from round to round, to odd wei amounts.
  const atRiskWei = base === 0n ? 0n : base + BigInt(Math.floor(hash(code, r, 4) * 1e6)) * 10n ** 9n + 123n;
  const ratio = Math.max(-0.05, Math.min(0.05, Number(PAYOUT_FACTOR) * (CORR_MULTIPLIER * corr + MMC_MULTIPLIER * mmc)));
  const payoutWei = (atRiskWei * BigInt(Math.round(ratio * 1e9))) / 10n ** 9n;
  return {
    roundNumber: r,
    resolved: r <= world.currentRound[m.tournament] - (world.unresolved ?? 4),
    resolveTimeMs: FAKE_BASE_MS + r * DAY,
    atRiskWei,
    payoutWei,
    corr,
    mmc,
    tc,
  };
}

/** The model UUID the fake gives a model name (v3UserProfile.id). */
export function fakeModelId(name: string): string {
  const h = (k: number) =>
    Math.floor(hash(nameCode(name), k, 9) * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return `${h(1)}-${h(2).slice(0, 4)}-4${h(2).slice(5, 8)}-a${h(3).slice(1, 4)}-${h(4)}${h(5).slice(0, 4)}`;
}

// ---------------------------------------------------------------------------------------------
// A small GraphQL front end: enough of the language for the queries clients send.

type Selection = Map<string, Selection | null>;

interface ParsedQuery {
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

class GraphqlError extends Error {}

function parseQuery(q: string): ParsedQuery {
  const t = tokenize(q);
  let i = 0;
  const expect = (tok: string) => {
    if (t[i] !== tok) throw new GraphqlError(`Syntax Error: expected "${tok}", found "${t[i] ?? '<EOF>'}"`);
    i++;
  };
  const declared = new Map<string, { type: string; required: boolean }>();
  if (t[i] === 'query') {
    i++;
    if (t[i] !== '(' && t[i] !== '{') i++; // operation name
    if (t[i] === '(') {
      i++;
      while (t[i] !== ')') {
        expect('$');
        const name = t[i++]!;
        expect(':');
        let type = t[i++]!;
        if (type === '[') {
          type = `[${t[i++]}]`;
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
      const name = t[i++]!;
      expect(':');
      if (t[i] === '$') {
        i++;
        args.set(name, { variable: t[i++]! });
      } else {
        const lit = t[i++]!;
        args.set(name, {
          literal:
            lit === 'true' ? true : lit === 'false' ? false : lit === 'null' ? null : lit.startsWith('"') ? JSON.parse(lit) : Number(lit),
        });
      }
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

/** Fields each type has (what numerapi asks for), so unknown ones can be refused like the real API does. */
const TYPE_FIELDS: Record<string, readonly string[]> = {
  V2LeaderboardEntry: [
    'nmrStaked',
    'rank',
    'username',
    'corr20Rep',
    'corr20V2Rep',
    'corj60Rep',
    'fncRep',
    'fncV3Rep',
    'tcRep',
    'mmcRep',
    'bmcRep',
    'team',
    'return_1_day',
    'return_52_weeks',
    'return_13_weeks',
  ],
  SignalsLeaderboardEntry: [
    'prevRank',
    'rank',
    'sharpe',
    'today',
    'username',
    'mmc',
    'mmcRank',
    'nmrStaked',
    'icRank',
    'icRep',
    'tcRep',
    'tcRank',
  ],
  CryptoLeaderboardEntry: ['nmrStaked', 'rank', 'username', 'corrRep', 'mmcRep', 'return_1_day', 'return_52_weeks', 'return_13_weeks'],
  V3UserProfile: ['id', 'username', 'startDate', 'bio', 'nmrStaked', 'stakeValue'],
  Round: ['number', 'openTime', 'resolveTime', 'resolvedGeneral', 'resolvedStaking'],
  RoundModelPerformance: [
    'atRisk',
    'corrMultiplier',
    'mmcMultiplier',
    'tcMultiplier',
    'roundPayoutFactor',
    'roundNumber',
    'roundOpenTime',
    'roundResolveTime',
    'roundResolved',
    'roundTarget',
    'roundId',
    'submissionScores',
  ],
  SubmissionScore: ['date', 'day', 'displayName', 'payoutPending', 'payoutSettled', 'percentile', 'value'],
};
const NESTED_TYPE: Record<string, string> = { submissionScores: 'SubmissionScore' };

function project(value: unknown, sel: Selection, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, sel, type));
  const fields = TYPE_FIELDS[type]!;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of sel) {
    if (!fields.includes(name)) throw new GraphqlError(`Cannot query field "${name}" on type "${type}".`);
    const v = (value as Record<string, unknown>)[name];
    out[name] = sub ? project(v, sub, NESTED_TYPE[name] ?? name) : (v ?? null);
  }
  return out;
}

const ROOT_ARGS: Record<string, readonly string[]> = {
  v2Leaderboard: ['limit', 'offset'],
  signalsLeaderboard: ['limit', 'offset'],
  cryptosignalsLeaderboard: ['limit', 'offset'],
  v3UserProfile: ['modelName', 'tournament'],
  rounds: ['tournament', 'number'],
  v2RoundModelPerformances: ['modelId', 'tournament', 'lastNRounds'],
};

const LEADERBOARD_TOURNAMENT: Record<string, TournamentId> = { v2Leaderboard: 8, signalsLeaderboard: 11, cryptosignalsLeaderboard: 12 };
const LEADERBOARD_TYPE: Record<string, string> = {
  v2Leaderboard: 'V2LeaderboardEntry',
  signalsLeaderboard: 'SignalsLeaderboardEntry',
  cryptosignalsLeaderboard: 'CryptoLeaderboardEntry',
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function resolveField(world: FakeWorld, maxPage: number, q: ParsedQuery, vars: Record<string, unknown>): unknown {
  const allowed = ROOT_ARGS[q.rootField];
  if (!allowed) throw new GraphqlError(`Cannot query field "${q.rootField}" on type "RootQueryType".`);
  const a: Record<string, unknown> = {};
  for (const [name, v] of q.args) {
    if (!allowed.includes(name)) throw new GraphqlError(`Unknown argument "${name}" on field "${q.rootField}".`);
    if ('variable' in v) {
      if (!q.declared.has(v.variable)) throw new GraphqlError(`Variable "$${v.variable}" is not defined.`);
      if (v.variable in vars) a[name] = vars[v.variable];
    } else a[name] = v.literal;
  }
  for (const [name, d] of q.declared) {
    if (d.required && (vars[name] === undefined || vars[name] === null))
      throw new GraphqlError(`Variable "$${name}" of required type "${d.type}!" was not provided.`);
  }
  const byId = new Map(world.models.map((m) => [fakeModelId(m.name), m]));

  if (q.rootField in LEADERBOARD_TOURNAMENT) {
    const t = LEADERBOARD_TOURNAMENT[q.rootField]!;
    const limit = Number(a.limit ?? 50);
    const offset = Number(a.offset ?? 0);
    const board = world.models
      .filter((m) => m.tournament === t)
      .sort((x, y) =>
        decimalToWei(y.stake) > decimalToWei(x.stake) ? 1 : decimalToWei(y.stake) < decimalToWei(x.stake) ? -1 : x.name < y.name ? -1 : 1,
      );
    const page = board.slice(offset, offset + Math.min(limit, maxPage)).map((m, k) => ({
      nmrStaked: t === 11 ? Number(m.stake) : weiToDecimal18(decimalToWei(m.stake)),
      rank: offset + k + 1,
      username: m.name,
      corr20Rep: 0.01,
      corr20V2Rep: 0.011,
      mmcRep: 0.002,
      tcRep: 0.003,
      team: false,
      return_1_day: 0.001,
      return_52_weeks: 0.2,
      return_13_weeks: 0.05,
    }));
    return project(page, q.selection, LEADERBOARD_TYPE[q.rootField]!);
  }
  if (q.rootField === 'v3UserProfile') {
    const m = world.models.find((x) => x.name === a.modelName && (a.tournament == null || x.tournament === a.tournament));
    if (!m) return null;
    const stake = decimalToWei(m.stake);
    return project(
      {
        id: fakeModelId(m.name),
        username: m.name,
        startDate: iso(FAKE_BASE_MS + m.startRound * DAY - 30 * DAY),
        bio: null,
        nmrStaked: stake === 0n ? null : weiToDecimal18(stake),
        stakeValue: Number(m.stake),
      },
      q.selection,
      'V3UserProfile',
    );
  }
  if (q.rootField === 'rounds') {
    const t = a.tournament as TournamentId;
    const current = world.currentRound[t];
    if (current === undefined) return [];
    return project(
      [{ number: current, openTime: iso(FAKE_BASE_MS + (current - 30) * DAY), resolveTime: iso(FAKE_BASE_MS + current * DAY) }],
      q.selection,
      'Round',
    );
  }
  // v2RoundModelPerformances
  const m = byId.get(String(a.modelId));
  if (!m) throw new GraphqlError('Model not found');
  if (a.tournament != null && a.tournament !== m.tournament) return [];
  const current = world.currentRound[m.tournament];
  const n = a.lastNRounds == null ? Infinity : Number(a.lastNRounds);
  const names = m.scoreNames ?? { corr: 'v2_corr20', mmc: 'mmc', tc: 'tc' };
  const rows: unknown[] = [];
  for (let r = Math.max(m.startRound, current - n + 1); r <= current; r++) {
    const x = fakeRound(world, m, r)!;
    const settled = x.resolved ? weiToDecimal18(x.payoutWei) : null;
    const pending = weiToDecimal18(x.payoutWei);
    const score = (displayName: string, value: number) => ({
      date: iso(x.resolveTimeMs - DAY),
      day: 20,
      displayName,
      payoutPending: pending,
      payoutSettled: settled,
      percentile: 0.5,
      value,
    });
    rows.push({
      atRisk: x.atRiskWei === 0n ? '0E-18' : weiToDecimal18(x.atRiskWei),
      corrMultiplier: CORR_MULTIPLIER,
      mmcMultiplier: MMC_MULTIPLIER,
      tcMultiplier: null,
      roundPayoutFactor: PAYOUT_FACTOR,
      roundNumber: r,
      roundOpenTime: iso(x.resolveTimeMs - 31 * DAY),
      roundResolveTime: iso(x.resolveTimeMs),
      roundResolved: x.resolved,
      roundTarget: 'main',
      roundId: `round-${r}`,
      submissionScores: [
        score(names.corr, x.corr),
        score(names.mmc, x.mmc),
        score(names.tc, x.tc),
        score('corr60', x.corr * 0.9),
        score('bmc', x.mmc * 0.5),
      ],
    });
  }
  // Newest first, as the API lists them.
  return project(rows.reverse(), q.selection, 'RoundModelPerformance');
}

// ---------------------------------------------------------------------------------------------
// The server

export async function startFakeNumerai(world: FakeWorld, opts: { maxPageSize?: number } = {}): Promise<FakeNumerai> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const t0 = performance.now();
  const state: FakeNumerai = {
    url: '',
    world,
    requests,
    fault: undefined,
    maxPageSize: opts.maxPageSize ?? 1000,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST') return send(res, 405, JSON.stringify({ errors: [{ message: 'POST only' }] }));
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(res, 400, JSON.stringify({ errors: [{ message: 'request body is not JSON' }] }));
    }
    const vars = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    let parsed: ParsedQuery | undefined;
    let out: { data: Record<string, unknown> | null; errors?: { message: string }[] };
    try {
      if (typeof body.query !== 'string') throw new GraphqlError('query must be a string');
      parsed = parseQuery(body.query);
      out = { data: { [parsed.rootField]: resolveField(world, state.maxPageSize, parsed, vars) } };
    } catch (e) {
      if (!(e instanceof GraphqlError)) throw e;
      out = { data: null, errors: [{ message: e.message }] };
    }
    const logged: LoggedRequest = {
      n: requests.length,
      rootField: parsed?.rootField ?? '?',
      variables: vars,
      atMs: performance.now() - t0,
    };
    requests.push(logged);
    const fault = state.fault?.(logged);
    if (fault && 'hang' in fault) return; // the socket is destroyed on close
    if (fault && 'destroy' in fault) return req.socket.destroy();
    if (fault && 'status' in fault)
      return send(res, fault.status, fault.body ?? JSON.stringify({ errors: [{ message: `HTTP ${fault.status}` }] }), fault.headers);
    if (fault && 'malformedJson' in fault) return send(res, 200, '{"data": {"' + (parsed?.rootField ?? 'x') + '": [{"username": "trunc');
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
    if (!res.destroyed) send(res, 200, text);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: String(e) }] }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}/` });
}

/** A small world: `n` models per tournament listed, stakes from 1,000 NMR down, one unstaked. */
export function makeFakeWorld(opts: { classic?: number; signals?: number; crypto?: number; currentRound?: number } = {}): FakeWorld {
  const current = opts.currentRound ?? 60;
  const models: FakeModelSpec[] = [];
  const add = (prefix: string, tournament: TournamentId, count: number, scoreNames?: FakeModelSpec['scoreNames']) => {
    for (let i = 0; i < count; i++) {
      models.push({
        name: `${prefix}_${i}`,
        tournament,
        startRound: 1 + ((i * 7) % 20),
        stake: i === count - 1 && count > 1 ? '0' : `${1000 - i * 37}.${String(123456789 + i).padStart(18, '0')}`,
        ...(scoreNames ? { scoreNames } : {}),
      });
    }
  };
  add('classic', 8, opts.classic ?? 5);
  add('signals', 11, opts.signals ?? 0, { corr: 'corr', mmc: 'mmc', tc: 'tc' });
  add('crypto', 12, opts.crypto ?? 0, { corr: 'canon_corr', mmc: 'canon_mmc', tc: 'tc' });
  return { currentRound: { 8: current, 11: current, 12: current }, models };
}

/**
 * A stand-in for Numerai's public GraphQL API on loopback, for tests. It speaks the shapes
 * numerapi's queries get back; the GraphQL behaviour (parsing, refusing unknown arguments and
 * fields, returning exactly the fields selected, faults) is the stand-in core's
 * (main/numerai/stand-in/graphql-server.ts). What is here is the world and its fields:
 *   - money fields are NMR decimal strings with 18 decimals ("0E-18" for a zero stake at risk),
 *     times are ISO strings, payout factors are strings, scores are floats;
 *   - leaderboards page by limit/offset, capped at `maxPageSize` (partial pages), with Numerai's own
 *     13- and 52-week returns (fractions) on the classic and Crypto boards;
 *   - `rateLimit` (e.g. 5 a second, as Numerai's API) answers 429 with Retry-After beyond it.
 * Faults are injected per request with `server.fault = (req) => Fault | undefined`.
 *
 * The world is deterministic: every value is a hash of (model, round), so advancing `currentRound`
 * only adds rounds (and resolves the ones in flight) — what an incremental refresh must pick up.
 */
import {
  GraphqlError,
  startGraphqlServer,
  type Fault,
  type GraphqlSchema,
  type LoggedRequest,
  type ObjectTypes,
} from '../../numerai/stand-in/graphql-server';

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

export type { Fault, LoggedRequest };

export interface FakeNumerai {
  readonly url: string;
  readonly world: FakeWorld;
  readonly requests: LoggedRequest[];
  /** Requests answered 429 by the rate limit (`rateLimit`). */
  readonly rateLimited: number;
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
// The public track-record fields, as a schema for the stand-in core (../../numerai/stand-in).

/** Fields each type has (what numerapi asks for), so unknown ones can be refused like the real API does. */
const scalars = (...names: string[]): Record<string, null> => Object.fromEntries(names.map((n) => [n, null]));
const TYPES: ObjectTypes = {
  V2LeaderboardEntry: scalars(
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
  ),
  SignalsLeaderboardEntry: scalars(
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
  ),
  CryptoLeaderboardEntry: scalars(
    'nmrStaked',
    'rank',
    'username',
    'corrRep',
    'mmcRep',
    'return_1_day',
    'return_52_weeks',
    'return_13_weeks',
  ),
  V3UserProfile: scalars('id', 'username', 'startDate', 'bio', 'nmrStaked', 'stakeValue'),
  Round: scalars('number', 'openTime', 'resolveTime', 'resolvedGeneral', 'resolvedStaking'),
  RoundModelPerformance: {
    ...scalars(
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
    ),
    submissionScores: 'SubmissionScore',
  },
  SubmissionScore: scalars('date', 'day', 'displayName', 'payoutPending', 'payoutSettled', 'percentile', 'value'),
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

/**
 * A tournament's leaderboard, stake first (then name). Sorted once per list of models and reused:
 * a 15,000-model world is paged dozens of times. Replacing `world.models` (or adding to it) sorts again.
 */
const boards = new WeakMap<FakeModelSpec[], { length: number; byTournament: Map<TournamentId, FakeModelSpec[]> }>();
function board(world: FakeWorld, t: TournamentId): FakeModelSpec[] {
  let hit = boards.get(world.models);
  if (!hit || hit.length !== world.models.length) {
    const stake = new Map(world.models.map((m) => [m, decimalToWei(m.stake)]));
    const sorted = [...world.models].sort((x, y) => {
      const a = stake.get(x)!;
      const b = stake.get(y)!;
      return b > a ? 1 : b < a ? -1 : x.name < y.name ? -1 : 1;
    });
    const byTournament = new Map<TournamentId, FakeModelSpec[]>(
      [8, 11, 12].map((id) => [id as TournamentId, sorted.filter((m) => m.tournament === id)]),
    );
    boards.set(world.models, (hit = { length: world.models.length, byTournament }));
  }
  return hit.byTournament.get(t)!;
}

/** Numerai's own return over a window as the leaderboard gives it: a fraction, deterministic per model. */
export function fakeLeaderboardReturn(name: string, weeks: 13 | 52): number {
  return Math.round((hash(nameCode(name), weeks, 7) - 0.4) * (weeks === 13 ? 0.3 : 0.9) * 1e4) / 1e4;
}

function leaderboard(world: FakeWorld, maxPage: () => number, field: keyof typeof LEADERBOARD_TOURNAMENT) {
  return (a: Record<string, unknown>): unknown => {
    const t = LEADERBOARD_TOURNAMENT[field]!;
    const limit = Number(a.limit ?? 50);
    const offset = Number(a.offset ?? 0);
    return board(world, t)
      .slice(offset, offset + Math.min(limit, maxPage()))
      .map((m, k) => ({
        nmrStaked: t === 11 ? Number(m.stake) : weiToDecimal18(decimalToWei(m.stake)),
        rank: offset + k + 1,
        username: m.name,
        corr20Rep: 0.01,
        corr20V2Rep: 0.011,
        mmcRep: 0.002,
        tcRep: 0.003,
        team: false,
        return_1_day: 0.001,
        return_52_weeks: fakeLeaderboardReturn(m.name, 52),
        return_13_weeks: fakeLeaderboardReturn(m.name, 13),
      }));
  };
}

function userProfile(world: FakeWorld, a: Record<string, unknown>): unknown {
  const m = world.models.find((x) => x.name === a.modelName && (a.tournament == null || x.tournament === a.tournament));
  if (!m) return null;
  const stake = decimalToWei(m.stake);
  return {
    id: fakeModelId(m.name),
    username: m.name,
    startDate: iso(FAKE_BASE_MS + m.startRound * DAY - 30 * DAY),
    bio: null,
    nmrStaked: stake === 0n ? null : weiToDecimal18(stake),
    stakeValue: Number(m.stake),
  };
}

function rounds(world: FakeWorld, a: Record<string, unknown>): unknown {
  const current = world.currentRound[a.tournament as TournamentId];
  if (current === undefined) return [];
  return [{ number: current, openTime: iso(FAKE_BASE_MS + (current - 30) * DAY), resolveTime: iso(FAKE_BASE_MS + current * DAY) }];
}

/** Model by UUID, rebuilt when the list of models changes (a 15,000-model world is asked 15,000 times). */
const byId = new WeakMap<FakeModelSpec[], { length: number; map: Map<string, FakeModelSpec> }>();
function modelById(world: FakeWorld, id: string): FakeModelSpec | undefined {
  let hit = byId.get(world.models);
  if (!hit || hit.length !== world.models.length)
    byId.set(world.models, (hit = { length: world.models.length, map: new Map(world.models.map((m) => [fakeModelId(m.name), m])) }));
  return hit.map.get(id);
}

function roundPerformances(world: FakeWorld, a: Record<string, unknown>): unknown {
  const m = modelById(world, String(a.modelId));
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
  return rows.reverse();
}

/**
 * The public track-record fields of `world`, ready to serve alone (startFakeNumerai) or merged with
 * the staking v3 fields on one port (mergeSchemas). `maxPage` is read on each leaderboard request.
 */
export function fakeNumeraiSchema(world: FakeWorld, maxPage: () => number): GraphqlSchema {
  const page = { limit: 'Int', offset: 'Int' };
  return {
    types: TYPES,
    fields: {
      v2Leaderboard: { args: page, type: LEADERBOARD_TYPE.v2Leaderboard!, resolve: leaderboard(world, maxPage, 'v2Leaderboard') },
      signalsLeaderboard: {
        args: page,
        type: LEADERBOARD_TYPE.signalsLeaderboard!,
        resolve: leaderboard(world, maxPage, 'signalsLeaderboard'),
      },
      cryptosignalsLeaderboard: {
        args: page,
        type: LEADERBOARD_TYPE.cryptosignalsLeaderboard!,
        resolve: leaderboard(world, maxPage, 'cryptosignalsLeaderboard'),
      },
      v3UserProfile: { args: { modelName: 'String', tournament: 'Int' }, type: 'V3UserProfile', resolve: (a) => userProfile(world, a) },
      rounds: { args: { tournament: 'Int', number: 'Int' }, type: 'Round', resolve: (a) => rounds(world, a) },
      v2RoundModelPerformances: {
        args: { modelId: 'String', tournament: 'Int', lastNRounds: 'Int' },
        type: 'RoundModelPerformance',
        resolve: (a) => roundPerformances(world, a),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The server

export async function startFakeNumerai(
  world: FakeWorld,
  opts: { maxPageSize?: number; logLimit?: number; rateLimit?: { perSecond: number } } = {},
): Promise<FakeNumerai> {
  const settings = { maxPageSize: opts.maxPageSize ?? 1000 };
  // Tests read the whole log, so it is not capped here unless asked.
  const server = await startGraphqlServer(
    fakeNumeraiSchema(world, () => settings.maxPageSize),
    { logLimit: opts.logLimit ?? Infinity, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) },
  );
  return {
    url: server.url,
    world,
    requests: server.requests,
    get rateLimited() {
      return server.rateLimited;
    },
    get fault() {
      return server.fault;
    },
    set fault(f) {
      server.fault = f;
    },
    get maxPageSize() {
      return settings.maxPageSize;
    },
    set maxPageSize(n) {
      settings.maxPageSize = n;
    },
    close: () => server.close(),
  };
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
        // Positive however many models (the first 27 as they always were).
        stake: i === count - 1 && count > 1 ? '0' : `${1000 - ((i * 37) % 997)}.${String(123456789 + i).padStart(18, '0')}`,
        ...(scoreNames ? { scoreNames } : {}),
      });
    }
  };
  add('classic', 8, opts.classic ?? 5);
  add('signals', 11, opts.signals ?? 0, { corr: 'corr', mmc: 'mmc', tc: 'tc' });
  add('crypto', 12, opts.crypto ?? 0, { corr: 'canon_corr', mmc: 'canon_mmc', tc: 'tc' });
  return { currentRound: { 8: current, 11: current, 12: current }, models };
}

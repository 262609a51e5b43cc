/**
 * Demo track records: a deterministic world of Numerai-like models, labelled "demo" everywhere.
 *
 * Same options (seed included) → bit-identical output. No `Math.random`, no clock. Each model's
 * parameters depend only on (seed, model index), and each round's noise only on (seed, model index,
 * round) through a counter-based hash, so:
 *   - the first N models of a 15,000-model world are the same as a world of N models;
 *   - `demoModelRoundResult(name, round)` computes one round of one model on its own — the local
 *     chain registers the first ~200 demo models and posts exactly these results, including for
 *     rounds after the demo history ends (active models keep going).
 *
 * The statistical model, per tournament t and round r:
 *   G_r            "meta" factor shared by every model of the tournament (good and bad eras), t₄
 *   F_{k,r}        factor of cluster k (models built on similar ideas), t₄; k drawn Zipf-like, so a
 *                  large cluster 0 plays the part of the example-model look-alikes
 *   v_r            volatility regime, 1 + 0.4·(three slow sinusoids)/3 ∈ [0.6, 1.4]
 *   ε_{m,r}        the model's own noise, t₄ (heavy tails)
 *   common = σ_m·v_r·√ρ_m·(½·G_r + (√3/2)·F_{k,r}),  idio = σ_m·v_r·√(1−ρ_m)·ε_{m,r}
 *   raw    = μ_m + common + idio   (bps)
 *   CORR20 = (0.6·μ_m + common + 0.3·idio) / 5,000   (meta-correlated part)
 *   MMC    = (0.4·μ_m + 0.7·idio) / 20,000            (meta-neutral part)
 *   TC     = 3·MMC + 0.012·n_{m,r}
 *   return = clip(round(raw), ±500) bps  =  clip(round(10,000 · (0.5·CORR20 + 2·MMC)), ±500)
 * so the demo payout rule "0.5×CORR20 + 2×MMC, clipped at ±5 %" (Numerai's shape) links scores and
 * returns exactly. Pairwise correlation of two models in one cluster ≈ √(ρ_m ρ_n) (0.15–0.85),
 * across clusters ≈ ¼√(ρ_m ρ_n). μ_m ~ N(meanReturnBps, 40²) is persistent skill (≈10 % of models
 * negative), σ_m ≈ 170 bps·e^{0.25 N} in [80, 320]: about 1–3 % of rounds hit the clip.
 * Stake: starts log-normal (median 250 NMR), compounds with the returns, and ~1.6 % of rounds have a
 * deposit/withdrawal pulling it halfway (in log) towards the model's target size.
 *
 * Calendar: rounds 1..300 are weekly, later rounds daily on weekdays; round 1,500 resolves on
 * 2025-06-27 (a Friday). Track lengths are 20..1,500 rounds, skewed young (length ∝ u^1.6), ~15 %
 * of models retired before the end, ~0.8 % of rounds missed (no submission, no row).
 *
 * `meanReturnBps` (+50 bps) is the drift of a WEEKLY round, as the brief asks; daily rounds pay a
 * fraction of it (DAILY_DRIFT_FACTOR, DAILY_NOISE_FACTOR), else +50 bps a day would compound to
 * ≈ +250 %/year, far above anything Numerai pays.
 */
import { hash2, mix32, mulberry32, normalFrom, getNormalTable, getStudentT4Table } from './random';
import {
  MAX_ABS_RETURN_BPS,
  TOURNAMENTS,
  TrackRecordError,
  approxNmrToWei,
  type ModelInfo,
  type RoundCalendar,
  type RoundColumns,
  type Tournament,
  type TrackRecordSet,
} from './types';

export const DEMO_LATEST_ROUND = 1500;
export const DEMO_WEEKLY_UNTIL_ROUND = 300;
/**
 * Daily rounds: drift × 0.12 and noise × 0.25 of a weekly round's. With the default +50 bps weekly
 * drift that is ≈ +6 bps a day (≈ +17 %/year for a typical model, ≈ +50 % for the best), and a
 * Sharpe-like ratio near 2 — in line with what staked Numerai models earned, not +250 %/year.
 */
export const DAILY_DRIFT_FACTOR = 0.12;
export const DAILY_NOISE_FACTOR = 0.25;
/** Resolve date of DEMO_LATEST_ROUND: Friday 2025-06-27 00:00 UTC. */
export const DEMO_AS_OF_MS = Date.UTC(2025, 5, 27);
export const DEFAULT_DEMO_SEED = 0x6e6d72; // "nmr"
export const DEFAULT_DEMO_MODELS = 15_000;
/** Upper bound on model indices `demoModels`/name lookups will search. */
export const MAX_DEMO_MODELS = 100_000;

const DAY_MS = 86_400_000;

export interface DemoWorldOptions {
  seed?: number;
  /** Number of models (default 15,000). */
  models?: number;
  /** Shortest track (default 20 rounds). */
  minRounds?: number;
  /** Longest track (default and maximum 1,500 rounds). */
  maxRounds?: number;
  /** Benchmark shape: every model has exactly `maxRounds` rounds ending at the latest round, no gaps. */
  fullTracks?: boolean;
  /** Centre of the models' persistent drift, bps per round (default 50). */
  meanReturnBps?: number;
}

interface ResolvedOptions {
  seed: number;
  minRounds: number;
  maxRounds: number;
  fullTracks: boolean;
  meanReturnBps: number;
}

function resolveOptions(o: DemoWorldOptions): ResolvedOptions {
  const seed = (o.seed ?? DEFAULT_DEMO_SEED) >>> 0;
  const maxRounds = o.maxRounds ?? DEMO_LATEST_ROUND;
  const minRounds = Math.min(o.minRounds ?? 20, maxRounds);
  if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > DEMO_LATEST_ROUND)
    throw new RangeError(`maxRounds must be 1..${DEMO_LATEST_ROUND}`);
  if (!Number.isInteger(minRounds) || minRounds < 1) throw new RangeError('minRounds must be a positive integer');
  return { seed, minRounds, maxRounds, fullTracks: o.fullTracks ?? false, meanReturnBps: o.meanReturnBps ?? 50 };
}

// ---------------------------------------------------------------------------------------------
// Calendar

/** Demo resolve time of a round (any round ≥ 1, including future ones the local chain will run). */
export function demoRoundResolveTimeMs(round: number): number {
  if (round > DEMO_WEEKLY_UNTIL_ROUND) {
    // Weekday arithmetic from the Monday of the anchor week; the anchor is that week's Friday (4).
    const monday = DEMO_AS_OF_MS - 4 * DAY_MS;
    const p = 4 + (round - DEMO_LATEST_ROUND);
    const week = Math.floor(p / 5);
    const day = p - week * 5;
    return monday + (week * 7 + day) * DAY_MS;
  }
  return demoRoundResolveTimeMs(DEMO_WEEKLY_UNTIL_ROUND + 1) - (DEMO_WEEKLY_UNTIL_ROUND + 1 - round) * 7 * DAY_MS;
}

function demoCalendar(lastRound: number): RoundCalendar {
  const resolveTimeMs = new Float64Array(lastRound);
  for (let r = 1; r <= lastRound; r++) resolveTimeMs[r - 1] = demoRoundResolveTimeMs(r);
  return { firstRound: 1, resolveTimeMs };
}

// ---------------------------------------------------------------------------------------------
// Names

const ADJ = (
  'quiet lucky lazy rapid neural random greedy stoic meta hyper micro macro mega ultra shadow silver golden crimson ' +
  'cobalt arctic lunar solar cosmic atomic quantum fuzzy sparse dense robust noisy smooth rogue wild iron steel velvet ' +
  'hidden bold calm swift nimble clever brave grumpy happy sleepy tiny giant old young fast slow deep dark alpha beta ' +
  'gamma delta sigma theta omega tidal polar amber'
).split(' ');
const NOUN = (
  'lynx falcon badger otter panda tiger raven wolf fox owl heron mantis orca bison yak koala gecko cobra shark squid ' +
  'llama tree river ocean storm comet nebula quasar pulsar photon vector matrix kernel signal oracle engine machine ' +
  'robot bot net ensemble boost forest cube prism vertex era tide drift wave spark ember frost stone pebble anchor ' +
  'compass ledger monk sage pilot nomad'
).split(' ');
const TECH =
  'lgbm xgb nn mlp cnn gbdt ridge lasso catboost tabnet transformer ae vae stack blend nomi cyrus teager ralph jerome victor'.split(' ');

function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length]!;
}

/** How a name is put together (A adjective, N noun, T technique, D 0–99, V 2–9), by hash mod 10. */
const NAME_FORMS = ['A_N', 'A_N', 'A_N_D', 'ND', 'T_N', 'T_vV_A', 'AN', 'N_D', 'A_T_D', 'TD_N'];

function candidateName(seed: number, index: number, attempt: number): string {
  const h1 = hash2(seed ^ 0x4e414d45, index * 8 + attempt);
  const h2 = mix32(h1 + 1);
  const h3 = mix32(h1 + 2);
  const parts: Record<string, string> = {
    A: pick(ADJ, h2),
    N: pick(NOUN, h3),
    T: pick(TECH, h2 >>> 11),
    D: String((h3 >>> 12) % 100),
    V: String(2 + ((h2 >>> 20) % 8)),
  };
  return pick(NAME_FORMS, h1).replace(/[ANTDV]/g, (c) => parts[c]!);
}

interface NameBook {
  names: string[];
  byName: Map<string, number>;
}
const nameBooks = new Map<number, NameBook>();

/** Names of model indices 0..count-1 for a seed; unique; collisions resolved in index order. */
function namesUpTo(seed: number, count: number): NameBook {
  let book = nameBooks.get(seed);
  if (!book) {
    book = { names: [], byName: new Map() };
    nameBooks.set(seed, book);
  }
  for (let i = book.names.length; i < count; i++) {
    let name = '';
    for (let attempt = 0; attempt < 8; attempt++) {
      const c = candidateName(seed, i, attempt);
      if (!book.byName.has(c)) {
        name = c;
        break;
      }
    }
    // "_x<index>" is a suffix no pattern produces, so the fallback cannot collide.
    if (name === '') name = `${candidateName(seed, i, 0)}_x${i}`;
    book.names.push(name);
    book.byName.set(name, i);
  }
  return book;
}

function indexOfName(seed: number, name: string): number | undefined {
  const book = namesUpTo(seed, 0);
  const known = book.byName.get(name);
  if (known !== undefined || book.names.length >= MAX_DEMO_MODELS) return known;
  // Extend in chunks until found or the bound is reached.
  for (let n = Math.max(1024, book.names.length * 2); ; n = Math.min(MAX_DEMO_MODELS, n * 2)) {
    namesUpTo(seed, n);
    const i = book.byName.get(name);
    if (i !== undefined || n >= MAX_DEMO_MODELS) return i;
  }
}

// ---------------------------------------------------------------------------------------------
// Factors

const CLUSTERS: Record<Tournament, number> = { classic: 10, signals: 6, crypto: 4 };
const TOURNAMENT_CODE: Record<Tournament, number> = { classic: 1, signals: 2, crypto: 3 };
const REGIME_PERIODS = [173, 61, 29];

/** Per tournament: keys and regime phases; factor values are computed on demand or cached. */
interface TournamentFactors {
  gKey: number;
  fKeys: number[];
  phases: number[];
}

function tournamentFactors(seed: number, t: Tournament): TournamentFactors {
  const base = hash2(seed, 0x7f000000 + TOURNAMENT_CODE[t]);
  const fKeys: number[] = [];
  for (let k = 0; k < CLUSTERS[t]; k++) fKeys.push(hash2(base, 100 + k));
  const u = mulberry32(hash2(base, 7));
  return { gKey: hash2(base, 1), fKeys, phases: REGIME_PERIODS.map(() => 2 * Math.PI * u()) };
}

function factorValue(key: number, round: number, t4: Float64Array): number {
  return t4[mix32(key ^ Math.imul(round, 0x9e3779b1)) >>> 16]!;
}

function regime(f: TournamentFactors, round: number): number {
  let s = 0;
  for (let j = 0; j < REGIME_PERIODS.length; j++) s += Math.sin((2 * Math.PI * round) / REGIME_PERIODS[j]! + f.phases[j]!);
  return 1 + (0.4 * s) / REGIME_PERIODS.length;
}

/** Common shock per round for one cluster: v_r·(½G_r + (√3/2)F_{k,r}), and v_r. */
interface ClusterSeries {
  common: Float64Array;
  vol: Float64Array;
}

const HALF_SQRT3 = Math.sqrt(3) / 2;

function clusterAt(f: TournamentFactors, k: number, round: number, t4: Float64Array): { common: number; vol: number } {
  const v = regime(f, round);
  return { common: v * (0.5 * factorValue(f.gKey, round, t4) + HALF_SQRT3 * factorValue(f.fKeys[k]!, round, t4)), vol: v };
}

function clusterSeries(f: TournamentFactors, k: number, lastRound: number, t4: Float64Array): ClusterSeries {
  const common = new Float64Array(lastRound + 1);
  const vol = new Float64Array(lastRound + 1);
  for (let r = 1; r <= lastRound; r++) {
    const c = clusterAt(f, k, r, t4);
    common[r] = c.common;
    vol[r] = c.vol;
  }
  return { common, vol };
}

// ---------------------------------------------------------------------------------------------
// Models

interface ModelParams {
  index: number;
  name: string;
  tournament: Tournament;
  cluster: number;
  key: number;
  /** Drift (skill), bps per round. */
  mu: number;
  sqrtRho: number;
  sqrtOneMinusRho: number;
  sigma: number;
  startRound: number;
  /** Last round of the demo history, or null if the model is still active (continues forever). */
  endRound: number | null;
  feeBps: number;
  stake0: number;
  stakeTarget: number;
}

function zipfPick(u: number, n: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) total += 1 / (k + 1);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += 1 / (k + 1) / total;
    if (u < acc) return k;
  }
  return n - 1;
}

function modelParams(o: ResolvedOptions, index: number, name: string): ModelParams {
  // Draw every variate in a fixed order, whatever the options, so a model's tournament, fee, skill…
  // are the same in every world shape (fullTracks or not, any minRounds/maxRounds).
  const u = mulberry32(hash2(o.seed ^ 0x50415241, index));
  const uTournament = u();
  const uCluster = u();
  const uRho = u();
  const zSigma = normalFrom(u);
  const zMu = normalFrom(u);
  const uLength = u();
  const uRetired = u();
  const uEnd = u();
  const uFeeZero = u();
  const uFee = u();
  const zStake = normalFrom(u);
  const zTarget = normalFrom(u);

  const tournament: Tournament = uTournament < 0.78 ? 'classic' : uTournament < 0.95 ? 'signals' : 'crypto';
  const cluster = zipfPick(uCluster, CLUSTERS[tournament]);
  const rho = cluster === 0 ? 0.55 + 0.3 * uRho : 0.15 + 0.6 * uRho;
  const sigma = Math.min(320, Math.max(80, 170 * Math.exp(0.25 * zSigma)));
  const mu = o.meanReturnBps + 40 * zMu;
  const span = o.maxRounds - o.minRounds + 1;
  const length = o.fullTracks ? o.maxRounds : o.minRounds + Math.min(span - 1, Math.floor(span * uLength ** 1.6));
  const retired = !o.fullTracks && uRetired < 0.15;
  const endRound = retired ? DEMO_LATEST_ROUND - Math.floor(uEnd * (DEMO_LATEST_ROUND - length + 1)) : null;
  const last = endRound ?? DEMO_LATEST_ROUND;
  const feeBps = uFeeZero < 0.3 ? 0 : 50 * Math.floor(1 + 40 * uFee);
  const stake0 = Math.min(250_000, Math.max(5, 250 * Math.exp(1.4 * zStake)));
  return {
    index,
    name,
    tournament,
    cluster,
    key: hash2(o.seed ^ 0x524f554e, index),
    mu,
    sqrtRho: Math.sqrt(rho),
    sqrtOneMinusRho: Math.sqrt(1 - rho),
    sigma,
    startRound: last - length + 1,
    endRound,
    feeBps: Math.min(2000, feeBps),
    stake0,
    stakeTarget: stake0 * Math.exp(0.6 * zTarget),
  };
}

/** Destination columns for `fillModel`. */
type Columns = RoundColumns;

/**
 * Writes model `p`'s rows for rounds `from..to` into `cols` starting at `row`; returns the next free
 * row and leaves the stake after the last round in `stakeOut[0]`. `common[r - base]`/`vol[r - base]`
 * are the cluster's series. The ONE place the per-round maths lives: the world generator and
 * `demoModelRoundResult` both call it, so they agree to the bit.
 */
function fillModel(
  p: ModelParams,
  from: number,
  to: number,
  common: Float64Array,
  vol: Float64Array,
  base: number,
  fullTracks: boolean,
  cols: Columns,
  row: number,
  stakeOut: Float64Array,
): number {
  const t4 = getStudentT4Table();
  const normal = getNormalTable();
  const { rounds, returnBps, corr20, mmc, tc, stakeNmr } = cols;
  const key = p.key | 0;
  const start = p.startRound;
  const sc = p.sigma * p.sqrtRho;
  const se = p.sigma * p.sqrtOneMinusRho;
  const logTarget = Math.log(p.stakeTarget);
  let stake = p.stake0;
  for (let r = from; r <= to; r++) {
    const h1 = mix32(key ^ Math.imul(r, 0x9e3779b1));
    const h2 = mix32((h1 + 0x6d2b79f5) | 0);
    if (!fullTracks && r !== start && (h2 & 255) < 2) continue; // missed round: no row
    // Daily rounds pay a fraction of what a weekly round did (Numerai's payout factor fell as rounds
    // became daily and overlapping), so a year of daily rounds compounds to a realistic figure. The
    // scores are scaled with them, so the payout rule below holds in both eras.
    const daily = r > DEMO_WEEKLY_UNTIL_ROUND;
    const mu = daily ? DAILY_DRIFT_FACTOR * p.mu : p.mu;
    const c = (daily ? DAILY_NOISE_FACTOR : 1) * sc * common[r - base]!;
    const e = (daily ? DAILY_NOISE_FACTOR : 1) * se * vol[r - base]! * t4[h1 >>> 16]!;
    const raw = mu + c + e;
    const ret = Math.round(raw);
    const clipped = ret > MAX_ABS_RETURN_BPS ? MAX_ABS_RETURN_BPS : ret < -MAX_ABS_RETURN_BPS ? -MAX_ABS_RETURN_BPS : ret;
    const m = (0.4 * mu + 0.7 * e) / 20000;
    // Deposit/withdrawal before ~1.6 % of rounds: halfway (in log) to the target size, with noise.
    if (((h2 >>> 8) & 63) === 0) stake = Math.exp(0.5 * (Math.log(stake) + logTarget) + 0.3 * normal[h2 >>> 16]!);
    rounds[row] = r;
    returnBps[row] = clipped;
    corr20[row] = (0.6 * mu + c + 0.3 * e) / 5000;
    mmc[row] = m;
    tc[row] = 3 * m + 0.012 * normal[h1 & 0xffff]!;
    stakeNmr[row] = stake;
    stake *= 1 + clipped / 10_000;
    row++;
  }
  stakeOut[0] = stake;
  return row;
}

// ---------------------------------------------------------------------------------------------
// Public API

/** What the local chain needs to register a demo model. */
export interface DemoModelSpec {
  index: number;
  name: string;
  tournament: Tournament;
  startRound: number;
  /** Last round with a result, or null if the model keeps producing results (any later round). */
  endRound: number | null;
  operatorFeeBps: number;
}

/** The first `count` demo models (identical to the first `count` of any larger world). */
export function demoModels(count: number, opts: Omit<DemoWorldOptions, 'models'> = {}): DemoModelSpec[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_DEMO_MODELS) throw new RangeError(`count must be 0..${MAX_DEMO_MODELS}`);
  const o = resolveOptions(opts);
  const book = namesUpTo(o.seed, count);
  const out: DemoModelSpec[] = [];
  for (let i = 0; i < count; i++) {
    const p = modelParams(o, i, book.names[i]!);
    out.push({
      index: i,
      name: p.name,
      tournament: p.tournament,
      startRound: p.startRound,
      endRound: p.endRound,
      operatorFeeBps: p.feeBps,
    });
  }
  return out;
}

/**
 * Demo models for the local chain: the first `count` models that are still active (results every
 * round, including after DEMO_LATEST_ROUND) and have at least `minTrackRounds` rounds of history.
 * Deterministic; a subset of every demo world with enough models.
 */
export function demoChainModels(count: number, opts: Omit<DemoWorldOptions, 'models'> & { minTrackRounds?: number } = {}): DemoModelSpec[] {
  const { minTrackRounds = 250, ...world } = opts;
  const o = resolveOptions(world);
  const out: DemoModelSpec[] = [];
  for (let i = 0; out.length < count; i++) {
    if (i >= MAX_DEMO_MODELS) throw new RangeError('not enough demo models match');
    const name = namesUpTo(o.seed, i + 1).names[i]!;
    const p = modelParams(o, i, name);
    if (p.endRound !== null || DEMO_LATEST_ROUND - p.startRound + 1 < minTrackRounds) continue;
    out.push({ index: i, name, tournament: p.tournament, startRound: p.startRound, endRound: null, operatorFeeBps: p.feeBps });
  }
  return out;
}

export interface DemoRoundResult {
  returnBps: number;
  corr20: number;
  mmc: number;
  tc: number;
}

const paramCache = new Map<string, ModelParams>();
const factorCache = new Map<string, TournamentFactors>();

/**
 * One round of one demo model, exactly as the world generator stores it (same code path, scores
 * rounded to Float32 like the world's columns). Null when the model has no result that round: before its start, after it
 * retired, or a missed round. Rounds after DEMO_LATEST_ROUND continue the same process.
 */
export function demoModelRoundResult(name: string, round: number, opts: Omit<DemoWorldOptions, 'models'> = {}): DemoRoundResult | null {
  if (!Number.isInteger(round) || round < 1) return null;
  const o = resolveOptions(opts);
  const cacheKey = `${o.seed}|${o.minRounds}|${o.maxRounds}|${o.fullTracks}|${o.meanReturnBps}|${name}`;
  let p = paramCache.get(cacheKey);
  if (!p) {
    const index = indexOfName(o.seed, name);
    if (index === undefined) throw new TrackRecordError(`"${name}" is not a demo model`);
    p = modelParams(o, index, name);
    if (paramCache.size > 10_000) paramCache.clear();
    paramCache.set(cacheKey, p);
  }
  if (round < p.startRound || (p.endRound !== null && round > p.endRound)) return null;
  const fKey = `${o.seed}|${p.tournament}`;
  let f = factorCache.get(fKey);
  if (!f) factorCache.set(fKey, (f = tournamentFactors(o.seed, p.tournament)));
  const c = clusterAt(f, p.cluster, round, getStudentT4Table());
  const cols: Columns = {
    rounds: new Int32Array(1),
    returnBps: new Float32Array(1),
    corr20: new Float32Array(1),
    mmc: new Float32Array(1),
    tc: new Float32Array(1),
    stakeNmr: new Float32Array(1),
  };
  const rows = fillModel(
    p,
    round,
    round,
    Float64Array.of(c.common),
    Float64Array.of(c.vol),
    round,
    o.fullTracks,
    cols,
    0,
    new Float64Array(1),
  );
  if (rows === 0) return null;
  return { returnBps: cols.returnBps[0]!, corr20: cols.corr20[0]!, mmc: cols.mmc[0]!, tc: cols.tc[0]! };
}

/** A demo model's hidden parameters — for tests and diagnostics, never shown as data. */
export interface DemoModelTraits {
  cluster: number;
  /** Share of the model's variance that is common to its cluster (0..1). */
  rho: number;
  sigmaBps: number;
  driftBps: number;
}

export function demoModelTraits(name: string, opts: Omit<DemoWorldOptions, 'models'> = {}): DemoModelTraits {
  const o = resolveOptions(opts);
  const index = indexOfName(o.seed, name);
  if (index === undefined) throw new TrackRecordError(`"${name}" is not a demo model`);
  const p = modelParams(o, index, name);
  return { cluster: p.cluster, rho: p.sqrtRho ** 2, sigmaBps: p.sigma, driftBps: p.mu };
}

/** The posted return of one demo model in one round, whole bps in [-500, 500]; null = no result. */
export function demoModelReturnAt(name: string, round: number, opts: Omit<DemoWorldOptions, 'models'> = {}): number | null {
  return demoModelRoundResult(name, round, opts)?.returnBps ?? null;
}

/**
 * Generates the demo world: 15,000 models (8.8 M rows, 211 MB) in ~1 s here, of which ~0.6 s is
 * this VM handing out fresh memory (see bench.ts); 20,000 × 1,500 full tracks (30 M rows) in ~3 s.
 */
export function generateDemoRecords(opts: DemoWorldOptions = {}): TrackRecordSet {
  const world = demoWorld(opts);
  const n = world.size;
  let capacity = 0;
  for (let i = 0; i < n; i++) capacity += world.maxRows(i);
  const offsets = new Uint32Array(n + 1);
  const cols: Columns = {
    rounds: new Int32Array(capacity),
    returnBps: new Float32Array(capacity),
    corr20: new Float32Array(capacity),
    mmc: new Float32Array(capacity),
    tc: new Float32Array(capacity),
    stakeNmr: new Float32Array(capacity),
  };
  const currentStakeWei: bigint[] = new Array<bigint>(n);
  let row = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = row;
    const r = world.fill(i, cols, row);
    row = r.end;
    currentStakeWei[i] = r.stakeWei;
  }
  offsets[n] = row;
  return {
    ...world.skeleton(currentStakeWei),
    offsets,
    rounds: cols.rounds.subarray(0, row),
    returnBps: cols.returnBps.subarray(0, row),
    corr20: cols.corr20.subarray(0, row),
    mmc: cols.mmc.subarray(0, row),
    tc: cols.tc.subarray(0, row),
    stakeNmr: cols.stakeNmr.subarray(0, row),
  };
}

/**
 * The demo world a model at a time: who each model is, and its rows written when asked — the same
 * bits `generateDemoRecords` stores (it is built on this). `demo-records.ts` uses it to keep the
 * app's 15,000 models' figures without their 200 MB of rows.
 */
export interface DemoWorld {
  readonly size: number;
  /** Rows model `i` can have at most (its rounds from start to end). */
  maxRows(i: number): number;
  /** Writes model `i`'s rows into `cols` from `row`: the next free row and its stake after the last round. */
  fill(i: number, cols: RoundColumns, row: number): { end: number; stakeWei: bigint };
  /** The set's fields other than its rows: models, index, stakes (given), calendars. */
  skeleton(currentStakeWei: readonly bigint[]): Omit<TrackRecordSet, 'offsets' | keyof RoundColumns>;
}

export function demoWorld(opts: DemoWorldOptions = {}): DemoWorld {
  const o = resolveOptions(opts);
  const n = opts.models ?? DEFAULT_DEMO_MODELS;
  if (!Number.isInteger(n) || n < 0 || n > MAX_DEMO_MODELS) throw new RangeError(`models must be 0..${MAX_DEMO_MODELS}`);
  const t4 = getStudentT4Table();
  const book = namesUpTo(o.seed, n);
  const params: ModelParams[] = new Array<ModelParams>(n);
  for (let i = 0; i < n; i++) params[i] = modelParams(o, i, book.names[i]!);
  const series = new Map<string, ClusterSeries>();
  for (const t of TOURNAMENTS) {
    const f = tournamentFactors(o.seed, t);
    for (let k = 0; k < CLUSTERS[t]; k++) series.set(`${t}|${k}`, clusterSeries(f, k, DEMO_LATEST_ROUND, t4));
  }
  const stakeOut = new Float64Array(1);
  const cal = demoCalendar(DEMO_LATEST_ROUND);
  return {
    size: n,
    maxRows: (i) => (params[i]!.endRound ?? DEMO_LATEST_ROUND) - params[i]!.startRound + 1,
    fill(i, cols, row) {
      const p = params[i]!;
      const cs = series.get(`${p.tournament}|${p.cluster}`)!;
      const end = fillModel(p, p.startRound, p.endRound ?? DEMO_LATEST_ROUND, cs.common, cs.vol, 0, o.fullTracks, cols, row, stakeOut);
      return { end, stakeWei: approxNmrToWei(stakeOut[0]!) };
    },
    skeleton(currentStakeWei) {
      const models: ModelInfo[] = params.map((p) => ({
        name: p.name,
        tournament: p.tournament,
        startRound: p.startRound,
        isDemo: true,
        operatorFeeBps: p.feeBps,
      }));
      return {
        source: 'demo',
        asOfMs: DEMO_AS_OF_MS,
        models,
        currentStakeWei,
        calendars: { classic: cal, signals: cal, crypto: cal },
        index: new Map(params.map((p, i) => [p.name, i])),
      };
    },
  };
}

/**
 * The track-record model: who a model is, and what it did round by round.
 *
 * Storage is columnar. Every per-round column of every model lives in ONE typed array, and model
 * `i` owns rows `offsets[i] .. offsets[i + 1] - 1` of each column, oldest round first. 15,000
 * models × ~600 rounds (the demo world) is ~9M rows × 24 bytes ≈ 215 MB, with no per-row objects
 * for the garbage collector to walk; 20,000 × 1,500 (the benchmark) is ~720 MB. Per-model views are
 * zero-copy `subarray`s.
 *
 * Bytes per row and why:
 *   rounds      Int32Array    4  round number (a model may miss rounds, so it is stored, not implied)
 *   returnBps   Float32Array  4  the round's payout as a return on stake in basis points, clipped to
 *                                ±500 (Numerai clips payouts at ±5 % of stake). Float32 holds every
 *                                whole bps exactly and fractional ones to ~3e-5 bps; Int16 would round
 *                                real Numerai payouts to whole bps.
 *   corr20/mmc/tc Float32Array 12 scores as Numerai reports them (ratios, ~±0.3). NaN = not reported.
 *   stakeNmr    Float32Array  4  the model's stake at risk in the round, in whole NMR, for CHARTS ONLY
 *                                (7 significant digits). Money that is shown as a figure comes from
 *                                `currentStakeWei` (exact bigint) — a float never holds a balance.
 * Resolve times are not a per-row column: every model in a tournament shares a round's resolve date,
 * so each tournament has one `RoundCalendar` (8 bytes per round, not per row).
 */

import { TOURNAMENTS, type Tournament } from '../../shared/api/models';
export { TOURNAMENTS, type Tournament };

/** Numerai clips a round's payout at ±5 % of stake; the pool bounds posted results the same way. */
export const MAX_ABS_RETURN_BPS = 500;

/** Who a model is. The per-round series live in the set's columns. */
export interface ModelInfo {
  /** Numerai model name: lowercase letters, digits and underscores; unique within a set. */
  readonly name: string;
  /** On-chain pool id when the model is registered in the pool. */
  readonly modelId?: number;
  readonly tournament: Tournament;
  /** First round of the track record. */
  readonly startRound: number;
  /** True for generated demo models; the UI labels them "demo". */
  readonly isDemo: boolean;
  /** Operator fee in basis points of gains (0..10,000); only the demo's records carry one (recordFeeBps). */
  readonly operatorFeeBps: number;
}

/**
 * A record's operator fee, or null where it is not known. The fee is the pool's, not Numerai's:
 * Numerai's records carry none (they hold 0, numerai-source.ts), only the demo's records set the fee
 * their model has in the demo pool. A model in the pool has the pool's fee (main/app/model-rows.ts).
 */
export function recordFeeBps(m: Pick<ModelInfo, 'isDemo' | 'operatorFeeBps'>): number | null {
  return m.isDemo ? m.operatorFeeBps : null;
}

/**
 * Resolve date of each round of one tournament. `resolveTimeMs[round - firstRound]`; NaN when
 * unknown. Monotone non-decreasing in the round number where known.
 */
export interface RoundCalendar {
  readonly firstRound: number;
  readonly resolveTimeMs: Float64Array;
}

/** Many models' track records in shared columns (see the file comment). */
/** A model's figures per round, one entry per round (float32 is enough for ratios and NMR to draw). */
export interface RoundColumns {
  readonly rounds: Int32Array;
  readonly returnBps: Float32Array;
  readonly corr20: Float32Array;
  readonly mmc: Float32Array;
  readonly tc: Float32Array;
  readonly stakeNmr: Float32Array;
}

export interface TrackRecordSet extends RoundColumns {
  readonly source: 'demo' | 'numerai' | 'chain';
  /** "Now" for the time windows (3 months, 1 year): the latest resolve date the source knows. */
  readonly asOfMs: number;
  readonly models: readonly ModelInfo[];
  /** Length `models.length + 1`; model i owns rows `offsets[i] .. offsets[i+1]-1`. */
  readonly offsets: Uint32Array;
  /** Exact current stake per model (after its latest round), in wei. */
  readonly currentStakeWei: readonly bigint[];
  readonly calendars: Readonly<Record<Tournament, RoundCalendar>>;
  /** name → model index. */
  readonly index: ReadonlyMap<string, number>;
}

/** One model's record: its info plus zero-copy views of its rows (resolve times are computed). */
export interface ModelRecord extends ModelInfo, RoundColumns {
  readonly resolveTimeMs: Float64Array;
  readonly currentStakeWei: bigint;
}

/** What a source hands to `buildTrackRecordSet` for one model (plain arrays or typed arrays). */
export interface ModelRecordInput extends ModelInfo {
  readonly rounds: ArrayLike<number>;
  readonly returnBps: ArrayLike<number>;
  readonly corr20?: ArrayLike<number>;
  readonly mmc?: ArrayLike<number>;
  readonly tc?: ArrayLike<number>;
  readonly stakeNmr?: ArrayLike<number>;
  /** Resolve time of each row; rows of one round must agree across models of a tournament. */
  readonly resolveTimeMs: ArrayLike<number>;
  /** Exact stake now; defaults to the last row's stake rounded to a micro-NMR. */
  readonly currentStakeWei?: bigint;
}

export class TrackRecordError extends Error {
  override readonly name = 'TrackRecordError';
}

const WEI_PER_MICRO_NMR = 10n ** 12n;

/** Float NMR → wei, rounded to a micro-NMR. Only for figures that were floats to begin with. */
export function approxNmrToWei(nmr: number): bigint {
  if (!Number.isFinite(nmr) || nmr <= 0) return 0n;
  return BigInt(Math.round(nmr * 1e6)) * WEI_PER_MICRO_NMR;
}

export function clipReturnBps(x: number): number {
  return x > MAX_ABS_RETURN_BPS ? MAX_ABS_RETURN_BPS : x < -MAX_ABS_RETURN_BPS ? -MAX_ABS_RETURN_BPS : x;
}

/** Resolve time of `round` in a calendar, NaN if outside it or unknown. */
export function resolveTimeOf(cal: RoundCalendar, round: number): number {
  const k = round - cal.firstRound;
  return k >= 0 && k < cal.resolveTimeMs.length ? cal.resolveTimeMs[k]! : Number.NaN;
}

/** Zero-copy view of model `i`. */
export function getModelRecord(set: TrackRecordSet, i: number): ModelRecord {
  const info = set.models[i];
  if (!info) throw new TrackRecordError(`no model at index ${i}`);
  const a = set.offsets[i]!;
  const b = set.offsets[i + 1]!;
  const rounds = set.rounds.subarray(a, b);
  const cal = set.calendars[info.tournament];
  const resolveTimeMs = new Float64Array(rounds.length);
  for (let k = 0; k < rounds.length; k++) resolveTimeMs[k] = resolveTimeOf(cal, rounds[k]!);
  return {
    ...info,
    rounds,
    returnBps: set.returnBps.subarray(a, b),
    corr20: set.corr20.subarray(a, b),
    mmc: set.mmc.subarray(a, b),
    tc: set.tc.subarray(a, b),
    stakeNmr: set.stakeNmr.subarray(a, b),
    resolveTimeMs,
    currentStakeWei: set.currentStakeWei[i] ?? 0n,
  };
}

export function findModel(set: TrackRecordSet, name: string): number {
  const i = set.index.get(name);
  if (i === undefined) throw new TrackRecordError(`unknown model "${name}"`);
  return i;
}

function emptyCalendar(): RoundCalendar {
  return { firstRound: 0, resolveTimeMs: new Float64Array(0) };
}

/** The first per-round column of a model whose length is not its number of rounds, or null. */
export function columnLengthIssue(m: ModelRecordInput): { field: string; message: string } | null {
  const n = m.rounds.length;
  for (const [field, arr] of [
    ['returnBps', m.returnBps],
    ['resolveTimeMs', m.resolveTimeMs],
    ['corr20', m.corr20],
    ['mmc', m.mmc],
    ['tc', m.tc],
    ['stakeNmr', m.stakeNmr],
  ] as const) {
    if (arr && arr.length !== n) return { field, message: `${field} has ${arr.length} rows, rounds has ${n}` };
  }
  return null;
}

/**
 * Packs per-model records into a set. Validates what the maths relies on: unique names, strictly
 * increasing rounds, equal column lengths, finite returns (clipped to ±500 bps), and resolve dates
 * that agree per round within a tournament. Missing score/stake columns become NaN/0.
 */
export function buildTrackRecordSet(
  inputs: readonly ModelRecordInput[],
  opts: { source: TrackRecordSet['source']; asOfMs?: number },
): TrackRecordSet {
  const offsets = new Uint32Array(inputs.length + 1);
  for (let i = 0; i < inputs.length; i++) offsets[i + 1] = offsets[i]! + inputs[i]!.rounds.length;
  const total = offsets[inputs.length]!;
  const rounds = new Int32Array(total);
  const returnBps = new Float32Array(total);
  const corr20 = new Float32Array(total);
  const mmc = new Float32Array(total);
  const tc = new Float32Array(total);
  const stakeNmr = new Float32Array(total);
  const currentStakeWei: bigint[] = [];
  const index = new Map<string, number>();
  const models: ModelInfo[] = [];

  // Calendar bounds per tournament.
  const lo: Record<Tournament, number> = { classic: Infinity, signals: Infinity, crypto: Infinity };
  const hi: Record<Tournament, number> = { classic: -Infinity, signals: -Infinity, crypto: -Infinity };

  inputs.forEach((m, i) => {
    if (index.has(m.name)) throw new TrackRecordError(`duplicate model name "${m.name}"`);
    index.set(m.name, i);
    const n = m.rounds.length;
    const short = columnLengthIssue(m);
    if (short) throw new TrackRecordError(`${m.name}: ${short.message}`);
    const base = offsets[i]!;
    let prev = -Infinity;
    for (let k = 0; k < n; k++) {
      const r = m.rounds[k]!;
      if (!Number.isInteger(r) || r <= prev) throw new TrackRecordError(`${m.name}: rounds must be increasing integers`);
      prev = r;
      const ret = m.returnBps[k]!;
      if (!Number.isFinite(ret)) throw new TrackRecordError(`${m.name}: return of round ${r} is not a number`);
      rounds[base + k] = r;
      returnBps[base + k] = clipReturnBps(ret);
      corr20[base + k] = m.corr20 ? m.corr20[k]! : Number.NaN;
      mmc[base + k] = m.mmc ? m.mmc[k]! : Number.NaN;
      tc[base + k] = m.tc ? m.tc[k]! : Number.NaN;
      stakeNmr[base + k] = m.stakeNmr ? m.stakeNmr[k]! : 0;
    }
    if (n > 0) {
      lo[m.tournament] = Math.min(lo[m.tournament], m.rounds[0]!);
      hi[m.tournament] = Math.max(hi[m.tournament], m.rounds[n - 1]!);
    }
    currentStakeWei.push(m.currentStakeWei ?? (n > 0 && m.stakeNmr ? approxNmrToWei(m.stakeNmr[n - 1]!) : 0n));
    const { name, modelId, tournament, startRound, isDemo, operatorFeeBps } = m;
    models.push(
      modelId === undefined
        ? { name, tournament, startRound, isDemo, operatorFeeBps }
        : { name, modelId, tournament, startRound, isDemo, operatorFeeBps },
    );
  });

  const calendars = { classic: emptyCalendar(), signals: emptyCalendar(), crypto: emptyCalendar() };
  let latest = -Infinity;
  for (const t of Object.keys(calendars) as Tournament[]) {
    if (lo[t] === Infinity) continue;
    const cal = { firstRound: lo[t], resolveTimeMs: new Float64Array(hi[t] - lo[t] + 1).fill(Number.NaN) };
    calendars[t] = cal;
  }
  inputs.forEach((m) => {
    const cal = calendars[m.tournament];
    for (let k = 0; k < m.rounds.length; k++) {
      const t = m.resolveTimeMs[k]!;
      if (!Number.isFinite(t)) continue;
      const slot = m.rounds[k]! - cal.firstRound;
      const known = cal.resolveTimeMs[slot]!;
      if (Number.isNaN(known)) cal.resolveTimeMs[slot] = t;
      else if (known !== t) throw new TrackRecordError(`${m.name}: round ${m.rounds[k]} resolves at two different times`);
      if (t > latest) latest = t;
    }
  });
  return {
    source: opts.source,
    asOfMs: opts.asOfMs ?? (latest === -Infinity ? 0 : latest),
    models,
    offsets,
    rounds,
    returnBps,
    corr20,
    mmc,
    tc,
    stakeNmr,
    currentStakeWei,
    calendars,
    index,
  };
}

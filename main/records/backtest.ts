/**
 * "What if I had delegated X NMR to these models at round R?" — replayed from the track records'
 * per-round returns, in bigint wei with integer arithmetic:
 *
 *   - Timing: NMR delegated during round R is at risk from round R + 1 (its first result is R + 1's).
 *   - Each round with a result r (whole bps, |r| ≤ 500), for value v:
 *       r > 0: reward = ⌊v · r / 10,000⌋, fee = ⌊reward · feeBps / 10,000⌋, v ← v + reward − fee
 *       r < 0: burned = ⌊v · |r| / 10,000⌋,                                   v ← v − burned
 *       r = 0 or no result that round (model missed it, or its record ended): v unchanged.
 *   - Results are rounded to whole bps and clipped to ±500.
 *
 * It is an estimate from the records, not a replay of StakingPool: the pool stakes a tranche per
 * Numerai round and books Numerai's own payout or burn for it, spread over the rounds a stake
 * overlaps, and a holder owns shares whose value is ⌊shares · (NAV + 1) / (totalShares + virtual)⌋;
 * the fee uses the model's current fee (the pool's, when the caller gives it; else its record's, or
 * none when its record knows none).
 */
import { MAX_ABS_RETURN_BPS, TrackRecordError, findModel, recordFeeBps, type TrackRecordSet } from './types';

const BPS = 10_000n;

export interface BacktestAllocation {
  name: string;
  amountWei: bigint;
  /** The fee to replay under: a pool model's current fee in the pool. Default: its record's. */
  feeBps?: number;
}

export interface BacktestInput {
  allocations: readonly BacktestAllocation[];
  /** The round during which the NMR is delegated; its first result is round fromRound + 1. */
  fromRound: number;
  /** Last round to replay (default: the latest round any of the models has). */
  toRound?: number;
}

export interface BacktestModelResult {
  name: string;
  feeBps: number;
  principalWei: bigint;
  /** Value after each round of `BacktestResult.rounds` (index 0 = fromRound: the principal). */
  valueWei: bigint[];
  /** Round results applied (whole bps), aligned with `rounds`; null where the model had none. */
  appliedBps: (number | null)[];
  rewardWei: bigint;
  feeWei: bigint;
  burnedWei: bigint;
  finalWei: bigint;
}

export interface BacktestResult {
  fromRound: number;
  /** First round whose result applies: fromRound + 1. */
  atRiskFromRound: number;
  toRound: number;
  /** fromRound, fromRound + 1, …, toRound. */
  rounds: number[];
  models: BacktestModelResult[];
  totalValueWei: bigint[];
  totalPrincipalWei: bigint;
  totalFinalWei: bigint;
}

/** One round of the contract's arithmetic. Exported so the tests can pin the rounding. */
export function applyRound(
  valueWei: bigint,
  retBps: number,
  feeBps: number,
): { valueWei: bigint; rewardWei: bigint; feeWei: bigint; burnedWei: bigint } {
  if (!Number.isInteger(retBps) || Math.abs(retBps) > MAX_ABS_RETURN_BPS)
    throw new RangeError(`round result ${retBps} is not whole bps within ±${MAX_ABS_RETURN_BPS}`);
  if (retBps > 0) {
    const rewardWei = (valueWei * BigInt(retBps)) / BPS;
    const feeWei = (rewardWei * BigInt(feeBps)) / BPS;
    return { valueWei: valueWei + rewardWei - feeWei, rewardWei, feeWei, burnedWei: 0n };
  }
  if (retBps < 0) {
    const burnedWei = (valueWei * BigInt(-retBps)) / BPS;
    return { valueWei: valueWei - burnedWei, rewardWei: 0n, feeWei: 0n, burnedWei };
  }
  return { valueWei, rewardWei: 0n, feeWei: 0n, burnedWei: 0n };
}

/** A stored return as the backtest replays it: whole bps, clipped to the records' ±500. */
export function postedBps(returnBps: number): number {
  const r = Math.round(returnBps) + 0; // + 0: no −0
  return r > MAX_ABS_RETURN_BPS ? MAX_ABS_RETURN_BPS : r < -MAX_ABS_RETURN_BPS ? -MAX_ABS_RETURN_BPS : r;
}

export function backtest(set: TrackRecordSet, input: BacktestInput): BacktestResult {
  const { allocations, fromRound } = input;
  if (!Number.isInteger(fromRound) || fromRound < 0) throw new RangeError('fromRound must be a whole round number');
  if (allocations.length === 0) throw new RangeError('choose at least one model');
  const seen = new Set<string>();
  const picked = allocations.map((a) => {
    if (seen.has(a.name)) throw new TrackRecordError(`"${a.name}" appears twice`);
    seen.add(a.name);
    if (a.amountWei <= 0n) throw new RangeError(`the amount for "${a.name}" must be positive`);
    return { ...a, i: findModel(set, a.name) };
  });
  let lastRound = -1;
  for (const p of picked) {
    const b = set.offsets[p.i + 1]!;
    if (b > set.offsets[p.i]!) lastRound = Math.max(lastRound, set.rounds[b - 1]!);
  }
  // A start after every result has nothing to replay (and its first round at risk may not exist).
  if (fromRound > lastRound) {
    const whose = picked.length === 1 ? `${set.models[picked[0]!.i]!.name}'s` : 'these models’';
    throw new RangeError(
      lastRound < 0
        ? `${whose} record has no results to replay.`
        : `Round ${fromRound} is after ${whose} latest result (round ${lastRound}): choose a round up to ${lastRound - 1}.`,
    );
  }
  const toRound = input.toRound ?? Math.max(fromRound, lastRound);
  if (!Number.isInteger(toRound) || toRound < fromRound) throw new RangeError('toRound must be a whole round ≥ fromRound');

  const length = toRound - fromRound + 1;
  const rounds = Array.from({ length }, (_, k) => fromRound + k);
  const totalValueWei = new Array<bigint>(length).fill(0n);
  const models: BacktestModelResult[] = picked.map((p) => {
    const info = set.models[p.i]!;
    // No fee known (a record of Numerai's, outside the pool): none is counted.
    const feeBps = p.feeBps ?? recordFeeBps(info) ?? 0;
    const a = set.offsets[p.i]!;
    const b = set.offsets[p.i + 1]!;
    // First row at or after fromRound + 1.
    let j = a;
    while (j < b && set.rounds[j]! <= fromRound) j++;
    let v = p.amountWei;
    let rewardWei = 0n;
    let feeWei = 0n;
    let burnedWei = 0n;
    const valueWei: bigint[] = [v];
    const appliedBps: (number | null)[] = [null];
    for (let r = fromRound + 1; r <= toRound; r++) {
      if (j < b && set.rounds[j]! === r) {
        const ret = postedBps(set.returnBps[j]!);
        const step = applyRound(v, ret, feeBps);
        v = step.valueWei;
        rewardWei += step.rewardWei;
        feeWei += step.feeWei;
        burnedWei += step.burnedWei;
        appliedBps.push(ret);
        j++;
      } else appliedBps.push(null);
      valueWei.push(v);
    }
    for (let k = 0; k < length; k++) totalValueWei[k] = totalValueWei[k]! + valueWei[k]!;
    return {
      name: info.name,
      feeBps,
      principalWei: p.amountWei,
      valueWei,
      appliedBps,
      rewardWei,
      feeWei,
      burnedWei,
      finalWei: v,
    };
  });
  return {
    fromRound,
    atRiskFromRound: fromRound + 1,
    toRound,
    rounds,
    models,
    totalValueWei,
    totalPrincipalWei: picked.reduce((s, p) => s + p.amountWei, 0n),
    totalFinalWei: totalValueWei[length - 1]!,
  };
}

/**
 * Numerai's payout formula for one staked position, as ../shared/reference/ABS.md section (c) T1,
 * "Formula", writes it (O1's payout settings table agrees: clip 1, payout factor 1):
 *
 *   weighted_score = Σ score × multiplier         (the round's multipliers)
 *   round_return   = clip(payout_factor × weighted_score, −1, 1)
 *   settlement     = round_stake × round_return
 *   payout = max(settlement, 0);  burn = max(−settlement, 0);  claimable = stake + payout − burn
 *
 * Numerai's rounding to wei is not public (ABS.md (d)). Our choice, in this one place: the return is
 * fixed to whole nano-units (1e-9, half away from zero) and the settlement is truncated toward zero,
 * so a result never pays or burns more than the exact formula.
 */

/** The round's payout configuration (ABS.md T1: multipliers are per tournament and round). */
export interface RoundPayoutConfig {
  corrMultiplier: number;
  mmcMultiplier: number;
  /** ABS.md O1/T1: 1 for ABS. */
  payoutFactor: number;
}

/** ABS.md O1, payout settings: Numerai (Classic, tournament 8) pays 5×CORR + 10×MMC, factor 1. */
export const CLASSIC_PAYOUT: RoundPayoutConfig = { corrMultiplier: 5, mmcMultiplier: 10, payoutFactor: 1 };

export interface PayoutScores {
  corr: number;
  mmc: number;
}

export const RETURN_SCALE = 1_000_000_000n;

/** round_return in nano-units, clipped to ±1 (= ±RETURN_SCALE). */
export function roundReturnNano(scores: PayoutScores, cfg: RoundPayoutConfig): bigint {
  const weighted = scores.corr * cfg.corrMultiplier + scores.mmc * cfg.mmcMultiplier;
  const r = Math.max(-1, Math.min(1, cfg.payoutFactor * weighted));
  if (!Number.isFinite(r)) throw new RangeError('scores and multipliers must be finite');
  return BigInt(Math.sign(r) * Math.round(Math.abs(r) * 1e9));
}

export interface Settlement {
  payout: bigint;
  burn: bigint;
}

/** A position's payout and burn for a stake and a round return (nano-units). */
export function settle(stakeWei: bigint, returnNano: bigint): Settlement {
  if (stakeWei < 0n) throw new RangeError('a stake is never negative');
  if (returnNano > RETURN_SCALE || returnNano < -RETURN_SCALE) throw new RangeError('round_return is clipped to ±1');
  // bigint division truncates toward zero: |settlement| never exceeds the exact product.
  const settlement = (stakeWei * returnNano) / RETURN_SCALE;
  return settlement >= 0n ? { payout: settlement, burn: 0n } : { payout: 0n, burn: -settlement };
}

/** What the staker gets back on a claim: stake + payout − burn. */
export function claimable(stakeWei: bigint, s: Settlement): bigint {
  return stakeWei + s.payout - s.burn;
}

import type { PortfolioPoint } from '../../../../shared/api';
import { weiToNmrFloat } from '../../../../shared/money';
import { groupSize, type SignedBar } from './series';

export interface ValuePoint {
  round: number;
  value: number;
  deposited: number;
}

export function valuePoints(points: readonly PortfolioPoint[]): ValuePoint[] {
  return points.map((p) => ({ round: p.round, value: weiToNmrFloat(p.valueWei), deposited: weiToNmrFloat(p.netDepositedWei) }));
}

/**
 * Per-round results as bars, at most `max`: neighbouring rounds are summed (exactly, in wei) into one
 * bar when there are more, so every round still counts and the bars add up to the whole result.
 */
export function resultBars(
  points: readonly { round: number; resultWei: string }[],
  max: number,
): { bars: SignedBar[]; roundsPerBar: number } {
  const per = groupSize(points.length, max);
  const bars: SignedBar[] = [];
  for (let i = 0; i < points.length; i += per) {
    const group = points.slice(i, i + per);
    let sum = 0n;
    for (const p of group) sum += BigInt(p.resultWei);
    const nmr = weiToNmrFloat(sum);
    bars.push({ round: group[0]!.round, toRound: group.at(-1)!.round, gain: nmr > 0 ? nmr : null, loss: nmr < 0 ? nmr : null });
  }
  return { bars, roundsPerBar: per };
}

import type { PortfolioPoint } from '../../../../shared/api';

/** NMR as a float, for drawing only: every figure shown as text comes from the exact wei strings. */
export function weiToNmrFloat(wei: string | bigint): number {
  const v = typeof wei === 'bigint' ? wei : BigInt(wei);
  // Keep 6 decimals in integer arithmetic before the float: no precision lost that a chart could show.
  return Number(v / 10n ** 12n) / 1e6;
}

export interface ValuePoint {
  round: number;
  value: number;
  deposited: number;
}

export interface ResultBar {
  round: number;
  /** NMR, for drawing. */
  result: number;
}

export function valuePoints(points: readonly PortfolioPoint[]): ValuePoint[] {
  return points.map((p) => ({ round: p.round, value: weiToNmrFloat(p.valueWei), deposited: weiToNmrFloat(p.netDepositedWei) }));
}

/**
 * Per-round results as bars, at most `max`: neighbouring rounds are summed (exactly, in wei) into one
 * bar when there are more, so a long history still reads as a chart and not as noise.
 */
export function resultBars(points: readonly { round: number; resultWei: string }[], max: number): { bars: ResultBar[]; roundsPerBar: number } {
  const per = Math.max(1, Math.ceil(points.length / max));
  const bars: ResultBar[] = [];
  for (let i = 0; i < points.length; i += per) {
    let sum = 0n;
    const group = points.slice(i, i + per);
    for (const p of group) sum += BigInt(p.resultWei);
    bars.push({ round: group[group.length - 1]!.round, result: weiToNmrFloat(sum) });
  }
  return { bars, roundsPerBar: per };
}

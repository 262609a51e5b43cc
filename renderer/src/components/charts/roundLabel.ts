import type { ReactNode } from 'react';
import { formatRound } from './series';

/** Tooltip title of a point that stands for one round or a group of rounds: "Round 1035" / "Rounds 1035–1040". */
export function roundLabel(label: ReactNode, payload: ReadonlyArray<{ payload?: unknown }>): ReactNode {
  const p = payload[0]?.payload as { round?: number; toRound?: number } | undefined;
  if (p && typeof p.round === 'number' && typeof p.toRound === 'number' && p.toRound !== p.round)
    return `Rounds ${formatRound(p.round)}–${formatRound(p.toRound)}`;
  return `Round ${roundText(label)}`;
}

/** A point's round as text. Recharts types a tooltip label as any ReactNode; here it is the round number. */
export function roundText(label: ReactNode): string {
  return typeof label === 'number' ? formatRound(label) : typeof label === 'string' ? label : '';
}

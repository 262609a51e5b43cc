/** Small hand-made sets for the unit tests. Not part of the public surface. */
import { buildTrackRecordSet, type ModelRecordInput, type Tournament, type TrackRecordSet } from './types';

export const DAY = 86_400_000;
/** asOf of the hand-made sets: 2025-01-01. */
export const AS_OF = Date.UTC(2025, 0, 1);

export interface HandModel {
  name: string;
  returns: number[];
  /** Default 1..n. */
  rounds?: number[];
  /** Days before AS_OF each row resolved; default: round r resolved 100 − r days before AS_OF. */
  daysAgo?: number[];
  corr20?: number[];
  mmc?: number[];
  tc?: number[];
  feeBps?: number;
  stakeWei?: bigint;
  tournament?: Tournament;
}

export function handSet(models: HandModel[]): TrackRecordSet {
  const inputs: ModelRecordInput[] = models.map((m) => {
    const n = m.returns.length;
    const rounds = m.rounds ?? m.returns.map((_, k) => k + 1);
    const daysAgo = m.daysAgo ?? rounds.map((r) => 100 - r);
    return {
      name: m.name,
      tournament: m.tournament ?? 'classic',
      startRound: rounds[0] ?? 1,
      isDemo: false,
      operatorFeeBps: m.feeBps ?? 0,
      rounds,
      returnBps: m.returns,
      corr20: m.corr20 ?? new Array<number>(n).fill(0),
      mmc: m.mmc ?? new Array<number>(n).fill(0),
      tc: m.tc ?? new Array<number>(n).fill(0),
      stakeNmr: new Array<number>(n).fill(100),
      resolveTimeMs: daysAgo.map((d) => AS_OF - d * DAY),
      currentStakeWei: m.stakeWei ?? 100n * 10n ** 18n,
    };
  });
  return buildTrackRecordSet(inputs, { source: 'numerai', asOfMs: AS_OF });
}

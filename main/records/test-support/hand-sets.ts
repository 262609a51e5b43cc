/** Small hand-made sets for the unit tests. Not part of the public surface. */
import { expect } from 'vitest';
import { buildTrackRecordSet, getModelRecord, type ModelRecordInput, type Tournament, type TrackRecordSet } from '../types';

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
  /** A fee makes the model a demo one: only the demo's records carry a fee (types.ts recordFeeBps). */
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
      isDemo: m.feeBps !== undefined,
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

/** Same models (by name) with the same rows, whatever their order in the sets. */
export function expectSameRecords(a: TrackRecordSet, b: TrackRecordSet): void {
  expect(b.models.length).toBe(a.models.length);
  for (let i = 0; i < a.models.length; i++) {
    const ra = getModelRecord(a, i);
    const j = b.index.get(ra.name);
    expect(j, ra.name).toBeDefined();
    const rb = getModelRecord(b, j!);
    const { rounds, returnBps, corr20, mmc, tc, stakeNmr, resolveTimeMs, ...info } = ra;
    const { rounds: r2, returnBps: b2, corr20: c2, mmc: m2, tc: t2, stakeNmr: s2, resolveTimeMs: z2, ...info2 } = rb;
    expect(info2).toEqual(info);
    const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    for (const [x, y] of [
      [rounds, r2],
      [returnBps, b2],
      [corr20, c2],
      [mmc, m2],
      [tc, t2],
      [stakeNmr, s2],
      [resolveTimeMs, z2],
    ] as const) {
      expect(bytes(y).equals(bytes(x)), ra.name).toBe(true);
    }
  }
}

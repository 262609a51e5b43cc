/**
 * What the demo Numerai keeps between runs, as Numerai's database would: the rounds it created (times,
 * payout configuration, results tree once resolved), the submissions it selected, and the
 * authorizations it issued (their nonces). Saved with the atomic file writer, checked with zod on load;
 * a file that fails the check, or that belongs to another chain or contract, is ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../../store/atomic-file';
import { RoundTreeDump } from '../round-tree';

const Decimal = z.string().regex(/^\d{1,78}$/);
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

export const DEMO_NUMERAI_STATE_VERSION = 1;

export const DemoRoundRecord = z.object({
  roundId: Decimal,
  openTime: Decimal,
  closeTime: Decimal,
  resolveTime: Decimal,
  corrMultiplier: z.number().finite(),
  mmcMultiplier: z.number().finite(),
  payoutFactor: z.number().finite(),
  /** Null until Numerai posted the root. */
  tree: RoundTreeDump.nullable(),
  /** Demo time Numerai resolved it (a round nobody staked resolves without a tree). */
  resolvedAt: Decimal.nullable(),
});
export type DemoRoundRecord = z.infer<typeof DemoRoundRecord>;

export const DemoSubmissionRecord = z.object({
  submissionId: z.string().min(1).max(100),
  apiModelId: z.string().min(1).max(100),
  roundId: Decimal,
  submissionHash: Hex32,
});
export type DemoSubmissionRecord = z.infer<typeof DemoSubmissionRecord>;

export const DemoAuthorizationRecord = z.object({
  staker: Address,
  nonce: Decimal,
  deadline: Decimal,
  roundId: Decimal,
  submissionId: z.string().min(1).max(100),
});
export type DemoAuthorizationRecord = z.infer<typeof DemoAuthorizationRecord>;

export const DemoNumeraiState = z.object({
  version: z.literal(DEMO_NUMERAI_STATE_VERSION),
  chainId: z.number().int().positive(),
  stakingAddress: Address,
  nextRoundId: Decimal,
  /** The latest demo time Numerai saw: a reloaded chain restarts at the wall clock, and resume() moves it back here. */
  demoTime: Decimal,
  rounds: z.array(DemoRoundRecord),
  submissions: z.array(DemoSubmissionRecord),
  authorizations: z.array(DemoAuthorizationRecord),
});
export type DemoNumeraiState = z.infer<typeof DemoNumeraiState>;

export function loadDemoNumeraiState(file: string, expect: { chainId: number; stakingAddress: string }): DemoNumeraiState | null {
  if (!existsSync(file)) return null;
  try {
    const s = DemoNumeraiState.parse(JSON.parse(readFileSync(file, 'utf8')));
    const same = s.chainId === expect.chainId && s.stakingAddress.toLowerCase() === expect.stakingAddress.toLowerCase();
    return same ? s : null;
  } catch {
    return null;
  }
}

const DemoNumeraiStateHead = DemoNumeraiState.pick({ version: true, chainId: true, stakingAddress: true, demoTime: true }).extend({
  rounds: z.array(z.unknown()),
});
const LastRound = z.object({ roundId: Decimal });

/** What a start needs of the saved state: the demo time, and the newest round Numerai created (null: none). */
export interface DemoNumeraiHead {
  demoTime: bigint;
  latestRoundId: bigint | null;
}

/**
 * The head of a file loadDemoNumeraiState would take, its rounds and submissions left unchecked: a
 * start needs only the demo time and the newest round, and checking all of it was ~50–150 ms of
 * each start. Null when there is no such file.
 */
export function peekDemoNumeraiState(file: string, expect: { chainId: number; stakingAddress: string }): DemoNumeraiHead | null {
  if (!existsSync(file)) return null;
  try {
    const s = DemoNumeraiStateHead.parse(JSON.parse(readFileSync(file, 'utf8')));
    const same = s.chainId === expect.chainId && s.stakingAddress.toLowerCase() === expect.stakingAddress.toLowerCase();
    if (!same) return null;
    const last = s.rounds.length ? LastRound.parse(s.rounds.at(-1)) : null;
    return { demoTime: BigInt(s.demoTime), latestRoundId: last ? BigInt(last.roundId) : null };
  } catch {
    return null;
  }
}

export function saveDemoNumeraiState(file: string, s: DemoNumeraiState): void {
  writeFileAtomic(file, JSON.stringify(DemoNumeraiState.parse(s)));
}

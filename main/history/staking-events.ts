/**
 * StakingPool's events, decoded straight from the log words with log-words.ts's readers
 * (an export reads 100,000+ logs), with a decoder compiled from the layout's field types; ModelRegistered's
 * string too (ethers' coder for the export's 500 of them cost ~70 ms, measured).
 * At load the layout below is checked against the contract's ABI; `staking-events.test.ts` checks
 * every event against ethers' coder.
 */
import { stakingPoolIface } from '../pool/staking-pool-views';
import type { RawLog } from './log-reader';
import { checkLayout, compileDecoder, type EventLayout } from './log-words';

const HOLDER_EPOCH = ['address holder', 'uint32 modelId', 'uint32 epoch'];
const HOLDER_BATCH = ['address holder', 'uint32 modelId', 'uint32 batch'];
const MODEL_ROUND = ['uint32 modelId', 'uint64 roundId'];

const LAYOUT = {
  ModelRegistered: {
    indexed: ['uint32 modelId', 'bytes32 numeraiModelId'],
    data: ['string name', 'address operator', 'uint16 feeBps', 'uint256 capWei'],
  },
  Delegated: { indexed: HOLDER_EPOCH, data: ['uint256 amountWei'] },
  DepositCancelled: { indexed: HOLDER_EPOCH, data: ['uint256 amountWei'] },
  DepositsConverted: {
    indexed: ['uint32 modelId', 'uint32 epoch'],
    data: ['uint256 amountWei', 'uint256 sharesMinted', 'uint256 navAfterWei', 'uint256 totalSharesAfter'],
  },
  SharesIssued: { indexed: HOLDER_EPOCH, data: ['uint256 amountWei', 'uint256 shares'] },
  RedeemRequested: { indexed: HOLDER_BATCH, data: ['uint256 shares', 'uint64 unlockRound', 'uint256 exitingShares'] },
  ExitsConverted: {
    indexed: ['uint32 modelId', 'uint32 batch'],
    data: ['uint256 shares', 'uint256 assetsWei', 'uint256 navAfterWei', 'uint256 totalSharesAfter'],
  },
  ExitSettled: { indexed: HOLDER_BATCH, data: ['uint256 shares', 'uint256 assetsWei'] },
  Withdrawn: { indexed: ['address holder', 'uint32 modelId'], data: ['uint256 amountWei'] },
  TrancheStaked: { indexed: MODEL_ROUND, data: ['uint256 amountWei', 'uint16 feeBps'] },
  StakeSkipped: { indexed: MODEL_ROUND, data: [] },
  TrancheSettled: {
    indexed: MODEL_ROUND,
    data: ['uint256 principalWei', 'uint256 returnedWei', 'uint256 feeWei', 'bool alreadySettled'],
  },
  FeeChangeScheduled: { indexed: ['uint32 modelId'], data: ['uint16 currentFeeBps', 'uint16 newFeeBps', 'uint64 effectiveAt'] },
  FeeChangeApplied: { indexed: ['uint32 modelId'], data: ['uint16 feeBps'] },
  FeesClaimed: { indexed: ['uint32 modelId', 'address operator'], data: ['uint256 amountWei'] },
  CapChanged: { indexed: ['uint32 modelId'], data: ['uint256 previousCapWei', 'uint256 newCapWei'] },
} as const satisfies Record<string, EventLayout>;

export type StakingEventName = keyof typeof LAYOUT;

export const STAKING_TOPIC: Record<StakingEventName, string> = checkLayout(stakingPoolIface, LAYOUT, 'StakingPool');

/** Events with the holder as topic 1 (a holder's own stream). */
export const STAKING_HOLDER_EVENTS: StakingEventName[] = [
  'Delegated',
  'DepositCancelled',
  'SharesIssued',
  'RedeemRequested',
  'ExitSettled',
  'Withdrawn',
];
/** Events with the model id as topic 1 (a model's stream): conversions, tranches, fees. */
export const STAKING_MODEL_EVENTS: StakingEventName[] = [
  'ModelRegistered',
  'DepositsConverted',
  'ExitsConverted',
  'TrancheStaked',
  'StakeSkipped',
  'TrancheSettled',
  'FeeChangeScheduled',
  'FeeChangeApplied',
  'FeesClaimed',
  'CapChanged',
];

export interface EventPlace {
  block: number;
  logIndex: number;
  txHash: string;
}

interface HolderFields {
  holder: string;
  modelId: number;
}

export type StakingEvent = EventPlace &
  (
    | { kind: 'ModelRegistered'; modelId: number; numeraiModelId: string; name: string; operator: string; feeBps: number; capWei: bigint }
    | ({ kind: 'Delegated' | 'DepositCancelled'; epoch: number; amountWei: bigint } & HolderFields)
    | {
        kind: 'DepositsConverted';
        modelId: number;
        epoch: number;
        amountWei: bigint;
        sharesMinted: bigint;
        navAfterWei: bigint;
        totalSharesAfter: bigint;
      }
    | ({ kind: 'SharesIssued'; epoch: number; amountWei: bigint; shares: bigint } & HolderFields)
    | ({ kind: 'RedeemRequested'; batch: number; shares: bigint; unlockRound: number; exitingShares: bigint } & HolderFields)
    | {
        kind: 'ExitsConverted';
        modelId: number;
        batch: number;
        shares: bigint;
        assetsWei: bigint;
        navAfterWei: bigint;
        totalSharesAfter: bigint;
      }
    | ({ kind: 'ExitSettled'; batch: number; shares: bigint; assetsWei: bigint } & HolderFields)
    | ({ kind: 'Withdrawn'; amountWei: bigint } & HolderFields)
    | { kind: 'TrancheStaked'; modelId: number; roundId: number; amountWei: bigint; feeBps: number }
    | { kind: 'StakeSkipped'; modelId: number; roundId: number }
    | {
        kind: 'TrancheSettled';
        modelId: number;
        roundId: number;
        principalWei: bigint;
        returnedWei: bigint;
        feeWei: bigint;
        alreadySettled: boolean;
      }
    | { kind: 'FeeChangeScheduled'; modelId: number; currentFeeBps: number; newFeeBps: number; effectiveAt: number }
    | { kind: 'FeeChangeApplied'; modelId: number; feeBps: number }
    | { kind: 'FeesClaimed'; modelId: number; operator: string; amountWei: bigint }
    | { kind: 'CapChanged'; modelId: number; previousCapWei: bigint; newCapWei: bigint }
  );

export type StakingEventOf<K extends StakingEvent['kind']> = Extract<StakingEvent, { kind: K }>;

const decode = compileDecoder(LAYOUT, STAKING_TOPIC);

/**
 * Decodes one raw log of StakingPool, or returns null for an event the history does not use. The
 * shape is the layout's (checked against the ABI at load, and against ethers' coder in the test).
 */
export function decodeStakingLog(log: RawLog): StakingEvent | null {
  return decode(log) as StakingEvent | null;
}

// ------------------------------------------------------------------ compact storage form

const STAKING_KINDS = Object.keys(LAYOUT) as StakingEventName[];
const KIND_CODE = new Map(STAKING_KINDS.map((k, i) => [k, i]));
/** Per kind, its fields in layout order (indexed, then data) and whether each is a uint256 (a bigint). */
const PACKED_FIELDS: Record<StakingEventName, { names: string[]; big: boolean[] }> = Object.fromEntries(
  STAKING_KINDS.map((k) => {
    const fields = [...LAYOUT[k].indexed, ...LAYOUT[k].data].map((f) => f.split(' ') as [string, string]);
    return [k, { names: fields.map(([, n]) => n), big: fields.map(([t]) => t === 'uint256') }];
  }),
) as Record<StakingEventName, { names: string[]; big: boolean[] }>;

/**
 * [kind code, block, logIndex, txHash, …fields in layout order]; bigints as hex strings (fast both
 * ways), the rest as decoded. Derived from the checked layout, so a new field is stored without
 * another list to keep in step.
 */
export function packStakingEvent(e: StakingEvent): unknown[] {
  const plan = PACKED_FIELDS[e.kind];
  const out: unknown[] = [KIND_CODE.get(e.kind), e.block, e.logIndex, e.txHash];
  const rec = e as unknown as Record<string, unknown>;
  for (let i = 0; i < plan.names.length; i++) {
    const v = rec[plan.names[i]!];
    out.push(plan.big[i] ? (v as bigint).toString(16) : v);
  }
  return out;
}

export function unpackStakingEvent(a: unknown[]): StakingEvent {
  const kind = STAKING_KINDS[a[0] as number];
  if (!kind || typeof a[1] !== 'number' || typeof a[2] !== 'number' || typeof a[3] !== 'string')
    throw new Error('unknown event in the history index');
  const plan = PACKED_FIELDS[kind];
  if (a.length !== 4 + plan.names.length) throw new Error(`a ${kind} of another shape in the history index`);
  const e: Record<string, unknown> = { kind, block: a[1], logIndex: a[2], txHash: a[3] };
  for (let i = 0; i < plan.names.length; i++) {
    const v = a[4 + i];
    e[plan.names[i]!] = plan.big[i] ? BigInt(`0x${v as string}`) : v;
  }
  return e as unknown as StakingEvent;
}

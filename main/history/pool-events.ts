/**
 * The pool's events the history needs, decoded straight from the log words (no ABI coder on the hot
 * path: an export reads 100,000+ logs). At load the layout below is checked against the contract's
 * ABI, so a change to an event's fields fails loudly instead of decoding garbage.
 */
import { Interface } from 'ethers';
import { poolAbi } from '../chain/contracts';
import type { RawLog } from './log-reader';
import { addr, checkLayout, hexToNumber, small, topicNamer, word, words, ZERO56, ZERO64, type EventLayout } from './log-words';

export { hexToNumber } from './log-words';

export const poolInterface = new Interface(poolAbi);

/** Expected layout: indexed fields in topic order, then data words in order. */
const LAYOUT = {
  Delegated: { indexed: ['address holder', 'uint32 modelId', 'uint32 round'], data: ['uint256 amountWei'] },
  DelegationCancelled: { indexed: ['address holder', 'uint32 modelId', 'uint32 round'], data: ['uint256 amountWei'] },
  SharesIssued: { indexed: ['address holder', 'uint32 modelId', 'uint32 round'], data: ['uint256 amountWei', 'uint256 shares'] },
  UndelegateRequested: {
    indexed: ['address holder', 'uint32 modelId', 'uint32 round'],
    data: ['uint256 shares', 'uint32 unlockRound', 'uint256 pendingOutSharesTotal'],
  },
  ExitSettled: { indexed: ['address holder', 'uint32 modelId', 'uint32 unlockRound'], data: ['uint256 shares', 'uint256 amountWei'] },
  Withdrawn: { indexed: ['address holder', 'uint32 modelId'], data: ['uint256 amountWei'] },
  RoundResolved: {
    indexed: ['uint32 round', 'uint32 modelId'],
    data: [
      'int16 returnBps',
      'uint256 stakeBeforeWei',
      'uint256 stakeAfterWei',
      'uint256 rewardWei',
      'uint256 feeWei',
      'uint256 burnedWei',
      'uint256 depositsInWei',
      'uint256 sharesMinted',
      'uint256 exitSharesBurned',
      'uint256 exitAssetsWei',
      'uint256 totalSharesAfter',
    ],
  },
  RoundClosed: { indexed: ['uint32 round'], data: ['uint256 reserveAfterWei'] },
  ModelRegistered: { indexed: ['uint32 modelId', 'address operator'], data: ['string name', 'uint16 feeBps', 'uint256 capWei'] },
} as const satisfies Record<string, EventLayout>;

export type EventName = keyof typeof LAYOUT;

export const TOPIC: Record<EventName, string> = checkLayout(poolInterface, LAYOUT, 'pool');
const nameOf = topicNamer(TOPIC);

/** Events with the holder as first indexed field (topic 1). */
export const HOLDER_EVENTS: EventName[] = [
  'Delegated',
  'DelegationCancelled',
  'SharesIssued',
  'UndelegateRequested',
  'ExitSettled',
  'Withdrawn',
];
/** Events of one model with the model id as topic 2 and the round as topic 3 (for catch-up flows). */
export const FLOW_EVENTS: EventName[] = ['Delegated', 'DelegationCancelled', 'UndelegateRequested'];

interface Base {
  block: number;
  logIndex: number;
  txHash: string;
}

export type PoolEvent = Base &
  (
    | { kind: 'Delegated'; holder: string; modelId: number; round: number; amountWei: bigint }
    | { kind: 'DelegationCancelled'; holder: string; modelId: number; round: number; amountWei: bigint }
    | { kind: 'SharesIssued'; holder: string; modelId: number; round: number; amountWei: bigint; shares: bigint }
    | {
        kind: 'UndelegateRequested';
        holder: string;
        modelId: number;
        round: number;
        shares: bigint;
        unlockRound: number;
        pendingOutSharesTotal: bigint;
      }
    | { kind: 'ExitSettled'; holder: string; modelId: number; unlockRound: number; shares: bigint; amountWei: bigint }
    | { kind: 'Withdrawn'; holder: string; modelId: number; amountWei: bigint }
    | {
        kind: 'RoundResolved';
        round: number;
        modelId: number;
        returnBps: number;
        stakeBeforeWei: bigint;
        stakeAfterWei: bigint;
        rewardWei: bigint;
        feeWei: bigint;
        burnedWei: bigint;
        depositsInWei: bigint;
        sharesMinted: bigint;
        exitSharesBurned: bigint;
        exitAssetsWei: bigint;
        totalSharesAfter: bigint;
      }
    | { kind: 'RoundClosed'; round: number; reserveAfterWei: bigint }
    | { kind: 'ModelRegistered'; modelId: number; name: string; operator: string; feeBps: number; capWei: bigint }
  );

export type EventOf<K extends PoolEvent['kind']> = Extract<PoolEvent, { kind: K }>;

const ZERO60 = ZERO64.slice(4);
/** Hex of bytes below 0x80. */
const ASCII_HEX = /^(?:[0-7][0-9a-fA-F])*$/;
const int16 = (v: bigint): number => Number(BigInt.asIntN(256, v));

/**
 * ModelRegistered's data (string name, uint16 feeBps, uint256 capWei) as the contract emits it: the
 * name right after the three head words, ASCII, fee below 2^16. Anything else (null) goes through
 * ethers' ABI coder, which decides as before.
 */
function modelRegisteredData(d: string): { name: string; feeBps: number; capWei: bigint } | null {
  // Word 0: the name's offset (0x60); word 1: the fee (< 2^16); word 3: the name's length (< 2^32).
  if (
    d.length < 2 + 64 * 4 ||
    !d.startsWith(ZERO56, 2) ||
    d.slice(58, 66) !== '00000060' ||
    !d.startsWith(ZERO60, 66) ||
    !d.startsWith(ZERO56, 194)
  )
    return null;
  const fee = Number(`0x${d.slice(126, 130)}`);
  const len = Number(`0x${d.slice(250, 258)}`);
  const start = 2 + 64 * 4;
  if (!Number.isInteger(fee) || !Number.isInteger(len) || d.length < start + Math.ceil(len / 32) * 64) return null;
  const hex = d.slice(start, start + 2 * len);
  if (!ASCII_HEX.test(hex)) return null;
  const name = Buffer.from(hex, 'hex').toString('latin1');
  return { name, feeBps: fee, capWei: word(d, 2) };
}

/** Decodes one raw log of the pool, or returns null for an event the history does not use. */
export function decodeLog(log: RawLog): PoolEvent | null {
  const t = log.topics;
  const name = nameOf(t[0]);
  if (!name) return null;
  const block = hexToNumber(log.blockNumber);
  const logIndex = hexToNumber(log.logIndex);
  const txHash = log.transactionHash.toLowerCase();
  const d = log.data;
  switch (name) {
    case 'Delegated':
    case 'DelegationCancelled':
      words(d, 1);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        holder: addr(t[1]!),
        modelId: small(t[2]!),
        round: small(t[3]!),
        amountWei: word(d, 0),
      };
    case 'SharesIssued':
      words(d, 2);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        holder: addr(t[1]!),
        modelId: small(t[2]!),
        round: small(t[3]!),
        amountWei: word(d, 0),
        shares: word(d, 1),
      };
    case 'UndelegateRequested':
      words(d, 3);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        holder: addr(t[1]!),
        modelId: small(t[2]!),
        round: small(t[3]!),
        shares: word(d, 0),
        unlockRound: Number(word(d, 1)),
        pendingOutSharesTotal: word(d, 2),
      };
    case 'ExitSettled':
      words(d, 2);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        holder: addr(t[1]!),
        modelId: small(t[2]!),
        unlockRound: small(t[3]!),
        shares: word(d, 0),
        amountWei: word(d, 1),
      };
    case 'Withdrawn':
      words(d, 1);
      return { block, logIndex, txHash, kind: name, holder: addr(t[1]!), modelId: small(t[2]!), amountWei: word(d, 0) };
    case 'RoundResolved':
      words(d, 11);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        round: small(t[1]!),
        modelId: small(t[2]!),
        returnBps: int16(word(d, 0)),
        stakeBeforeWei: word(d, 1),
        stakeAfterWei: word(d, 2),
        rewardWei: word(d, 3),
        feeWei: word(d, 4),
        burnedWei: word(d, 5),
        depositsInWei: word(d, 6),
        sharesMinted: word(d, 7),
        exitSharesBurned: word(d, 8),
        exitAssetsWei: word(d, 9),
        totalSharesAfter: word(d, 10),
      };
    case 'RoundClosed':
      words(d, 1);
      return { block, logIndex, txHash, kind: name, round: small(t[1]!), reserveAfterWei: word(d, 0) };
    case 'ModelRegistered': {
      let fields = modelRegisteredData(d);
      if (!fields) {
        const parsed = poolInterface.decodeEventLog('ModelRegistered', d, t);
        fields = {
          name: String(parsed.getValue('name')),
          feeBps: Number(parsed.getValue('feeBps')),
          capWei: BigInt(parsed.getValue('capWei') as bigint),
        };
      }
      return { block, logIndex, txHash, kind: name, modelId: small(t[1]!), operator: addr(t[2]!), ...fields };
    }
  }
}

/** Orders events as the chain did. */
export function compareEvents(a: Base, b: Base): number {
  return a.block - b.block || a.logIndex - b.logIndex;
}

// ------------------------------------------------------------------ compact storage form

const KIND_CODES: PoolEvent['kind'][] = [
  'Delegated',
  'DelegationCancelled',
  'SharesIssued',
  'UndelegateRequested',
  'ExitSettled',
  'Withdrawn',
  'RoundResolved',
  'RoundClosed',
  'ModelRegistered',
];
const FIELDS: Record<PoolEvent['kind'], string[]> = {
  Delegated: ['holder', 'modelId', 'round', 'amountWei'],
  DelegationCancelled: ['holder', 'modelId', 'round', 'amountWei'],
  SharesIssued: ['holder', 'modelId', 'round', 'amountWei', 'shares'],
  UndelegateRequested: ['holder', 'modelId', 'round', 'shares', 'unlockRound', 'pendingOutSharesTotal'],
  ExitSettled: ['holder', 'modelId', 'unlockRound', 'shares', 'amountWei'],
  Withdrawn: ['holder', 'modelId', 'amountWei'],
  RoundResolved: [
    'round',
    'modelId',
    'returnBps',
    'stakeBeforeWei',
    'stakeAfterWei',
    'rewardWei',
    'feeWei',
    'burnedWei',
    'depositsInWei',
    'sharesMinted',
    'exitSharesBurned',
    'exitAssetsWei',
    'totalSharesAfter',
  ],
  RoundClosed: ['round', 'reserveAfterWei'],
  ModelRegistered: ['modelId', 'name', 'operator', 'feeBps', 'capWei'],
};
const BIGINT_FIELDS = new Set([
  'amountWei',
  'shares',
  'pendingOutSharesTotal',
  'stakeBeforeWei',
  'stakeAfterWei',
  'rewardWei',
  'feeWei',
  'burnedWei',
  'depositsInWei',
  'sharesMinted',
  'exitSharesBurned',
  'exitAssetsWei',
  'totalSharesAfter',
  'reserveAfterWei',
  'capWei',
]);

/** [kind code, block, logIndex, txHash, …fields in FIELDS order]; bigints as hex strings (fast both ways). */
export function packEvent(e: PoolEvent): unknown[] {
  const h = (v: bigint) => v.toString(16);
  // Spelled out per kind (the same order as FIELDS): an export packs 100,000+ events.
  switch (e.kind) {
    case 'Delegated':
      return [0, e.block, e.logIndex, e.txHash, e.holder, e.modelId, e.round, h(e.amountWei)];
    case 'DelegationCancelled':
      return [1, e.block, e.logIndex, e.txHash, e.holder, e.modelId, e.round, h(e.amountWei)];
    case 'SharesIssued':
      return [2, e.block, e.logIndex, e.txHash, e.holder, e.modelId, e.round, h(e.amountWei), h(e.shares)];
    case 'UndelegateRequested':
      return [3, e.block, e.logIndex, e.txHash, e.holder, e.modelId, e.round, h(e.shares), e.unlockRound, h(e.pendingOutSharesTotal)];
    case 'ExitSettled':
      return [4, e.block, e.logIndex, e.txHash, e.holder, e.modelId, e.unlockRound, h(e.shares), h(e.amountWei)];
    case 'Withdrawn':
      return [5, e.block, e.logIndex, e.txHash, e.holder, e.modelId, h(e.amountWei)];
    case 'RoundResolved':
      return [
        6,
        e.block,
        e.logIndex,
        e.txHash,
        e.round,
        e.modelId,
        e.returnBps,
        h(e.stakeBeforeWei),
        h(e.stakeAfterWei),
        h(e.rewardWei),
        h(e.feeWei),
        h(e.burnedWei),
        h(e.depositsInWei),
        h(e.sharesMinted),
        h(e.exitSharesBurned),
        h(e.exitAssetsWei),
        h(e.totalSharesAfter),
      ];
    case 'RoundClosed':
      return [7, e.block, e.logIndex, e.txHash, e.round, h(e.reserveAfterWei)];
    case 'ModelRegistered':
      return [8, e.block, e.logIndex, e.txHash, e.modelId, e.name, e.operator, e.feeBps, h(e.capWei)];
  }
}

export function unpackEvent(a: unknown[]): PoolEvent {
  const kind = KIND_CODES[a[0] as number];
  if (!kind) throw new Error('unknown event code in the history index');
  const e: Record<string, unknown> = { kind, block: a[1], logIndex: a[2], txHash: a[3] };
  const fields = FIELDS[kind];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = a[4 + i];
    e[f] = BIGINT_FIELDS.has(f) ? BigInt(`0x${v as string}`) : v;
  }
  return e as unknown as PoolEvent;
}

export function topicForNumber(n: number): string {
  return `0x${n.toString(16).padStart(64, '0')}`;
}

export function topicForAddress(a: string): string {
  return `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;
}

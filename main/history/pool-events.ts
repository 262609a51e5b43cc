/**
 * The pool's events the history needs, decoded straight from the log words (no ABI coder on the hot
 * path: an export reads 100,000+ logs). At load the layout below is checked against the contract's
 * ABI, so a change to an event's fields fails loudly instead of decoding garbage.
 */
import { Interface } from 'ethers';
import { poolAbi } from '../chain/contracts';
import type { RawLog } from './log-reader';

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
} as const;

export type EventName = keyof typeof LAYOUT;

function checkLayout(): Record<EventName, string> {
  const topics = {} as Record<EventName, string>;
  for (const [name, want] of Object.entries(LAYOUT) as [EventName, (typeof LAYOUT)[EventName]][]) {
    const ev = poolInterface.getEvent(name);
    if (!ev) throw new Error(`The pool ABI has no ${name} event; main/history must be updated.`);
    const indexed = ev.inputs.filter((i) => i.indexed).map((i) => `${i.type} ${i.name}`);
    const data = ev.inputs.filter((i) => !i.indexed).map((i) => `${i.type} ${i.name}`);
    if (indexed.join() !== want.indexed.join() || data.join() !== want.data.join()) {
      throw new Error(`The pool's ${name} event changed (${ev.format('full')}); main/history must be updated.`);
    }
    topics[name] = ev.topicHash;
  }
  return topics;
}

export const TOPIC: Record<EventName, string> = checkLayout();
const NAME_BY_TOPIC = new Map<string, EventName>(Object.entries(TOPIC).map(([n, t]) => [t, n as EventName]));

/** Events with the holder as first indexed field (topic 1). */
export const HOLDER_EVENTS: EventName[] = ['Delegated', 'DelegationCancelled', 'SharesIssued', 'UndelegateRequested', 'ExitSettled', 'Withdrawn'];
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

const word = (data: string, i: number): bigint => {
  const s = data.slice(2 + 64 * i, 66 + 64 * i);
  if (s.length !== 64) throw new Error('log data is shorter than its event');
  return BigInt(`0x${s}`);
};
const ZERO56 = '0'.repeat(56);
const small = (hex: string): number => {
  // A uint32 topic: 56 zero digits, then 8 hex digits.
  if (hex.length !== 66 || hex.slice(2, 58) !== ZERO56) throw new Error('value out of range for uint32');
  return parseInt(hex.slice(58), 16);
};
const addr = (topic: string): string => `0x${topic.slice(26).toLowerCase()}`;
const int16 = (v: bigint): number => Number(BigInt.asIntN(256, v));

export function hexToNumber(h: string): number {
  const v = parseInt(h, 16);
  if (!Number.isSafeInteger(v)) throw new Error(`bad number ${h}`);
  return v;
}

/** Decodes one raw log of the pool, or returns null for an event the history does not use. */
export function decodeLog(log: RawLog): PoolEvent | null {
  const t = log.topics;
  const name = t[0] ? NAME_BY_TOPIC.get(t[0].toLowerCase()) : undefined;
  if (!name) return null;
  const block = hexToNumber(log.blockNumber);
  const logIndex = hexToNumber(log.logIndex);
  const txHash = log.transactionHash.toLowerCase();
  const d = log.data;
  switch (name) {
    case 'Delegated':
    case 'DelegationCancelled':
      return { block, logIndex, txHash, kind: name, holder: addr(t[1]!), modelId: small(t[2]!), round: small(t[3]!), amountWei: word(d, 0) };
    case 'SharesIssued':
      return { block, logIndex, txHash, kind: name, holder: addr(t[1]!), modelId: small(t[2]!), round: small(t[3]!), amountWei: word(d, 0), shares: word(d, 1) };
    case 'UndelegateRequested':
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
      return { block, logIndex, txHash, kind: name, holder: addr(t[1]!), modelId: small(t[2]!), unlockRound: small(t[3]!), shares: word(d, 0), amountWei: word(d, 1) };
    case 'Withdrawn':
      return { block, logIndex, txHash, kind: name, holder: addr(t[1]!), modelId: small(t[2]!), amountWei: word(d, 0) };
    case 'RoundResolved':
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
      return { block, logIndex, txHash, kind: name, round: small(t[1]!), reserveAfterWei: word(d, 0) };
    case 'ModelRegistered': {
      const parsed = poolInterface.decodeEventLog('ModelRegistered', d, t);
      return {
        block,
        logIndex,
        txHash,
        kind: name,
        modelId: small(t[1]!),
        operator: addr(t[2]!),
        name: String(parsed.getValue('name')),
        feeBps: Number(parsed.getValue('feeBps')),
        capWei: BigInt(parsed.getValue('capWei') as bigint),
      };
    }
  }
}

/** Orders events as the chain did. */
export function compareEvents(a: Base, b: Base): number {
  return a.block - b.block || a.logIndex - b.logIndex;
}

export function eventKey(e: Base): string {
  return `${e.txHash}:${e.logIndex}`;
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
const CODE_OF = new Map(KIND_CODES.map((k, i) => [k, i]));
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

/** [kind code, block, logIndex, txHash, …fields]; bigints as hex strings (fast both ways). */
export function packEvent(e: PoolEvent): unknown[] {
  const rec = e as unknown as Record<string, unknown>;
  const out: unknown[] = [CODE_OF.get(e.kind), e.block, e.logIndex, e.txHash];
  for (const f of FIELDS[e.kind]) {
    const v = rec[f];
    out.push(typeof v === 'bigint' ? v.toString(16) : v);
  }
  return out;
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

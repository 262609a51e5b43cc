/**
 * The machinery of the fast event decoder (staking-events.ts): reading words and topics straight
 * from a log's hex, the topics of filters, and the check, at load, that a decoder's expected layout
 * is the contract's ABI.
 */
import type { Interface } from 'ethers';

/** Expected layout of one event: indexed fields in topic order, then data words in order. */
export interface EventLayout {
  readonly indexed: readonly string[];
  readonly data: readonly string[];
}

/**
 * Each event's topic hash, after checking that the ABI has the event with exactly this layout: a
 * change to an event's fields fails loudly instead of decoding garbage. `contract` names it in errors.
 */
export function checkLayout<N extends string>(iface: Interface, layout: Record<N, EventLayout>, contract: string): Record<N, string> {
  const topics = {} as Record<N, string>;
  for (const [name, want] of Object.entries(layout) as [N, EventLayout][]) {
    const ev = iface.getEvent(name);
    if (!ev) throw new Error(`The ${contract} ABI has no ${name} event; main/history must be updated.`);
    const indexed = ev.inputs.filter((i) => i.indexed).map((i) => `${i.type} ${i.name}`);
    const data = ev.inputs.filter((i) => !i.indexed).map((i) => `${i.type} ${i.name}`);
    if (indexed.join() !== want.indexed.join() || data.join() !== want.data.join()) {
      throw new Error(`The ${contract}'s ${name} event changed (${ev.format('full')}); main/history must be updated.`);
    }
    topics[name] = ev.topicHash;
  }
  return topics;
}

/**
 * Name by topic 0, remembering the last one: logs come in long runs of one event. Node answers are
 * lower-case; a mixed-case topic is looked up again lower-cased.
 */
export function topicNamer<N extends string>(topics: Record<N, string>): (t0: string | undefined) => N | undefined {
  const byTopic = new Map<string, N>(Object.entries(topics).map(([n, t]) => [t as string, n as N]));
  let lastTopic = '';
  let lastName: N | undefined;
  return (t0) => {
    if (t0 === lastTopic) return lastName;
    const name = t0 ? (byTopic.get(t0) ?? byTopic.get(t0.toLowerCase())) : undefined;
    if (!name) return undefined;
    lastTopic = t0!;
    lastName = name;
    return name;
  };
}

export const ZERO64 = '0'.repeat(64);
export const ZERO56 = ZERO64.slice(8);
const ZERO50 = ZERO64.slice(14);

/** Data word `i` as a uint256 (the caller has checked that the data holds it). */
export const word = (data: string, i: number): bigint => {
  const s = data.slice(2 + 64 * i, 66 + 64 * i);
  // Many words are 0 (no reward, no deposits, …): nothing to parse for those. (A slice compared is
  // faster than startsWith at an offset.)
  return s === ZERO64 ? 0n : BigInt(`0x${s}`);
};

/** Throws unless the log's data holds `n` words. */
export const words = (data: string, n: number): string => {
  if (data.length < 2 + 64 * n) throw new Error('log data is shorter than its event');
  return data;
};

/** A uint32 topic: 56 zero digits, then 8 hex digits. */
export const small = (hex: string): number => {
  if (hex.length !== 66 || hex.slice(2, 58) !== ZERO56) throw new Error('value out of range for uint32');
  return parseInt(hex.slice(58), 16);
};

/** A uint64 topic or word as a number; refuses values above 2^53 (Numerai's rounds are far below). */
export const safeU64 = (hex: string): number => {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (h.length !== 64 || h.slice(0, 50) !== ZERO50) throw new Error('value out of range for a round number');
  const v = parseInt(h.slice(50), 16);
  if (!Number.isSafeInteger(v)) throw new Error('value out of range for a round number');
  return v;
};

/** Data word `i` as a hex string (for safeU64). */
export const wordHex = (data: string, i: number): string => data.slice(2 + 64 * i, 66 + 64 * i);

export const addr = (topic: string): string => `0x${topic.slice(26).toLowerCase()}`;

export function hexToNumber(h: string): number {
  const v = parseInt(h, 16);
  if (!Number.isSafeInteger(v)) throw new Error(`bad number ${h}`);
  return v;
}

const ZERO24 = ZERO64.slice(40);

/** An address data word: 12 zero bytes, then the address (ethers' coder refuses other bits too). */
const wordAddress = (data: string, i: number): string => {
  const s = wordHex(data, i);
  if (s.slice(0, 24) !== ZERO24 || s.length !== 64) throw new Error('an address word with bits above its 20 bytes');
  return `0x${s.slice(24).toLowerCase()}`;
};

/** Strict UTF-8, as ethers' toUtf8String; a leading byte-order mark is kept, as ethers keeps it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A `string` field: its head word is the byte offset of a length word, the bytes follow. The last
 * word's padding may be missing, as ethers' coder allows for event data; unchecked, as there.
 */
const wordString = (data: string, i: number): string => {
  const bytes = (data.length - 2) / 2;
  const at = word(data, i);
  if (at > BigInt(bytes - 32)) throw new Error('a string offset past the end of the log data');
  // ethers reads the offset as given, aligned or not: so do we.
  const lengthAt = 2 + 2 * Number(at);
  const lengthHex = data.slice(lengthAt, lengthAt + 64);
  const length = lengthHex === ZERO64 ? 0n : BigInt(`0x${lengthHex}`);
  if (length > BigInt(bytes - Number(at) - 32)) throw new Error('log data is shorter than its string');
  const hex = data.slice(lengthAt + 64, lengthAt + 64 + 2 * Number(length));
  const raw = Buffer.from(hex, 'hex');
  // Buffer.from stops at the first character that is not hex.
  if (raw.length * 2 !== hex.length) throw new Error('log data that is not hex');
  return utf8.decode(raw);
};

/** One field's value read from a topic or a data word, by its ABI type. */
type FieldValue = string | number | bigint | boolean;
const TOPIC_READERS: Record<string, (topic: string) => FieldValue> = {
  address: addr,
  uint32: small,
  uint64: safeU64,
  bytes32: (t) => t.toLowerCase(),
};
const WORD_READERS: Record<string, (data: string, i: number) => FieldValue> = {
  uint256: word,
  uint64: (d, i) => safeU64(wordHex(d, i)),
  uint32: (d, i) => Number(word(d, i) & 0xffffffffn),
  // Masked as ethers' coder masks them.
  uint16: (d, i) => Number(word(d, i) & 0xffffn),
  bool: (d, i) => word(d, i) !== 0n,
  address: wordAddress,
  string: wordString,
};

export interface DecodedPlace {
  block: number;
  logIndex: number;
  txHash: string;
}

/**
 * A decoder for every event of `layout` (checked against the ABI by `checkLayout` first), built at
 * load from the field types: `{ block, logIndex, txHash, kind, …fields by their ABI names }`, or null
 * for an event it does not know.
 */
export function compileDecoder<N extends string>(
  layout: Record<N, EventLayout>,
  topics: Record<N, string>,
): (log: RawLogLike) => (DecodedPlace & { kind: N } & Record<string, FieldValue>) | null {
  const plans = {} as Record<N, (log: RawLogLike, out: Record<string, FieldValue>) => void>;
  for (const [name, l] of Object.entries(layout) as [N, EventLayout][]) {
    const split = (f: string) => f.split(' ') as [string, string];
    const indexed = l.indexed.map(split);
    const data = l.data.map(split);
    for (const [type] of indexed) if (!(type in TOPIC_READERS)) throw new Error(`no topic reader for ${type}`);
    for (const [type] of data) if (!(type in WORD_READERS)) throw new Error(`no data reader for ${type}`);
    plans[name] = (log, out) => {
      for (let i = 0; i < indexed.length; i++) out[indexed[i]![1]] = TOPIC_READERS[indexed[i]![0]]!(log.topics[i + 1]!);
      words(log.data, data.length);
      for (let i = 0; i < data.length; i++) out[data[i]![1]] = WORD_READERS[data[i]![0]]!(log.data, i);
    };
  }
  const nameOf = topicNamer(topics);
  return (log) => {
    const name = nameOf(log.topics[0]);
    if (!name) return null;
    const out: Record<string, FieldValue> = {
      block: hexToNumber(log.blockNumber),
      logIndex: hexToNumber(log.logIndex),
      txHash: log.transactionHash.toLowerCase(),
      kind: name,
    };
    plans[name](log, out);
    return out as DecodedPlace & { kind: N } & Record<string, FieldValue>;
  };
}

/** The parts of a raw log the decoders read. */
export interface RawLogLike {
  topics: readonly string[];
  data: string;
  blockNumber: string;
  logIndex: string;
  transactionHash: string;
}

/** A number as a filter's topic (a uint indexed field). */
export function topicForNumber(n: number): string {
  return `0x${n.toString(16).padStart(64, '0')}`;
}

/** An address as a filter's topic. */
export function topicForAddress(a: string): string {
  return `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;
}

import { getAddress, makeError, type FunctionFragment, type ParamType } from 'ethers';

/** A decoded word: uintN and intN as bigint, address (checksummed) and bytesN as hex, bool. */
export type WordValue = bigint | string | boolean;

/** Encodes the arguments and decodes the answer of one view function whose values are all words. */
export interface WordCall {
  /** The call's data: selector and arguments. */
  data(args: readonly unknown[]): string;
  /** The answer as a plain object: a single tuple output's fields, or the outputs, by name. */
  result(hex: string): Record<string, WordValue>;
}

type Kind = { t: 'uint' | 'int'; bits: number } | { t: 'address' } | { t: 'bool' } | { t: 'bytes'; size: number };

function kindOf(p: ParamType): Kind | null {
  const m = /^(u?int)(\d*)$/.exec(p.type);
  if (m) return { t: m[1] === 'uint' ? 'uint' : 'int', bits: Number(m[2] || 256) };
  if (p.type === 'address') return { t: 'address' };
  if (p.type === 'bool') return { t: 'bool' };
  const b = /^bytes(\d+)$/.exec(p.type);
  return b ? { t: 'bytes', size: Number(b[1]) } : null;
}

const badArgument = (fn: FunctionFragment, i: number, value: unknown): Error =>
  makeError(`invalid argument ${i} of ${fn.format()}`, 'INVALID_ARGUMENT', { argument: `args[${i}]`, value });

function encodeWord(k: Kind, v: unknown, fail: () => Error): string {
  if (k.t === 'address') {
    if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw fail();
    return v.slice(2).toLowerCase().padStart(64, '0');
  }
  if (k.t === 'bool') {
    if (typeof v !== 'boolean') throw fail();
    return (v ? '1' : '0').padStart(64, '0');
  }
  if (k.t === 'bytes') {
    if (typeof v !== 'string' || v.length !== 2 + 2 * k.size || !/^0x[0-9a-fA-F]*$/.test(v)) throw fail();
    return v.slice(2).toLowerCase().padEnd(64, '0');
  }
  if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isSafeInteger(v))) throw fail();
  const n = BigInt(v);
  const limit = 1n << BigInt(k.t === 'uint' ? k.bits : k.bits - 1);
  if (k.t === 'uint' ? n < 0n || n >= limit : n < -limit || n >= limit) throw fail();
  return (n < 0n ? (1n << 256n) + n : n).toString(16).padStart(64, '0');
}

/** Addresses already checksummed (a keccak each): the pool's lists read the same ones block after block. */
const checksums = new Map<string, string>();
const MAX_CHECKSUMS = 4096;

function checksummed(lowerHex: string): string {
  let address = checksums.get(lowerHex);
  if (address === undefined) {
    address = getAddress(`0x${lowerHex}`);
    if (checksums.size >= MAX_CHECKSUMS) checksums.clear();
    checksums.set(lowerHex, address);
  }
  return address;
}

/** One word as its type says, or undefined when the word cannot be that type (a node that lies). */
function decodeWord(k: Kind, w: string): WordValue | undefined {
  if (k.t === 'address') return /^0{24}/.test(w) ? checksummed(w.slice(24).toLowerCase()) : undefined;
  if (k.t === 'bytes') return /^0*$/.test(w.slice(2 * k.size)) ? `0x${w.slice(0, 2 * k.size)}` : undefined;
  const n = BigInt(`0x${w}`);
  if (k.t === 'bool') return n === 0n ? false : n === 1n ? true : undefined;
  if (k.t === 'uint') return n < 1n << BigInt(k.bits) ? n : undefined;
  // Two's complement: the upper bits must all repeat the sign bit.
  const v = n >= 1n << 255n ? n - (1n << 256n) : n;
  const limit = 1n << BigInt(k.bits - 1);
  return v >= -limit && v < limit ? v : undefined;
}

/** How a view's inputs, all words, are encoded after its selector. */
function inputsOf(fn: FunctionFragment): ((args: readonly unknown[]) => string) | null {
  const inputs = fn.inputs.map(kindOf);
  if (inputs.some((k) => k === null)) return null;
  const ins = inputs as Kind[];
  // ethers hashes the signature again each time the selector is asked for.
  const selector = fn.selector;
  return (args) => {
    if (args.length !== ins.length)
      throw makeError(`${fn.format()} takes ${ins.length} arguments`, 'INVALID_ARGUMENT', { argument: 'args', value: args });
    return selector + ins.map((k, i) => encodeWord(k, args[i], () => badArgument(fn, i, args[i]))).join('');
  };
}

/** A tuple's (or a list of outputs') fields when every one is a named word; null otherwise. */
function wordFields(fields: readonly ParamType[]): { names: string[]; kinds: Kind[] } | null {
  const kinds = fields.map(kindOf);
  if (fields.length === 0 || kinds.some((k) => k === null) || fields.some((f) => !f.name)) return null;
  return { names: fields.map((f) => f.name), kinds: kinds as Kind[] };
}

/** The fields at word `at` of `hex` (0x and whole words, checked by the caller); undefined when one does not fit its type. */
function fieldsAt(hex: string, at: number, f: { names: string[]; kinds: Kind[] }): Record<string, WordValue> | undefined {
  const out: Record<string, WordValue> = {};
  for (let i = 0; i < f.kinds.length; i++) {
    const v = decodeWord(f.kinds[i]!, hex.slice(2 + 64 * (at + i), 2 + 64 * (at + i + 1)).toLowerCase());
    if (v === undefined) return undefined;
    out[f.names[i]!] = v;
  }
  return out;
}

const badResult = (fn: FunctionFragment) => (hex: string) =>
  makeError('could not decode result data', 'BAD_DATA', { value: hex, info: { method: fn.name, signature: fn.format() } });

/** As ethers: 0x and whole 32-byte words. */
const wholeWords = (hex: unknown): hex is string => typeof hex === 'string' && /^0x[0-9a-fA-F]*$/.test(hex) && (hex.length - 2) % 64 === 0;

/**
 * A WordCall for `fn` when every input is a word type and its outputs are words or one tuple of
 * words; null otherwise (ethers' AbiCoder handles the rest). Hand-written for a measured reason:
 * ethers decodes into Proxy-backed Results and copies each answer's bytes several times, and the
 * first screen's 200 `model(id)` reads spent ~0.6 ms each there, ~120 ms of a start's CPU; a word is
 * a slice of hex. The checks are ethers' and stricter: an answer that is not whole words, is too
 * short, or holds a value that does not fit its type is BAD_DATA (ethers masks such values
 * silently), which tx-errors.ts reports as a node's bad answer.
 */
export function wordCall(fn: FunctionFragment): WordCall | null {
  const data = inputsOf(fn);
  const only = fn.outputs.length === 1 ? fn.outputs[0]! : null;
  const fields = wordFields(only?.baseType === 'tuple' ? (only.components ?? []) : fn.outputs);
  if (!data || !fields) return null;
  const bad = badResult(fn);
  return {
    data,
    result(hex) {
      // At least one word per output; more are ignored, as ethers ignores them.
      if (!wholeWords(hex) || hex.length < 2 + 64 * fields.kinds.length) throw bad(String(hex));
      const out = fieldsAt(hex, 0, fields);
      if (!out) throw bad(hex);
      return out;
    },
  };
}

/** Encodes the arguments and decodes the answer of a view that answers a list of tuples of words. */
export interface WordListCall {
  data(args: readonly unknown[]): string;
  /** Each tuple of the list as a plain object of its fields, by name. */
  results(hex: string): Record<string, WordValue>[];
}

/**
 * A WordListCall for `fn` when every input is a word type and its one output is a dynamic array of
 * tuples of words (StakingPool's `modelViews`); null otherwise. The same reasons and checks as
 * wordCall's, and the array's: its offset and length must point inside the answer.
 */
export function wordListCall(fn: FunctionFragment): WordListCall | null {
  const data = inputsOf(fn);
  const only = fn.outputs.length === 1 ? fn.outputs[0]! : null;
  const item = only?.baseType === 'array' && only.arrayLength === -1 ? only.arrayChildren : null;
  const fields = item?.baseType === 'tuple' ? wordFields(item.components ?? []) : null;
  if (!data || !fields) return null;
  const bad = badResult(fn);
  const k = fields.kinds.length;
  return {
    data,
    results(hex) {
      if (!wholeWords(hex) || hex.length < 2 + 64 * 2) throw bad(String(hex));
      const words = (hex.length - 2) / 64;
      const word = (i: number) => BigInt(`0x${hex.slice(2 + 64 * i, 2 + 64 * (i + 1))}`);
      const offset = word(0);
      if (offset % 32n !== 0n || offset / 32n >= BigInt(words)) throw bad(hex);
      const at = Number(offset / 32n);
      const n = word(at);
      if (n > BigInt(Math.floor((words - at - 1) / k))) throw bad(hex);
      const out: Record<string, WordValue>[] = [];
      for (let i = 0; i < Number(n); i++) {
        const item = fieldsAt(hex, at + 1 + i * k, fields);
        if (!item) throw bad(hex);
        out.push(item);
      }
      return out;
    },
  };
}

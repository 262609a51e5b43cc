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

/** One word as its type says, or undefined when the word cannot be that type (a node that lies). */
function decodeWord(k: Kind, w: string): WordValue | undefined {
  if (k.t === 'address') return /^0{24}/.test(w) ? getAddress(`0x${w.slice(24)}`) : undefined;
  if (k.t === 'bytes') return /^0*$/.test(w.slice(2 * k.size)) ? `0x${w.slice(0, 2 * k.size)}` : undefined;
  const n = BigInt(`0x${w}`);
  if (k.t === 'bool') return n === 0n ? false : n === 1n ? true : undefined;
  if (k.t === 'uint') return n < 1n << BigInt(k.bits) ? n : undefined;
  // Two's complement: the upper bits must all repeat the sign bit.
  const v = n >= 1n << 255n ? n - (1n << 256n) : n;
  const limit = 1n << BigInt(k.bits - 1);
  return v >= -limit && v < limit ? v : undefined;
}

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
  const inputs = fn.inputs.map(kindOf);
  if (inputs.some((k) => k === null)) return null;
  const only = fn.outputs.length === 1 ? fn.outputs[0]! : null;
  const fields: readonly ParamType[] = only?.baseType === 'tuple' ? (only.components ?? []) : fn.outputs;
  const outputs = fields.map(kindOf);
  if (fields.length === 0 || outputs.some((k) => k === null) || fields.some((f) => !f.name)) return null;
  const ins = inputs as Kind[];
  const outs = outputs as Kind[];
  const bad = (hex: string) =>
    makeError('could not decode result data', 'BAD_DATA', { value: hex, info: { method: fn.name, signature: fn.format() } });
  return {
    data(args) {
      if (args.length !== ins.length)
        throw makeError(`${fn.format()} takes ${ins.length} arguments`, 'INVALID_ARGUMENT', { argument: 'args', value: args });
      return fn.selector + ins.map((k, i) => encodeWord(k, args[i], () => badArgument(fn, i, args[i]))).join('');
    },
    result(hex) {
      // As ethers: whole 32-byte words, at least one per output; more are ignored.
      if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]*$/.test(hex) || (hex.length - 2) % 64 !== 0 || hex.length < 2 + 64 * outs.length)
        throw bad(String(hex));
      const out: Record<string, WordValue> = {};
      for (let i = 0; i < outs.length; i++) {
        const v = decodeWord(outs[i]!, hex.slice(2 + 64 * i, 2 + 64 * (i + 1)).toLowerCase());
        if (v === undefined) throw bad(hex);
        out[fields[i]!.name] = v;
      }
      return out;
    },
  };
}

import { AbiCoder, Interface, Wallet, isError, type FunctionFragment, type ParamType, type Result } from 'ethers';
import { describe, expect, it } from 'vitest';
import { numeraiStakingAbi, stakingPoolAbi, tokenAbi } from './contracts';
import { wordCall, wordListCall } from './word-call';

const coder = AbiCoder.defaultAbiCoder();
const ifaces = [new Interface(stakingPoolAbi), new Interface(numeraiStakingAbi), new Interface(tokenAbi)];

/** A deterministic stream of values for `seed`. */
function values(seed: number) {
  let x = seed * 2654435761 + 1;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  return (p: ParamType, extreme: boolean): unknown => {
    const m = /^(u?int)(\d*)$/.exec(p.type);
    if (m) {
      const bits = BigInt(m[2] || 256);
      if (m[1] === 'uint') return extreme ? (1n << bits) - 1n : BigInt(next()) % (1n << bits);
      return extreme ? -(1n << (bits - 1n)) : (BigInt(next()) % (1n << (bits - 1n))) - (next() % 2 ? 0n : 1n << (bits - 2n));
    }
    if (p.type === 'address') return Wallet.createRandom().address;
    if (p.type === 'bool') return next() % 2 === 0;
    const b = /^bytes(\d+)$/.exec(p.type);
    if (b) return '0x' + Array.from({ length: Number(b[1]) }, () => (next() % 256).toString(16).padStart(2, '0')).join('');
    throw new Error(`no value for ${p.type}`);
  };
}

const wordViews = (): { iface: Interface; f: FunctionFragment }[] =>
  ifaces.flatMap((iface) => {
    const out: { iface: Interface; f: FunctionFragment }[] = [];
    iface.forEachFunction((f) => {
      if (wordCall(f)) out.push({ iface, f });
    });
    return out;
  });

/** What the app read through ethers before: a single tuple output's fields, or the outputs, by name. */
function ethersAnswer(iface: Interface, f: FunctionFragment, hex: string): Record<string, unknown> {
  const r = iface.decodeFunctionResult(f, hex);
  return f.outputs.length === 1 && f.outputs[0]!.baseType === 'tuple' ? (r[0] as Result).toObject(true) : r.toObject(true);
}

describe('wordCall: views of words, without ethers’ AbiCoder', () => {
  it('covers the views the pool service reads', () => {
    const names = wordViews().map(({ f }) => f.name);
    for (const n of ['model', 'positionOf', 'totals', 'tranche', 'rounds']) expect(names).toContain(n);
  });

  it('encodes calls and decodes answers exactly as ethers does, for every word view of our ABIs', () => {
    for (const { iface, f } of wordViews()) {
      const call = wordCall(f)!;
      for (let seed = 0; seed < 6; seed++) {
        const v = values(seed + 1);
        const args = f.inputs.map((p) => v(p, seed === 0));
        expect(call.data(args), f.format()).toBe(iface.encodeFunctionData(f, args));
        const tuple = f.outputs.length === 1 && f.outputs[0]!.baseType === 'tuple';
        const fields = tuple ? f.outputs[0]!.components! : f.outputs;
        const out = fields.map((p) => v(p, seed === 0));
        const hex = iface.encodeFunctionResult(f, tuple ? [out] : out);
        expect(call.result(hex), f.format()).toEqual(ethersAnswer(iface, f, hex));
      }
    }
  });

  it('refuses an answer that does not fit its types, where ethers would mask it, as BAD_DATA', () => {
    const pool = ifaces[0]!;
    const model = wordCall(pool.getFunction('model')!)!;
    const fields = pool.getFunction('model')!.outputs[0]!.components!;
    const good = fields.map((p) => values(3)(p, false));
    const hex = pool.encodeFunctionResult('model', [good]);
    const word = (i: number, w: string) => hex.slice(0, 2 + 64 * i) + w + hex.slice(2 + 64 * (i + 1));
    const at = (name: string) => fields.findIndex((p) => p.name === name);
    const lies = [
      word(at('feeBps'), coder.encode(['uint256'], [70_000n]).slice(2)), // a uint16 of 70,000
      word(at('operator'), 'ff'.repeat(32)), // an address with its upper bytes set
      hex.slice(0, -64), // a word short
      hex + 'abcd', // not whole words
      '0x',
      'not hex',
    ];
    for (const lie of lies) {
      let caught: unknown;
      try {
        model.result(lie);
      } catch (e) {
        caught = e;
      }
      expect(isError(caught, 'BAD_DATA'), lie.slice(0, 20)).toBe(true);
    }
    const bools = wordCall(new Interface(['function f() view returns (bool ok)']).getFunction('f')!)!;
    expect(() => bools.result(coder.encode(['uint256'], [2n]))).toThrow(/could not decode/);
  });

  it('refuses arguments that do not fit, as ethers does, and leaves dynamic types to ethers', () => {
    const model = wordCall(ifaces[0]!.getFunction('model')!)!;
    expect(() => model.data([2n ** 32n])).toThrow(/invalid argument/);
    expect(() => model.data([-1])).toThrow(/invalid argument/);
    expect(() => model.data(['1'])).toThrow(/invalid argument/);
    expect(() => model.data([])).toThrow(/takes 1 arguments/);
    const dynamic = new Interface(['function name(uint256) view returns (string)', 'function ids() view returns (uint256[])']);
    expect(wordCall(dynamic.getFunction('name')!)).toBeNull();
    expect(wordCall(dynamic.getFunction('ids')!)).toBeNull();
  });
});

describe('wordListCall: a view that answers a list of tuples of words', () => {
  const pool = ifaces[0]!;
  const f = pool.getFunction('modelViews')!;
  const fields = f.outputs[0]!.arrayChildren!.components!;
  const list = (n: number, seed: number) =>
    Array.from({ length: n }, (_, i) => fields.map((p) => values(seed + i)(p, seed === 0 && i === 0)));
  const ethersList = (hex: string) => (pool.decodeFunctionResult(f, hex)[0] as Result[]).map((r) => r.toObject(true));

  it('encodes the call and decodes every item exactly as ethers does, an empty list included', () => {
    const call = wordListCall(f)!;
    expect(call.data([1, 200])).toBe(pool.encodeFunctionData(f, [1, 200]));
    for (const [n, seed] of [
      [0, 1],
      [1, 0],
      [3, 2],
      [50, 4],
    ] as const) {
      const hex = pool.encodeFunctionResult(f, [list(n, seed)]);
      expect(call.results(hex)).toEqual(ethersList(hex));
    }
    expect(wordListCall(pool.getFunction('model')!)).toBeNull();
    expect(wordCall(f)).toBeNull();
  });

  it('refuses a list whose offset or length points outside the answer, or an item that does not fit, as BAD_DATA', () => {
    const call = wordListCall(f)!;
    const hex = pool.encodeFunctionResult(f, [list(2, 5)]);
    const word = (i: number, w: bigint) => hex.slice(0, 2 + 64 * i) + w.toString(16).padStart(64, '0') + hex.slice(2 + 64 * (i + 1));
    const feeAt = 2 + fields.findIndex((p) => p.name === 'feeBps');
    for (const lie of [
      word(0, 33n),
      word(0, 32n * 1000n),
      word(1, 3n),
      word(1, 2n ** 255n),
      word(feeAt, 70_000n),
      hex.slice(0, -64),
      '0x',
    ]) {
      let caught: unknown;
      try {
        call.results(lie);
      } catch (e) {
        caught = e;
      }
      expect(isError(caught, 'BAD_DATA'), lie.slice(0, 140)).toBe(true);
    }
  });
});

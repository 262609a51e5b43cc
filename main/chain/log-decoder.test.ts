import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { parseLog } from './log-decoder';

const iface = new Interface([
  'event Moved(address indexed from, uint256 amount)',
  'event Named(uint32 indexed id, string name)',
  'function f()',
]);

describe('parseLog', () => {
  it('decodes a log exactly as ethers’ own parseLog does', () => {
    for (const [name, args] of [
      ['Moved', ['0x000000000000000000000000000000000000dEaD', 5n]],
      ['Named', [7, 'alpha']],
    ] as const) {
      const log = iface.encodeEventLog(name, [...args]);
      const ours = parseLog(iface, log)!;
      const theirs = iface.parseLog(log)!;
      expect([ours.name, ours.signature, ours.topic, [...ours.args]]).toEqual([
        theirs.name,
        theirs.signature,
        theirs.topic,
        [...theirs.args],
      ]);
    }
  });

  it('answers null for another contract’s event or a log without topics', () => {
    const other = new Interface(['event Other(uint256 x)']).encodeEventLog('Other', [1n]);
    expect(parseLog(iface, other)).toBeNull();
    expect(parseLog(iface, { topics: [], data: '0x' })).toBeNull();
  });
});

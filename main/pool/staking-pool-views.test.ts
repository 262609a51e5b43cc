import { describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { PoolPositionView, checked, roundStateWord, stakingPoolIface, viewCodec } from './staking-pool-views';

const fields = {
  shares: 5n,
  valueWei: 6n,
  pendingDepositWei: 0n,
  exitingShares: 1n,
  exitingValueWei: 2n,
  unlockRound: 9n,
  withdrawableWei: 3n,
};

describe('StakingPool views', () => {
  it('turns a decoded position into a plain checked record', () => {
    const answer = viewCodec(stakingPoolIface, 'positionOf').result(stakingPoolIface.encodeFunctionResult('positionOf', [fields]));
    expect(checked(PoolPositionView, answer, 'a position')).toEqual(fields);
  });

  it('decodes views that are not all words through ethers, to the same plain record', () => {
    const iface = new Interface(['function named(uint256 id) view returns (string name, uint64 at)']);
    const codec = viewCodec(iface, 'named');
    expect(codec.data([7n])).toBe(iface.encodeFunctionData('named', [7n]));
    expect(codec.result(iface.encodeFunctionResult('named', ['seven', 9n]))).toEqual({ name: 'seven', at: 9n });
  });

  it('refuses an answer of another shape', () => {
    const totals = viewCodec(stakingPoolIface, 'totals').result(stakingPoolIface.encodeFunctionResult('totals', [1n, 2n, 3n, 4n, 5n]));
    expect(() => checked(PoolPositionView, totals, 'a position')).toThrow(
      "The node's answer for a position does not have the expected shape.",
    );
  });

  it('names Numerai’s round states in the app’s words, and refuses a round it does not know', () => {
    expect([2n, 3n, 4n, 5n].map((s) => roundStateWord(s, 1n))).toEqual(['open', 'closed', 'resolving', 'resolved']);
    expect(() => roundStateWord(0n, 7n)).toThrow('does not show round 7');
    expect(() => roundStateWord(1n, 7n)).toThrow('does not show round 7');
  });
});

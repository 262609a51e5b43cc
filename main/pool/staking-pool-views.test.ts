import { describe, expect, it } from 'vitest';
import { PoolPositionView, checked, roundStateWord, stakingPoolIface } from './staking-pool-views';

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
    const [tuple] = stakingPoolIface.decodeFunctionResult('positionOf', stakingPoolIface.encodeFunctionResult('positionOf', [fields]));
    expect(checked(PoolPositionView, tuple, 'a position')).toEqual(fields);
  });

  it('refuses an answer of another shape', () => {
    const totals = stakingPoolIface.decodeFunctionResult('totals', stakingPoolIface.encodeFunctionResult('totals', [1n, 2n, 3n, 4n, 5n]));
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

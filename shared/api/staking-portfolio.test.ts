import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { StakingPortfolio, StakingPortfolioWei, type StakingPositionWei } from './staking-portfolio';

const position = (over: Partial<StakingPositionWei> = {}): StakingPositionWei => ({
  modelId: 3,
  name: 'model_3',
  numeraiModelId: '0x' + 'a'.repeat(64),
  waitingWei: 1n,
  shares: 2n ** 100n,
  valueWei: 2n ** 200n,
  leavingShares: 0n,
  leavingValueWei: 0n,
  unlockRound: null,
  leavingMatured: false,
  withdrawableWei: 0n,
  withdrawnWei: 5n,
  rounds: [
    {
      roundId: 701,
      state: 'claimed',
      stakedWei: 10n,
      holderPartWei: null,
      result: { returnedWei: 7n, paidWei: 0n, burnedWei: 3n, feeWei: 0n, alreadySettled: true },
    },
    { roundId: 702, state: 'open', stakedWei: 10n, holderPartWei: 4n, result: null },
  ],
  ...over,
});

describe('StakingPortfolio', () => {
  it('main’s bigint figures encode to exactly what the contract will check, and back', () => {
    expectTypeOf<z.input<typeof StakingPortfolioWei>>().toEqualTypeOf<StakingPortfolio>();
    const wire = StakingPortfolioWei.encode({ address: '0x' + 'b'.repeat(40), positions: [position()], totalValueWei: 2n ** 200n + 1n });
    expect(StakingPortfolio.parse(wire)).toEqual(wire);
    expect(wire.positions[0]!.shares).toBe((2n ** 100n).toString());
    expect(wire.positions[0]!.rounds[0]!.result!.burnedWei).toBe('3');
    expect(wire.positions[0]!.rounds[1]!.holderPartWei).toBe('4');
    expect(StakingPortfolioWei.decode(wire).positions[0]!.valueWei).toBe(2n ** 200n);
  });

  it('refuses a state Numerai and the pool do not have, a negative amount, and a malformed model id', () => {
    const bad = (over: Partial<StakingPositionWei>) => () =>
      StakingPortfolioWei.encode({ address: '0x' + 'b'.repeat(40), positions: [position(over)], totalValueWei: 0n });
    expect(bad({ rounds: [{ roundId: 1, state: 'pending' as 'open', stakedWei: 1n, holderPartWei: null, result: null }] })).toThrow();
    expect(bad({ withdrawnWei: -1n })).toThrow();
    expect(bad({ numeraiModelId: '0x12' })).toThrow();
  });
});

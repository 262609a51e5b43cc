import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { PortfolioPoint, PortfolioPointWei, PositionReturns, PositionReturnsWei } from './returns';

describe('PortfolioPoint and PositionReturns', () => {
  it('main’s bigint figures encode to exactly what the contract checks, a loss as a negative result', () => {
    expectTypeOf<z.input<typeof PortfolioPointWei>>().toEqualTypeOf<PortfolioPoint>();
    expectTypeOf<z.input<typeof PositionReturnsWei>>().toEqualTypeOf<PositionReturns>();
    const point = PortfolioPointWei.encode({ round: 7, timeMs: 1000, valueWei: 2n ** 200n, netDepositedWei: 5n, resultWei: -3n });
    expect(PortfolioPoint.parse(point)).toEqual({
      round: 7,
      timeMs: 1000,
      valueWei: (2n ** 200n).toString(),
      netDepositedWei: '5',
      resultWei: '-3',
    });
    const position = PositionReturnsWei.encode({
      modelId: 2,
      name: 'model_2',
      delegatedWei: 10n ** 18n,
      takenBackWei: 0n,
      rewardWei: 1n,
      feeWei: 0n,
      burnWei: 4n,
      rounds: [{ round: 7, timeMs: 1000, resultWei: -4n, returnPct: null, valueAfterWei: 10n ** 18n - 4n }],
    });
    expect(PositionReturns.parse(position)).toEqual(position);
    expect(position.rounds[0]).toMatchObject({ resultWei: '-4', valueAfterWei: (10n ** 18n - 4n).toString() });
  });

  it('refuse a negative amount where only a result may be negative', () => {
    expect(() => PortfolioPointWei.encode({ round: 7, timeMs: 0, valueWei: -1n, netDepositedWei: 0n, resultWei: 0n })).toThrow();
  });
});

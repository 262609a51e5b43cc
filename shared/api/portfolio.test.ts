import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { PortfolioPositions, PortfolioPositionsWei } from './portfolio';

describe('PortfolioPositions', () => {
  it('main’s bigint figures encode to exactly what the contract checks', () => {
    expectTypeOf<z.input<typeof PortfolioPositionsWei>>().toEqualTypeOf<PortfolioPositions>();
    const wire = PortfolioPositionsWei.encode({
      address: '0x' + 'a'.repeat(40),
      currentRound: 12,
      positions: [
        {
          modelId: 2,
          name: 'model_2',
          principalWei: 10n ** 18n,
          valueWei: 2n ** 200n,
          pendingInWei: 0n,
          pendingOutValueWei: 1n,
          withdrawableWei: 0n,
          unlockRound: 15,
        },
      ],
      totalValueWei: 2n ** 200n + 1n,
    });
    expect(PortfolioPositions.parse(wire)).toEqual(wire);
    expect(wire.positions[0]!.valueWei).toBe((2n ** 200n).toString());
    expect(wire.totalValueWei).toBe((2n ** 200n + 1n).toString());
  });
});

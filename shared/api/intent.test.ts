import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { Intent, IntentWei } from './intent';

describe('Intent on the wire and in main', () => {
  it('are one shape: the wire form is what the bigint form encodes to', () => {
    expectTypeOf<z.input<typeof IntentWei>>().toEqualTypeOf<Intent>();
    const wire: Intent = {
      kind: 'delegate',
      allocations: [
        { modelId: 1, amountWei: '1500000000000000000' },
        { modelId: 7, amountWei: '1' },
      ],
    };
    const main = IntentWei.parse(wire);
    expect(main).toEqual({
      kind: 'delegate',
      allocations: [
        { modelId: 1, amountWei: 1_500_000_000_000_000_000n },
        { modelId: 7, amountWei: 1n },
      ],
    });
    expect(IntentWei.encode(main)).toEqual(wire);
    expect(Intent.parse(wire)).toEqual(wire);
  });

  it('keeps "all" and amount-free intents as they are', () => {
    expect(IntentWei.parse({ kind: 'take-back', modelId: 3, amountWei: 'all' })).toEqual({
      kind: 'take-back',
      modelId: 3,
      amountWei: 'all',
    });
    expect(IntentWei.parse({ kind: 'take-back', modelId: 3, amountWei: '5' })).toEqual({ kind: 'take-back', modelId: 3, amountWei: 5n });
    expect(IntentWei.parse({ kind: 'withdraw', modelId: 3 })).toEqual({ kind: 'withdraw', modelId: 3 });
  });

  it('refuses the same things in both forms', () => {
    const bad = [
      { kind: 'delegate', allocations: [] },
      {
        kind: 'delegate',
        allocations: [
          { modelId: 1, amountWei: '1' },
          { modelId: 1, amountWei: '2' },
        ],
      },
      { kind: 'delegate', allocations: [{ modelId: 0, amountWei: '1' }] },
      { kind: 'delegate', allocations: [{ modelId: 1, amountWei: '-1' }] },
      { kind: 'delegate', allocations: [{ modelId: 1, amountWei: 1 }] },
      { kind: 'take-back', modelId: 1, amountWei: 'some' },
      // The old pool's exit is no intent any more: the staking pool takes back instead.
      { kind: 'undelegate', modelId: 1, amountWei: '1' },
      { kind: 'withdraw', modelId: 1, extra: true },
      { kind: 'transfer', modelId: 1 },
    ];
    for (const b of bad) {
      expect(Intent.safeParse(b).success, JSON.stringify(b)).toBe(false);
      expect(IntentWei.safeParse(b).success, JSON.stringify(b)).toBe(false);
    }
    expect(() => IntentWei.encode({ kind: 'take-back', modelId: 1, amountWei: -1n })).toThrow();
  });
});

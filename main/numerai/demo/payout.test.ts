import { describe, expect, it } from 'vitest';
import { CLASSIC_PAYOUT, RETURN_SCALE, claimable, roundReturnNano, settle } from './payout';

const NMR = 10n ** 18n;

describe("Numerai's payout formula (ABS.md (c) T1)", () => {
  it('weights the scores by the round multipliers times the payout factor', () => {
    // 5 × 0.02 + 10 × 0.003 = 0.13
    expect(roundReturnNano({ corr: 0.02, mmc: 0.003 }, CLASSIC_PAYOUT)).toBe(130_000_000n);
    expect(roundReturnNano({ corr: 0.02, mmc: 0.003 }, { ...CLASSIC_PAYOUT, payoutFactor: 0.5 })).toBe(65_000_000n);
    expect(roundReturnNano({ corr: -0.01, mmc: 0.001 }, { corrMultiplier: 0.1, mmcMultiplier: 1, payoutFactor: 1 })).toBe(0n);
    expect(roundReturnNano({ corr: -0.03, mmc: -0.002 }, CLASSIC_PAYOUT)).toBe(-170_000_000n);
  });

  it('clips the return at ±1: a stake can double or burn entirely, never more', () => {
    expect(roundReturnNano({ corr: 0.5, mmc: 0 }, CLASSIC_PAYOUT)).toBe(RETURN_SCALE);
    expect(roundReturnNano({ corr: -0.5, mmc: -1 }, CLASSIC_PAYOUT)).toBe(-RETURN_SCALE);
    expect(settle(7n * NMR, RETURN_SCALE)).toEqual({ payout: 7n * NMR, burn: 0n });
    expect(settle(7n * NMR, -RETURN_SCALE)).toEqual({ payout: 0n, burn: 7n * NMR });
    expect(claimable(7n * NMR, settle(7n * NMR, -RETURN_SCALE))).toBe(0n);
    expect(() => settle(NMR, RETURN_SCALE + 1n)).toThrow(RangeError);
  });

  it('splits the settlement into a payout or a burn, truncated toward zero', () => {
    expect(settle(100n * NMR, 130_000_000n)).toEqual({ payout: 13n * NMR, burn: 0n });
    expect(settle(100n * NMR, -170_000_000n)).toEqual({ payout: 0n, burn: 17n * NMR });
    // 3 wei × 0.5 = 1.5 → 1 either way.
    expect(settle(3n, 500_000_000n)).toEqual({ payout: 1n, burn: 0n });
    expect(settle(3n, -500_000_000n)).toEqual({ payout: 0n, burn: 1n });
    expect(settle(0n, 130_000_000n)).toEqual({ payout: 0n, burn: 0n });
    expect(claimable(100n * NMR, settle(100n * NMR, 130_000_000n))).toBe(113n * NMR);
  });

  it('rounds the return to nano-units half away from zero, symmetric in sign', () => {
    const up = roundReturnNano({ corr: 0.0000000005, mmc: 0 }, { corrMultiplier: 1, mmcMultiplier: 0, payoutFactor: 1 });
    const down = roundReturnNano({ corr: -0.0000000005, mmc: 0 }, { corrMultiplier: 1, mmcMultiplier: 0, payoutFactor: 1 });
    expect(up).toBe(-down);
    expect(() => roundReturnNano({ corr: Number.NaN, mmc: 0 }, CLASSIC_PAYOUT)).toThrow(RangeError);
  });
});

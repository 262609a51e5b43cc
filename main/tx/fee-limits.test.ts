import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api';
import { checkQuotedFees, type Fees } from './fees';
import { FEE_LIMITS, highFeeWarning } from './fee-limits';

const GWEI = 10n ** 9n;
const ETH = 10n ** 18n;
const eip1559 = (maxGwei: bigint, tipGwei = 1n): Fees => ({ type: 2, maxFeePerGas: maxGwei * GWEI, maxPriorityFeePerGas: tipGwei * GWEI });
const warn = (f: Fees, gas: bigint) => highFeeWarning(f, gas * (f.type === 2 ? f.maxFeePerGas : f.gasPrice));
const impossible = (f: Fees) => {
  try {
    checkQuotedFees(f);
    return null;
  } catch (e) {
    return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
  }
};

describe('unusually high fees', () => {
  it('stays quiet for ordinary fees, up to and at the limits', () => {
    expect(warn(eip1559(30n), 836_000n)).toBeNull();
    // 500 gwei on a 21,000-gas cancel: at the per-gas limit, far below the total one.
    expect(warn(eip1559(500n), 21_000n)).toBeNull();
    // Exactly 0.1 ETH in total.
    expect(highFeeWarning(eip1559(100n), ETH / 10n)).toBeNull();
  });

  it('warns above the per-gas limit, saying how many times normal', () => {
    expect(warn(eip1559(600n), 21_000n)).toBe(
      'The network asks for an unusually high fee: up to 0.0126 ETH (about 24× normal: 600 gwei per unit of gas, where about 25 gwei is usual). ' +
        'This happens at moments of extreme demand, or when the node you use is faulty or dishonest. If you are not sure, reject it and try again later.',
    );
    expect(warn({ type: 0, gasPrice: 1_000_000n * GWEI }, 836_000n)).toMatch(
      /^The network asks for an unusually high fee: up to 836 ETH \(about 40,000× normal: 1,000,000 gwei per unit of gas/,
    );
  });

  it('warns above the total limit even at a moderate fee per gas', () => {
    expect(warn(eip1559(112n), 1_000_000n)).toMatch(/up to 0\.112 ETH \(about 4\.5× normal: 112 gwei per unit of gas/);
  });

  it('keeps an absurd figure short enough to show (the contract allows 500 characters)', () => {
    const m = warn({ type: 2, maxFeePerGas: 2n ** 256n - 1n, maxPriorityFeePerGas: 1n }, 836_000n)!;
    expect(m).toMatch(/up to more than 1,000,000 ETH \(over 1,000,000,000× normal: more than 1,000,000,000 gwei per unit of gas/);
    expect(m.length).toBeLessThan(500);
  });

  it('uses the documented limits: 500 gwei a unit of gas, 0.1 ETH in all, 25 gwei as usual', () => {
    expect(FEE_LIMITS).toEqual({ typicalPerGasWei: 25n * GWEI, maxPerGasWei: 500n * GWEI, maxTotalWei: ETH / 10n });
  });
});

describe('impossible fee quotes', () => {
  it('refuses negative fees, fees of 2^256 or more, and a tip above the cap', () => {
    expect(impossible({ type: 2, maxFeePerGas: -1n, maxPriorityFeePerGas: 0n })).toMatch(
      /^RPC_BAD_ANSWER: The network node quoted an impossible fee \(a negative fee\)/,
    );
    expect(impossible({ type: 0, gasPrice: 2n ** 256n })).toMatch(
      /^RPC_BAD_ANSWER: .*\(a fee larger than any number the network can hold\)/,
    );
    expect(impossible({ type: 2, maxFeePerGas: GWEI, maxPriorityFeePerGas: 2n * GWEI })).toMatch(
      /^RPC_BAD_ANSWER: .*\(a tip larger than its fee cap\)/,
    );
  });

  it('accepts every possible quote, absurd or free', () => {
    expect(impossible({ type: 0, gasPrice: 0n })).toBeNull();
    expect(impossible({ type: 2, maxFeePerGas: 2n ** 256n - 1n, maxPriorityFeePerGas: 2n ** 256n - 1n })).toBeNull();
    expect(impossible(eip1559(30n))).toBeNull();
  });
});

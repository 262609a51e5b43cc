import { describe, expect, it } from 'vitest';
import { approvalSteps } from './approval';
import { tokenCalls } from './draft';

const token = '0x' + '7'.repeat(40);
const pool = '0x' + '9'.repeat(40);
const NMR = 10n ** 18n;

const decoded = (data: unknown) => {
  const d = tokenCalls.parseTransaction({ data: String(data) })!;
  return [d.name, ...d.args.toArray()];
};

describe('approvalSteps', () => {
  it('asks for nothing when the pool may already move enough', () => {
    expect(approvalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 5n * NMR, totalWei: 5n * NMR })).toEqual([]);
  });

  it('approves exactly the total, on the token, when there is no allowance', () => {
    const steps = approvalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 0n, totalWei: 5n * NMR });
    expect(steps.map((s) => s.kind)).toEqual(['approve']);
    expect(steps[0]!.tx.to).toBe(token);
    expect(decoded(steps[0]!.tx.data)).toEqual(['approve', pool, 5n * NMR]);
    expect(steps[0]!.description).toBe('Let the pool move 5 NMR from your wallet');
  });

  it('clears a smaller non-zero allowance first (NMR reverts on non-zero to non-zero)', () => {
    const steps = approvalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 1n, totalWei: 2n * NMR });
    expect(steps.map((s) => s.kind)).toEqual(['reset-approval', 'approve']);
    expect(decoded(steps[0]!.tx.data)).toEqual(['approve', pool, 0n]);
    expect(decoded(steps[1]!.tx.data)).toEqual(['approve', pool, 2n * NMR]);
    expect(steps.every((s) => s.gasLimit === 0n)).toBe(true);
  });
});

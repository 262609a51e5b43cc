import { describe, expect, it } from 'vitest';
import { nmrApprovalSteps } from './approval';
import { tokenCalls } from './draft';

const token = '0x' + '7'.repeat(40);
const pool = '0x' + '9'.repeat(40);
const decode = (data: unknown) => {
  const d = tokenCalls.parseTransaction({ data: String(data) })!;
  return [d.name, ...d.args.toArray()];
};

describe('nmrApprovalSteps', () => {
  it('asks nothing when the allowance covers the total', () => {
    expect(nmrApprovalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 10n, totalWei: 10n })).toEqual([]);
  });

  it('approves from zero with approve', () => {
    const [step, ...rest] = nmrApprovalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 0n, totalWei: 10n ** 18n });
    expect(rest).toEqual([]);
    expect(step!.tx.to).toBe(token);
    expect(step!.kind).toBe('approve');
    expect(decode(step!.tx.data)).toEqual(['approve', pool, 10n ** 18n]);
    expect(step!.description).toBe('Let the pool move 1 NMR from your wallet');
  });

  it('replaces a non-zero allowance with NMR’s changeApproval in one step, naming the old value', () => {
    const steps = nmrApprovalSteps({ tokenAddress: token, poolAddress: pool, allowanceWei: 3n, totalWei: 10n });
    expect(steps).toHaveLength(1);
    expect(decode(steps[0]!.tx.data)).toEqual(['changeApproval', pool, 3n, 10n]);
  });
});

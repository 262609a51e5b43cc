import { describe, expect, it } from 'vitest';
import type { Replacement } from './in-flight';
import { replacementPlan } from './replacement-plan';

const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;
const holder = '0x' + 'a'.repeat(40);

function replacement(purpose: 'speed-up' | 'cancel', step = 1, steps = 2): Replacement {
  return {
    entry: {
      ref: { requestId: 'r'.repeat(32), label: 'Delegate 5 NMR to model_1', step, steps },
      txId: `${'r'.repeat(32)}:${step}`,
      from: holder,
      nonce: 7,
      attempts: [],
      settled: false,
      lastEvents: new Map(),
    },
    purpose,
    body:
      purpose === 'cancel'
        ? { to: holder, data: '0x', value: 0n, gasLimit: 21_000n }
        : { to: '0x' + '9'.repeat(40), data: '0x1234', value: 0n, gasLimit: 100_000n },
    fees: { type: 2, maxFeePerGas: 9n * GWEI, maxPriorityFeePerGas: 2n * GWEI },
    previous: {
      fees: { type: 2, maxFeePerGas: 8n * GWEI, maxPriorityFeePerGas: GWEI },
      gasLimit: 100_000n,
      label: 'Delegate 5 NMR to model_1',
    },
  };
}

describe('replacementPlan', () => {
  it('signs the same call again with the new fees, and shows old and new fee', () => {
    const r = replacement('speed-up');
    const plan = replacementPlan(r, { holder, chainId: 1, networkLabel: 'Ethereum', ethWei: ETH });
    expect(plan.steps).toEqual([
      {
        kind: 'speed-up',
        description: 'Speed up: Delegate 5 NMR to model_1',
        tx: { to: r.body.to, data: '0x1234', value: 0n },
        gasLimit: 100_000n,
      },
    ]);
    expect(plan.fees).toBe(r.fees);
    expect(plan.gasCostWei).toBe(900_000n * GWEI);
    expect(plan.title).toBe('Speed up: Delegate 5 NMR to model_1');
    expect(plan.lines).toContainEqual({ label: 'Fee per gas', value: 'max 8 gwei, tip 1 gwei → max 9 gwei, tip 2 gwei' });
    expect(plan.lines).toContainEqual({ label: 'Network fee (at most)', value: '0.0009 ETH instead of 0.0008 ETH' });
    expect(plan.lines[0]).toEqual({ label: 'Speeds up', value: 'Delegate 5 NMR to model_1 (transaction number 7 of your account)' });
    expect(plan.warnings).toHaveLength(1);
    expect(plan.blocker).toBeNull();
    expect(plan.highFee).toBeNull();
  });

  it('cancels with a 0 ETH transfer to oneself and says later steps will not be sent', () => {
    const plan = replacementPlan(replacement('cancel', 1, 2), { holder, chainId: 1, networkLabel: 'Ethereum', ethWei: ETH });
    expect(plan.steps[0]).toMatchObject({
      kind: 'cancel',
      description: 'Cancel: Delegate 5 NMR to model_1',
      tx: { to: holder, value: 0n },
    });
    expect(plan.lines[0]!.label).toBe('Cancels');
    expect(plan.warnings.at(-1)).toBe('The later steps of this action will not be sent; your NMR stays where it is.');
    const last = replacementPlan(replacement('cancel', 2, 2), { holder, chainId: 1, networkLabel: 'Ethereum', ethWei: ETH });
    expect(last.warnings).toHaveLength(1);
  });

  it('is blocked when the ETH does not cover the higher fee', () => {
    const plan = replacementPlan(replacement('speed-up'), { holder, chainId: 1, networkLabel: 'Ethereum', ethWei: 1n });
    expect(plan.blocker).toBe('You need about 0.0009 ETH for the higher fee and have 0.000000000000000001.');
  });
});

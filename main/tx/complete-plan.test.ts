import { describe, expect, it } from 'vitest';
import type { Fees } from './fees';
import { completePlan } from './complete-plan';
import type { IntentDraft } from './staking-intents/draft';

const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;
const normal: Fees = { type: 2, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI };
const at = {
  holder: '0x' + 'a'.repeat(40),
  chainId: 31337,
  networkLabel: 'Local demo chain',
  fees: normal,
  ethWei: ETH,
  gasUnits: 100_000n,
};
const draft = (over: Partial<IntentDraft> = {}): IntentDraft => ({
  title: 'Withdraw 1 NMR',
  lines: [{ label: 'From', value: 'model_1' }],
  warnings: ['a warning'],
  steps: [{ kind: 'withdraw', description: 'Withdraw', tx: { to: '0x' + '9'.repeat(40), data: '0x' }, gasLimit: 100_000n }],
  blocker: null,
  ...over,
});

describe('completePlan', () => {
  it('counts the fee at the fee cap and keeps the draft’s steps, the very objects to sign', () => {
    const d = draft();
    const plan = completePlan(d, at);
    expect(plan.gasCostWei).toBe(300_000n * GWEI);
    expect(plan.steps).toBe(d.steps);
    expect(plan.lines.at(-1)).toEqual({ label: 'Network fee (at most)', value: '0.0003 ETH, paid from your ETH (max 3 gwei, tip 1 gwei)' });
    expect(plan).toMatchObject({
      holder: at.holder,
      chainId: 31337,
      networkLabel: 'Local demo chain',
      title: 'Withdraw 1 NMR',
      fees: normal,
    });
    expect(plan.warnings).toEqual(['a warning']);
    expect(plan.blocker).toBeNull();
    expect(plan.highFee).toBeNull();
  });

  it('shows a fee as a person reads it: about 4 significant digits, gwei with at most 2 decimals', () => {
    // The figures: 0.000456101007297616 ETH at max 1.000000016 gwei.
    const fees: Fees = { type: 2, maxFeePerGas: 1_000_000_016n, maxPriorityFeePerGas: GWEI };
    const plan = completePlan(draft(), { ...at, fees, gasUnits: 456_101n });
    expect(plan.gasCostWei).toBe(456_101_007_297_616n);
    expect(plan.lines.at(-1)!.value).toBe('≈0.0004561 ETH, paid from your ETH (max ≈1 gwei, tip 1 gwei)');
  });

  it('is blocked when the ETH does not cover the fee', () => {
    const plan = completePlan(draft(), { ...at, ethWei: 1n, fees: { type: 0, gasPrice: 2n * GWEI } });
    expect(plan.blocker).toBe('You need about 0.0002 ETH for the network fee and have 0.000000000000000001.');
    expect(plan.lines.at(-1)!.value).toBe('0.0002 ETH, paid from your ETH (2 gwei)');
  });

  it('keeps an intent’s own blocker and counts no fee for it', () => {
    const plan = completePlan(draft({ blocker: 'You have only 5 NMR.' }), { ...at, ethWei: 0n, gasUnits: 0n });
    expect(plan.blocker).toBe('You have only 5 NMR.');
    expect(plan.gasCostWei).toBe(0n);
    expect(plan.highFee).toBeNull();
  });

  it('puts an unusually high fee first among the warnings, even when the ETH is short', () => {
    const plan = completePlan(draft(), {
      ...at,
      ethWei: 0n,
      fees: { type: 2, maxFeePerGas: 2_000_000n * GWEI, maxPriorityFeePerGas: GWEI },
    });
    expect(plan.highFee).toMatch(/^The network asks for an unusually high fee/);
    expect(plan.warnings).toEqual([plan.highFee, 'a warning']);
    expect(plan.blocker).toMatch(/^You need about 200 ETH/);
  });
});

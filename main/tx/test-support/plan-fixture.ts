import type { Plan } from '../plan';

/** The words a plan carries when its fee is unusually high (the real ones come from main/tx/fee-limits.ts). */
export const HIGH_FEE_WORDS = 'The network asks for an unusually high fee: up to 0.8 ETH (about 64× normal).';

/** A one-step plan for confirmer tests; `highFee` makes it one that needs the extra tick. */
export function testPlan(overrides: Partial<Plan> = {}, opts: { highFee?: boolean } = {}): Plan {
  const plan: Plan = {
    holder: '0x' + 'a'.repeat(40),
    chainId: 31337,
    networkLabel: 'Local demo chain',
    title: 'Delegate 5 NMR',
    lines: [],
    warnings: [],
    steps: [{ kind: 'delegate', description: 'Delegate 5 NMR', tx: { to: '0x' + 'b'.repeat(40), data: '0x' }, gasLimit: 100n }],
    fees: { type: 2, maxFeePerGas: 10n, maxPriorityFeePerGas: 1n },
    gasCostWei: 1000n,
    blocker: null,
    highFee: null,
    ...overrides,
  };
  return opts.highFee ? { ...plan, warnings: [HIGH_FEE_WORDS, ...plan.warnings], highFee: HIGH_FEE_WORDS } : plan;
}

import type { Plan } from '../tx/plan';

/**
 * What main's own window shows when an operator lets the app send the round's transactions without
 * asking each time: a Plan with no steps (nothing is signed by confirming it), so it goes through the
 * same confirmer and TxCoordinator as a transaction, and only a decision in main's window counts.
 */
export function consentPlan(o: { account: string; pool: string; chainId: number; networkLabel: string; once: boolean }): Plan {
  return {
    holder: o.account,
    chainId: o.chainId,
    networkLabel: o.networkLabel,
    title: o.once ? 'Stake your models in this Numerai round now' : 'Stake your models automatically each Numerai round',
    lines: [
      { label: 'Pool', value: o.pool },
      {
        label: 'What the app will sign',
        value: 'Only the pool’s “stake this round” and “claim a result” transactions, sent to the pool above.',
      },
      { label: 'Network fee', value: 'The market fee. When the fee is unusually high the app waits and tries again later.' },
    ],
    warnings: [
      o.once
        ? 'The app signs this round’s transactions for your linked models once, without asking again for each one.'
        : 'From now on the app signs these transactions each round without asking, whenever your wallet is unlocked. Turn it off in Settings → Your models at any time.',
    ],
    steps: [],
    fees: { type: 0, gasPrice: 0n },
    gasCostWei: 0n,
    blocker: null,
    highFee: null,
  };
}

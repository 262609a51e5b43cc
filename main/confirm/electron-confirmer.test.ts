import type { Dialog, MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import { describe, expect, it } from 'vitest';
import type { PendingRequest } from '../tx/coordinator';
import type { Plan } from '../tx/plan';
import { HIGH_FEE_WORDS, testPlan } from '../tx/test-support/plan-fixture';
import { electronConfirmer } from './electron-confirmer';

const plan = testPlan({ chainId: 1, networkLabel: 'Ethereum mainnet' });
const highFeePlan = testPlan(plan, { highFee: true });

/** Main's native dialog, answered by a script of button presses and ticks. */
async function run(p: Plan, answers: { response: number; checkboxChecked: boolean }[]) {
  const asked: MessageBoxOptions[] = [];
  const decisions: unknown[] = [];
  const dialog = {
    showMessageBox: async (options: MessageBoxOptions): Promise<MessageBoxReturnValue> => {
      asked.push(options);
      return answers.shift()!;
    },
  } as unknown as Dialog;
  const request: PendingRequest = { id: '1'.repeat(32), plan: p, expires: Date.now() + 60_000, execute: async () => undefined };
  const done = new Promise<void>((resolve) => {
    void electronConfirmer(dialog, () => null).present(request, (d, o) => (decisions.push([d, o]), resolve(), true));
  });
  await done;
  return { asked, decisions };
}

describe('Electron confirmation dialog', () => {
  it('has no tick for an ordinary fee', async () => {
    const { asked, decisions } = await run(plan, [{ response: 1, checkboxChecked: false }]);
    expect(asked[0]!.checkboxLabel).toBeUndefined();
    expect(decisions).toEqual([['confirm', { highFeeAccepted: false }]]);
  });

  it('asks again until an unusually high fee is ticked, then confirms with it accepted', async () => {
    const { asked, decisions } = await run(highFeePlan, [
      { response: 1, checkboxChecked: false },
      { response: 1, checkboxChecked: true },
    ]);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ checkboxLabel: 'I accept this unusually high network fee', checkboxChecked: false, type: 'warning' });
    expect(asked[0]!.detail).toContain(HIGH_FEE_WORDS);
    expect(asked[1]!.message).toBe('Tick “I accept this unusually high network fee” to confirm, or reject.');
    expect(decisions).toEqual([['confirm', { highFeeAccepted: true }]]);
  });

  it('lets a high fee be rejected without the tick', async () => {
    const { decisions } = await run(highFeePlan, [{ response: 0, checkboxChecked: false }]);
    expect(decisions).toEqual([['reject', { highFeeAccepted: false }]]);
  });
  it('shows an operator’s consent (a plan with no steps) as nothing to sign, with a plain Confirm', async () => {
    const { asked, decisions } = await run(testPlan({ steps: [] }), [{ response: 1, checkboxChecked: false }]);
    expect(asked[0]!.detail).toContain('Confirming signs nothing now.');
    expect(asked[0]!.detail).not.toContain('Transactions to sign');
    expect(asked[0]!.buttons).toEqual(['Reject', 'Confirm']);
    expect(decisions).toEqual([['confirm', { highFeeAccepted: false }]]);
  });
});

import { expect, type Page } from '@playwright/test';
import { demoModelRoundResult } from '../../main/records';
import { SettingsPage } from '../pages/settings';

/** Moves the demo a day at a time from the developer panel until `done` holds. */
export async function advanceUntil(page: Page, what: string, done: () => Promise<boolean>, max = 10): Promise<void> {
  const settings = new SettingsPage(page);
  for (let i = 0; i < max; i++) {
    await settings.show();
    const step = page.getByRole('button', { name: 'Move to the next demo day' });
    await step.click();
    await expect(step).toBeEnabled({ timeout: 120_000 });
    await expect(page.getByRole('status').filter({ hasText: 'models staked' })).toBeVisible();
    if (await done()) return;
  }
  throw new Error(`${what}: not after ${max} demo days`);
}

/**
 * A model the demo Numerai pays in `round` and one it burns, among `names`. It pays 5×CORR + 10×MMC of
 * the models' generated scores: both positive pays, both negative burns.
 */
export function winnerAndLoser(names: readonly string[], round: number): { winner: string; loser: string } {
  const score = (name: string) => demoModelRoundResult(name, round);
  const winner = names.find((n) => (score(n)?.corr20 ?? 0) > 0 && (score(n)?.mmc ?? 0) > 0);
  const loser = names.find((n) => (score(n)?.corr20 ?? 0) < 0 && (score(n)?.mmc ?? 0) < 0);
  expect(winner, `a demo model Numerai pays in round ${round}`).toBeDefined();
  expect(loser, `a demo model Numerai burns in round ${round}`).toBeDefined();
  return { winner: winner!, loser: loser! };
}

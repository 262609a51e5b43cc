import type { Page } from '@playwright/test';
import { demoChainModels, demoModelRoundResult } from '../../main/records';

import { confirmInWindow } from '../pages/confirm';
import { test, expect } from '../test-support/fixtures';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import { SettingsPage } from '../pages/settings';

/**
 * Issue #13's must-show, by role and label: an operator who never relays (the demo with relaying off,
 * main/app/pool-choice.ts), so the holder's app claims the posted result itself; and a model whose
 * operator's Numerai token lacks the web3_staking scope, so Numerai refuses its authorization: its
 * NMR stays waiting and the developer panel's step says why. The chain side of both (the holder's
 * figures to the wei, the idle NMR) is main/app/staking-refusals.integration.test.ts.
 */
const MODELS = 12;
const refused = demoChainModels(MODELS)[0]!.name;
test.use({
  appEnv: {
    NMR_DELEGATE_DEMO_MODELS: String(MODELS),
    NMR_DELEGATE_DEMO_RELAY: 'off',
    NMR_DELEGATE_DEMO_UNSCOPED_TOKEN: refused,
  },
});

const AMOUNT = '100';

/** One demo day from the developer panel; returns what the step says happened. */
async function nextDay(page: Page): Promise<string> {
  const settings = new SettingsPage(page);
  await settings.show();
  return settings.nextDemoDay();
}

test('nobody relays: the holder claims the posted result; Numerai refuses a token: that NMR stays waiting and the screen says why', async ({
  appPage: page,
  onboarding,
  models,
  shot,
}) => {
  test.setTimeout(300_000);
  await onboarding.createWallet('a long demo password');
  await models.waitForList();
  await models.getDemoNmr();
  const round = await models.openRound();
  const names = await models.names();
  expect(names).toContain(refused);
  // A model Numerai scores in the round: its operator stakes it and Numerai posts a result.
  const staked = names.find((n) => n !== refused && demoModelRoundResult(n, round) !== undefined)!;
  expect(staked).toBeDefined();
  for (const name of [refused, staked]) {
    await models.open(name);
    await models.delegate(name, AMOUNT);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await models.waitForList();
  }

  // The first day: the operators stake, except the one whose token Numerai refuses, said in words.
  const first = await nextDay(page);
  expect(first).not.toContain('not staked');
  // Said as a warning beside the step's sentence, not in its success green.
  await expect(page.getByRole('alert').filter({ hasText: 'Not everything went through this day' })).toContainText(
    `${refused} not staked: The Numerai API token lacks the “web3_staking” permission.`,
  );
  expect(first).toContain('results left for anyone to relay');
  await shot('staking-refused-step');

  // Days go by; nobody relays, so the staked model's result stays posted with a "Claim".
  const portfolio = new StakingPortfolioPage(page);
  const posted = () => portfolio.round(staked, round).filter({ hasText: 'Result posted' });
  for (let i = 0; i < 8; i++) {
    await portfolio.show();
    await expect(portfolio.card(staked)).toBeVisible();
    if ((await posted().count()) > 0) break;
    await nextDay(page);
  }
  await expect(posted()).toBeVisible();
  await shot('staking-result-posted');

  // The refused model's NMR is still waiting, with no stake in the round.
  expect(await portfolio.figure(refused, 'Waiting to enter')).toBe(AMOUNT);
  await expect(portfolio.round(refused, round)).toHaveCount(0);

  // The holder's app relays: Claim, confirmed in main's window; the round is settled with its result.
  await posted()
    .getByRole('button', { name: `Claim round ${round} for ${staked}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Claim a round’s result for ${staked}` });
  await confirmInWindow(dialog);
  await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const settled = portfolio.round(staked, round).filter({ hasText: 'Settled' });
  await expect(settled).toBeVisible();
  await expect(settled).toContainText(/paid|burned/);
  expect(Number(await portfolio.roundCell(staked, round, 4))).toBeGreaterThan(0);
  await shot('staking-claimed-by-holder');
});

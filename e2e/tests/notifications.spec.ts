import { test, expect } from '../test-support/fixtures';
import { checkA11y } from '../test-support/a11y';
import { SettingsPage } from '../pages/settings';
import { winnerAndLoser } from '../test-support/demo-days';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

/**
 * The bell (issue #15's notifications): a delegation is told confirmed; once the demo has staked,
 * resolved and claimed a round, its result on the holder's position is told with the exact amount
 * Portfolio shows; "Mark all read" clears the count, and a reload keeps it read. The open panel is
 * screenshotted at 1280×800 and checked with axe; a notification leads to its position.
 */
test('a delegation confirmed and a round’s result are told under the bell, to the wei, and stay read after a reload', async ({
  appPage: page,
  onboarding,
  models,
  shot,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await onboarding.createWallet('a long demo password');
  await models.waitForList();
  await models.getDemoNmr();
  const round = await models.openRound();
  const { winner: name } = winnerAndLoser(await models.names(), round);
  await models.open(name);
  await models.delegate(name, '100');

  const bell = page.getByRole('banner').getByRole('button', { name: /^Notifications/ });
  const panel = page.getByRole('dialog', { name: 'Notifications' });
  await expect(bell).toHaveAccessibleName(/^Notifications, [1-9]\d* unread$/);
  await bell.click();
  await expect(
    panel
      .getByRole('listitem')
      .filter({ hasText: /: confirmed/ })
      .filter({ hasText: name }),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // The demo stakes the round, Numerai resolves it, the result is claimed for the pool.
  const portfolio = new StakingPortfolioPage(page);
  await new SettingsPage(page).advanceUntil(`round ${round} settled for ${name}`, async () => {
    await portfolio.show();
    await expect(portfolio.card(name)).toBeVisible();
    return (await portfolio.round(name, round).filter({ hasText: 'Settled' }).count()) > 0;
  });
  const yours = await portfolio.roundCell(name, round, 4);
  expect(Number(yours)).toBeGreaterThan(0);

  await bell.click();
  const result = panel.getByRole('listitem').filter({ hasText: `${name} earned in round ${round}` });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result.locator('[data-exact]').first()).toHaveAttribute('data-exact', yours);
  await expect(result).toContainText('Unread');
  await shot('notifications-panel');
  await checkA11y(page, 'notifications panel open');

  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect(bell).toHaveAccessibleName('Notifications');
  await expect(panel.getByRole('listitem').filter({ hasText: 'Unread' })).toHaveCount(0);

  // Read stays read: the list is main's, kept under the user-data folder.
  await page.reload();
  await expect(bell).toHaveAccessibleName('Notifications');
  await bell.click();
  await expect(result).toBeVisible();
  await expect(result).not.toContainText('Unread');

  // It leads to the position it concerns.
  await result.getByRole('button').click();
  await expect(panel).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Portfolio', exact: true })).toBeVisible();
  await expect(portfolio.card(name)).toBeInViewport();
});

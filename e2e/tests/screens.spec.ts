import { test, expect } from '../test-support/fixtures';
import { checkA11y } from '../test-support/a11y';
import { confirmInWindow } from '../pages/confirm';
import { SettingsPage } from '../pages/settings';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

test('browse, sort, filter, compare and allocate across three models in one go; every screen passes axe', async ({
  appPage: page,
  onboarding,
  models,
  history,
  shot,
}) => {
  await checkA11y(page, 'welcome');
  // The phrase step, and main's own phrase window, are screens too.
  await onboarding.createWallet('screens test password', async (name, target) => {
    if (name.startsWith('onboarding-phrase')) await checkA11y(target ?? page, name);
  });
  await models.waitForList();
  await checkA11y(page, 'models');

  // Sort by worst drop (smallest first) and filter to long records with a low fee.
  await page.getByRole('columnheader').getByRole('button', { name: 'Worst drop' }).click();
  await expect(page.getByRole('columnheader', { name: /Worst drop/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.getByLabel('At least (rounds)').fill('300');
  await page.getByLabel('Fee at most (%)').fill('15');
  await expect(page.getByText(/^\d+ models ·/)).toBeVisible();
  const firstRounds = Number((await models.rows().nth(1).getByRole('cell').nth(6).innerText()).replace(/,/g, ''));
  expect(firstRounds).toBeGreaterThanOrEqual(300);
  await shot('models-filtered');

  // All 15,000 models, searched by name.
  await page.getByRole('button', { name: 'All models' }).click();
  await expect(page.getByText(/models · Demo track records/)).toBeVisible();
  await page.getByLabel('At least (rounds)').fill('');
  await page.getByLabel('Fee at most (%)').fill('');
  await page.getByLabel('Search models').fill('lynx');
  await expect(models.rows().nth(1)).toContainText('lynx');
  await page.getByLabel('Search models').fill('');
  await page.getByRole('button', { name: 'In the pool' }).click();
  await page.getByRole('columnheader').getByRole('button', { name: '1 year' }).click();

  // Pick three models: compare them, then allocate across them.
  const names: string[] = [];
  await expect(page.getByRole('columnheader', { name: /1 year/ })).toHaveAttribute('aria-sort', 'descending');
  for (let i = 1; i <= 3; i++) names.push(await models.nameAt(i));
  // Each checked by its name, so the three chosen are the three named whatever the rows do meanwhile.
  for (const n of names) await page.getByRole('checkbox', { name: `Select ${n}`, exact: true }).check();
  const bar = page.getByRole('region', { name: 'Selected models' });
  await expect(bar).toContainText('3 selected');
  await bar.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: 'Compare 3 models' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Correlation matrix' }).getByRole('row')).toHaveCount(4);
  await expect(page.locator('.recharts-line-curve')).toHaveCount(3);
  await shot('compare');
  await checkA11y(page, 'compare');
  // The back link names the list the comparison came from, and returns to it.
  await page.getByRole('button', { name: '← In the pool' }).click();
  await expect(page.getByRole('button', { name: 'In the pool' })).toHaveAttribute('aria-pressed', 'true');

  await models.getDemoNmr();
  await bar.getByRole('button', { name: 'Delegate to 3 models' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delegate to 3 models' });
  await expect(dialog.getByText(/^Before your first delegation$/)).toBeVisible();
  await checkA11y(page, 'risk disclosure');
  await shot('risk-disclosure');
  await dialog.getByLabel('I understand these risks').check();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByLabel('Total amount (NMR)').fill('300');
  await expect(dialog.getByText('Total: 300')).toBeVisible();
  await checkA11y(page, 'allocate');
  await shot('allocate');
  await dialog.getByRole('button', { name: 'Review' }).click();
  for (const n of names) await expect(dialog.getByText(`To ${n}`, { exact: true })).toBeVisible();
  await confirmInWindow(dialog, { expect: ['Delegate 300 NMR', ...names] });
  await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The staking Portfolio: each model's 100 NMR waits in the pool for its next Numerai round.
  const portfolio = new StakingPortfolioPage(page);
  await expect(page.getByRole('heading', { name: 'Portfolio', exact: true })).toBeVisible();
  for (const n of names) await expect.poll(() => portfolio.figure(n, 'Waiting to enter')).toBe('100');
  await checkA11y(page, 'portfolio');
  await shot('portfolio-three');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await models.open(names[0]!);
  await expect(page.locator('.recharts-area-curve')).toBeVisible();
  await checkA11y(page, 'model page');

  await history.show();
  await checkA11y(page, 'history');
  const settings = new SettingsPage(page);
  await settings.show();
  // Settings → Your models (the operator's part) is on the same screen.
  await expect(page.getByRole('heading', { name: 'Your models' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run now' })).toBeVisible();
  await checkA11y(page, 'settings');
});

test('the theme follows the computer until the holder picks one, and the choice is kept', async ({
  appPage: page,
  onboarding,
  models,
  shot,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await onboarding.createWallet('theme test password');
  await models.waitForList();
  const rootBg = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
  expect(await rootBg()).toBe('#f6f7f9');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await rootBg()).toBe('#0f141a');
  await page.emulateMedia({ colorScheme: 'light' });

  // A watchlist star is kept in main and shows the model under Watchlist.
  const starred = await models.nameAt(2);
  await page.getByRole('button', { name: `Watch ${starred}` }).click();
  await expect(page.getByRole('button', { name: `Watch ${starred}` })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Watchlist' }).click();
  await expect(models.rows()).toHaveCount(2);
  await expect(models.rows().nth(1)).toContainText(starred);
  await page.getByRole('button', { name: 'In the pool' }).click();

  const settings = new SettingsPage(page);
  await settings.show();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(rootBg).toBe('#0f141a');
  await shot('settings-dark');
  await checkA11y(page, 'settings (dark)');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await models.waitForList();
  await shot('models-dark');
  await checkA11y(page, 'models (dark)');

  // Kept across a reload: the setting lives in main, not in the page.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Unlock your wallet' }).or(models.heading)).toBeVisible();
  await expect.poll(rootBg).toBe('#0f141a');
});

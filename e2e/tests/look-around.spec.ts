import type { Page } from '@playwright/test';
import { test, expect } from '../test-support/fixtures';
import { checkA11y } from '../test-support/a11y';

/**
 * "Look around first": a newcomer browses, compares and opens models before any wallet exists;
 * Back (the header's button, the browser's history, Alt+←) and the model page's back link return
 * to the list's scope and scroll; the wallet is asked for at the first delegation, which then
 * carries on.
 */
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const list = (page: Page) => page.getByRole('table', { name: 'Models' }).locator('.vbody');
const scrollTop = (page: Page) => list(page).evaluate((el) => el.scrollTop);
const scope = (page: Page, name: string) => page.getByRole('group', { name: 'Which models' }).getByRole('button', { name });

test('a newcomer browses without a wallet, Back returns to “In the pool” where it was scrolled, and the first delegation asks for the wallet and carries on', async ({
  appPage: page,
  onboarding,
  models,
  shot,
}) => {
  // The app opens on the models, with a calm line that says what a wallet is for.
  await models.waitForList();
  const banner = page.getByRole('region', { name: 'Wallet' });
  await expect(banner).toContainText('Create or import a wallet to delegate.');
  await expect(page.getByText('No wallet yet')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Create your wallet' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Back', exact: true })).toBeDisabled();
  await shot('no-wallet-models');
  await checkA11y(page, 'models without a wallet');

  // Scope: all models, then back to the pool; the URL carries it.
  await scope(page, 'All models').click();
  await expect(scope(page, 'All models')).toHaveAttribute('aria-pressed', 'true');
  // The address follows the list a moment later (navigation.ts WRITE_ADDRESS_AFTER_MS).
  await expect(page).toHaveURL(/scope=all/);
  await scope(page, 'In the pool').click();
  await expect(scope(page, 'In the pool')).toHaveAttribute('aria-pressed', 'true');
  await models.waitForList();

  // A shorter window, so the pool's list scrolls; scroll to its end and open the last model there.
  await page.setViewportSize({ width: 1280, height: 520 });
  await expect.poll(() => list(page).evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(40);
  await list(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  const scrolled = await scrollTop(page);
  expect(scrolled).toBeGreaterThan(40);
  const lastRow = models.rows().last();
  const name = (await lastRow.getByRole('cell').nth(1).getByRole('button').innerText()).trim();
  await models.open(name);
  await expect(page.getByRole('button', { name: '← In the pool' })).toBeVisible();
  // Looking around includes the what-if replay (a backtest) with no wallet.
  await expect(page.getByRole('heading', { name: 'What if you had delegated?' })).toBeVisible();

  // The header's Back: the pool's list, scrolled where it was.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(scope(page, 'In the pool')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => scrollTop(page)).toBe(scrolled);

  // Forward, then the browser's own Back (what the mouse's back button does in a browser).
  await page.getByRole('button', { name: 'Forward', exact: true }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^${name}`) })).toBeVisible();
  await page.goBack();
  await expect(scope(page, 'In the pool')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => scrollTop(page)).toBe(scrolled);

  // Alt+→ and Alt+← from the keyboard, and the model page's own back link.
  await page.keyboard.press('Alt+ArrowRight');
  await expect(page.getByRole('heading', { name: new RegExp(`^${name}`) })).toBeVisible();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(scope(page, 'In the pool')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Alt+ArrowRight');
  await page.getByRole('button', { name: '← In the pool' }).click();
  await expect(scope(page, 'In the pool')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => scrollTop(page)).toBe(scrolled);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Compare two models without a wallet.
  await models.rows().nth(1).getByRole('checkbox').check();
  await models.rows().nth(2).getByRole('checkbox').check();
  await page.getByRole('region', { name: 'Selected models' }).getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('button', { name: '← In the pool' })).toBeVisible();
  await page.getByRole('button', { name: '← In the pool' }).click();
  await page.getByRole('region', { name: 'Selected models' }).getByRole('button', { name: 'Clear' }).click();

  // The portfolio and the history say a wallet is needed, with the button.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Portfolio' }).click();
  await expect(page.getByText('You need a wallet to see your positions.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create or import a wallet' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History & export' }).click();
  await expect(page.getByText('You need a wallet to see your history.')).toBeVisible();
  await checkA11y(page, 'history without a wallet');

  // Delegate: the wallet is asked for first, then the delegation the person started opens.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await models.waitForList();
  await models.open(name);
  await page.getByRole('button', { name: `Delegate to ${name}` }).click();
  await expect(onboarding.dialog).toBeVisible();
  await expect(onboarding.dialog.getByRole('heading', { name: 'Create your wallet' })).toBeVisible();
  await shot('wallet-request');
  await checkA11y(page, 'wallet request');
  await onboarding.createWallet('look around password');
  const delegate = page.getByRole('dialog', { name: `Delegate to ${name}` });
  await expect(delegate).toBeVisible();
  await expect(page.getByRole('heading', { name: new RegExp(`^${name}`) })).toBeVisible(); // still on the model's page
  // The new wallet has no NMR yet: close the dialog (Escape), get demo NMR, and delegate for real.
  await page.keyboard.press('Escape');
  await expect(delegate).toBeHidden();

  // With the wallet there, the banner is gone, and the delegation goes through to the end.
  await expect(page.getByRole('region', { name: 'Wallet' })).toHaveCount(0);
  await models.getDemoNmr();
  await models.delegate(name, '12.5');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Portfolio' }).click();
  await expect(page.getByRole('heading', { name: 'Portfolio', exact: true })).toBeVisible();
  await expect(page.getByText(name).first()).toBeVisible();
});

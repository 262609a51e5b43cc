import { test, expect } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';
import { checkA11y } from '../test-support/a11y';

// The demo chain runs the pool that stakes on Numerai; the fresh account operates none of its models.
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

test('Settings → Your models says in plain words that this account operates no model in the pool', async ({
  appPage,
  onboarding,
  shot,
}) => {
  await onboarding.createWallet('operator password');
  await new SettingsPage(appPage).show();
  const card = appPage.locator('.card', { has: appPage.getByRole('heading', { name: 'Your models' }) });
  await expect(card).toBeVisible();
  await expect(card.getByRole('status')).toHaveText('Not run since the app started.');

  // A token saved for this account; a run asks in main's own window first, then says why there is nothing to do.
  await card.getByLabel('Paste your token').fill('DEMOPUBLICID$DEMOSECRETKEY');
  await card.getByRole('button', { name: 'Save the token' }).click();
  await expect(card.getByText(/^Token saved for 0x/)).toBeVisible();
  await expect(card.getByText('DEMOSECRETKEY')).toHaveCount(0);
  const popupPromise = appPage.waitForEvent('popup');
  await card.getByRole('button', { name: 'Run now' }).click();
  const popup = await popupPromise;
  await expect(popup.getByRole('heading', { level: 1 })).toBeVisible();
  await popup.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(popup.getByRole('heading', { name: 'Confirmed' })).toBeVisible();
  await popup.close();
  const runState = card.getByRole('status').filter({ hasText: /^No model in the pool names this account as its operator\.$/ });
  await expect(runState).toBeVisible({ timeout: 30_000 });
  // Answered in main's window: the page no longer asks the person to confirm there.
  await expect(card.getByText(/^Confirm in NMR Delegate’s confirmation window/)).toHaveCount(0);
  await expect(card.getByRole('table', { name: 'Your models this round' })).toHaveCount(0);
  await card.scrollIntoViewIfNeeded();
  await shot('settings-your-models-none');
  await checkA11y(appPage, 'settings (your models)');
});

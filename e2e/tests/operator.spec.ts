import { test, expect, OLD_DEMO_WORLD } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';
import { checkA11y } from '../test-support/a11y';

test.use({ appEnv: OLD_DEMO_WORLD });

test('Settings → Your models says in plain words why there is nothing to do on a network without the staking pool', async ({
  appPage,
  onboarding,
  shot,
}) => {
  await onboarding.createWallet('operator password');
  await new SettingsPage(appPage).show();
  const card = appPage.locator('.card', { has: appPage.getByRole('heading', { name: 'Your models' }) });
  await expect(card).toBeVisible();
  await expect(card.getByRole('status')).toHaveText(/needs the pool that stakes on Numerai itself/);
  // No token field where nothing could use it.
  await expect(card.getByLabel(/token/i)).toHaveCount(0);
  await card.scrollIntoViewIfNeeded();
  await shot('settings-your-models-unavailable');
  await checkA11y(appPage, 'settings (your models)');
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../test-support/fixtures';
import { freshUserDataDir, launchHarness, removeUserData } from '../test-support/launcher';
import { OnboardingPage } from '../pages/onboarding';
import { SettingsPage } from '../pages/settings';

const DAMAGED = /Your settings file was damaged, so the app started with default settings/;

test('a damaged settings file is set aside and the Settings screen says so until the holder dismisses it', async ({ page, shot }) => {
  const userDataDir = freshUserDataDir();
  // Half a settings file, as a crash or a bad edit by hand leaves it.
  writeFileSync(join(userDataDir, 'settings.json'), '{ "version": 1, "network": { "kind": "loc');
  const app = await launchHarness({ userDataDir, env: { NMR_DELEGATE_DEMO_MODELS: '12' } });
  try {
    await page.goto(app.appUrl);
    // The page reads the settings at start (for the theme) long before anyone opens Settings.
    await new OnboardingPage(page).createWallet('notice password');
    const settings = new SettingsPage(page);
    await settings.show();
    const notice = page.getByRole('alert').filter({ hasText: DAMAGED });
    await expect(notice).toBeVisible();
    await shot('settings-damaged-notice');

    // Still there when the screen is opened again: reading the settings does not use the notice up.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await settings.show();
    await expect(notice).toBeVisible();

    await notice.getByRole('button', { name: 'I understand' }).click();
    await expect(notice).toHaveCount(0);
    // Dismissed in main, not only on this page: a fresh page does not show it either.
    await page.reload();
    await settings.show();
    await expect(page.getByText(DAMAGED)).toHaveCount(0);
    await page.goto('about:blank');
  } finally {
    await app.stop();
    removeUserData(userDataDir);
  }
});

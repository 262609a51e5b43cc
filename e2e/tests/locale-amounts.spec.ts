import { test, expect } from '../test-support/fixtures';
import { confirmInWindow } from '../pages/confirm';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import type { ModelsPage } from '../pages/models';
import type { OnboardingPage } from '../pages/onboarding';
import type { Page } from '@playwright/test';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

/**
 * Amounts typed the person's way: the page's locale (navigator.language) decides the decimal
 * symbol. Main's confirmation window is an English page and writes "1.5" in every locale; the app's
 * own screens write the figure the locale's way ("1,5" in de-DE).
 */
async function openDelegate(page: Page, onboarding: OnboardingPage, models: ModelsPage) {
  await onboarding.createWallet('locale test password');
  await models.waitForList();
  await models.getDemoNmr();
  const name = await models.nameAt(1);
  await models.open(name);
  await page.getByRole('button', { name: `Delegate to ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delegate to ${name}` });
  await models.acceptRisksIfAsked(dialog);
  return { name, dialog };
}

for (const { locale, typed, shown } of [
  { locale: 'de-DE', typed: '1,5', shown: '1,5' },
  { locale: 'en-US', typed: '1.5', shown: '1.5' },
]) {
  test.describe(locale, () => {
    test.use({ locale });

    test(`"${typed}" delegates exactly 1.5 NMR`, async ({ appPage: page, onboarding, models, shot }) => {
      expect(await page.evaluate(() => navigator.language)).toBe(locale);
      const { name, dialog } = await openDelegate(page, onboarding, models);
      await dialog.getByLabel('Amount (NMR)').fill(typed);
      await dialog.getByRole('button', { name: 'Review' }).click();
      await expect(dialog.getByText('Delegate 1.5 NMR').first()).toBeVisible();
      await confirmInWindow(dialog, { expect: ['Delegate 1.5 NMR', name], shot });
      await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
      await dialog.getByRole('button', { name: 'Close' }).click();

      // The staking pool holds exactly 1.5 NMR waiting to enter the model's next Numerai round.
      const portfolio = new StakingPortfolioPage(page);
      await portfolio.show();
      await expect.poll(() => portfolio.figure(name, 'Waiting to enter')).toBe('1.5');
      const waiting = portfolio.card(name).locator('.stat', { has: page.locator('dt', { hasText: 'Waiting to enter' }) });
      await expect(waiting.locator('[data-exact]').first()).toHaveText(`${shown} NMR`);
      // 1000 demo NMR less 1.5, exactly, and written the locale's way in the header.
      const balance = page.getByLabel('NMR balance').locator('[data-exact]');
      await expect(balance).toHaveAttribute('data-exact', '998.5');
      await expect(balance).toHaveText(`${locale === 'de-DE' ? '998,5' : '998.5'} NMR`);
      await shot(`portfolio-${locale}`);
    });
  });
}

test.describe('de-DE, an ambiguous amount', () => {
  test.use({ locale: 'de-DE' });

  test('"1.234" is refused with both ways to write it, and nothing is delegated', async ({ appPage: page, onboarding, models, shot }) => {
    const { dialog } = await openDelegate(page, onboarding, models);
    await dialog.getByLabel('Amount (NMR)').fill('1.234');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect(dialog).toContainText('“1.234” could mean 1234 or 1,234. Write 1234 without the point, or 1,234 with a decimal comma.');
    await expect(dialog.getByRole('button', { name: 'Open the confirmation window' })).toHaveCount(0);
    await shot('ambiguous-amount-de-DE');
    // Written either way, it goes through to the review.
    await dialog.getByLabel('Amount (NMR)').fill('1,234');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect(dialog.getByText('Delegate 1.234 NMR').first()).toBeVisible();
  });
});

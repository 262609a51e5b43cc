import { test, expect, OLD_DEMO_WORLD } from '../test-support/fixtures';
import { freshUserDataDir, launchHarness, removeUserData } from '../test-support/launcher';
import { OnboardingPage } from '../pages/onboarding';
import { ModelsPage } from '../pages/models';
import { PortfolioPage } from '../pages/portfolio';
import { SettingsPage } from '../pages/settings';

const PASSWORD = 'persistence password';

test('a demo position survives a restart of the app, and a resolved round moves it', async ({ page, shot }) => {
  const userDataDir = freshUserDataDir();
  try {
    const first = await launchHarness({ userDataDir, env: OLD_DEMO_WORLD });
    expect(first.chainStart?.cold).toBe(true);
    await page.goto(first.appUrl);
    await new OnboardingPage(page).createWallet(PASSWORD);
    const models = new ModelsPage(page);
    await models.waitForList();
    await models.getDemoNmr();
    const name = await models.nameAt(2);
    await models.open(name);
    await models.delegate(name, '100');
    const portfolio = new PortfolioPage(page);
    await expect(portfolio.row(name)).toBeVisible();
    await page.goto('about:blank');
    await first.stop();

    const second = await launchHarness({ userDataDir, env: OLD_DEMO_WORLD });
    try {
      expect(second.chainStart?.cold).toBe(false);
      await page.goto(second.appUrl);
      await expect(page.getByRole('heading', { name: 'Unlock your wallet' })).toBeVisible();
      await new OnboardingPage(page).unlock(PASSWORD);
      await models.waitForList();
      await expect(page.getByLabel('NMR balance')).toContainText('900');
      await portfolio.show();
      expect(await portfolio.exactCell(name, 3)).toBe('100'); // still waiting to enter
      expect(await portfolio.exactCell(name, 2)).toBe('0');

      // Posting the round's results moves the stake in: it now has a value and nothing waits.
      const settings = new SettingsPage(page);
      await settings.show();
      await shot('settings');
      await settings.resolveRound();
      await portfolio.show();
      await expect.poll(() => portfolio.exactCell(name, 3)).toBe('0');
      const value = Number(await portfolio.exactCell(name, 2));
      expect(value).toBeGreaterThan(90);
      expect(value).toBeLessThanOrEqual(100);
      await shot('portfolio-after-round');
      await page.goto('about:blank');
    } finally {
      await second.stop();
    }
  } finally {
    removeUserData(userDataDir);
  }
});

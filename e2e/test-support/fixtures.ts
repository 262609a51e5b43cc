import { test as base, expect, type Page } from '@playwright/test';
import { launchHarness, removeUserData, type RunningApp } from './launcher';
import { OnboardingPage } from '../pages/onboarding';
import { ModelsPage } from '../pages/models';
import { PortfolioPage } from '../pages/portfolio';
import { HistoryPage } from '../pages/history';

type Fixtures = {
  /** Extra environment for the app's process (e.g. which demo world the local chain runs). */
  appEnv: Record<string, string>;
  app: RunningApp;
  appPage: Page;
  onboarding: OnboardingPage;
  models: ModelsPage;
  portfolio: PortfolioPage;
  history: HistoryPage;
  failOnPageErrors: void;
  /** Screenshots the app's page, or another window such as the confirmation, into the report. */
  shot: (name: string, target?: Page) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  // A fresh profile and a fresh local chain for every test.
  appEnv: [{}, { option: true }],
  app: async ({ appEnv }, use) => {
    const app = await launchHarness({ env: appEnv });
    try {
      await use(app);
    } finally {
      await app.stop();
      removeUserData(app.userDataDir);
    }
  },
  appPage: async ({ page, app }, use) => {
    await page.goto(app.appUrl);
    await use(page);
    // Leave the app before it stops, so its closing event stream is not reported as a page error.
    await page.goto('about:blank');
  },
  // Any uncaught error in the page fails the test, even if every assertion passed.
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      await use();
      expect(errors, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
  shot: async ({ page }, use, testInfo) => {
    await use(async (name, target) => {
      // Saved beside the test's output and attached to the report, so a person can look at each screen.
      const path = testInfo.outputPath(`${name}.png`);
      await (target ?? page).screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
  onboarding: async ({ appPage }, use) => use(new OnboardingPage(appPage)),
  models: async ({ appPage }, use) => use(new ModelsPage(appPage)),
  portfolio: async ({ appPage }, use) => use(new PortfolioPage(appPage)),
  history: async ({ appPage }, use) => use(new HistoryPage(appPage)),
});

export { expect };

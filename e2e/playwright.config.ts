import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './test-support/browser';

const browser = findChromium();
if ('error' in browser) {
  console.error(browser.error);
  process.exit(1);
}

export default defineConfig({
  testDir: './tests',
  outputDir: '../test-results',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    acceptDownloads: true,
    launchOptions: { executablePath: browser.path, args: CHROMIUM_ARGS },
  },
});

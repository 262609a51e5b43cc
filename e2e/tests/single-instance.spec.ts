import { test, expect } from '../test-support/fixtures';
import { launchHarness, removeUserData } from '../test-support/launcher';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

test('a second start on the same data folder is refused with the first one’s address, and the first goes on', async ({ app, appPage }) => {
  const second = launchHarness({ userDataDir: app.userDataDir, env: { NMR_DELEGATE_DEMO_MODELS: '12' } });
  // Exit code 3 and where the running one is, so the person can open it instead.
  await expect(second).rejects.toThrow(/exited with 3/);
  await expect(second).rejects.toThrow(`Open it here: ${app.appUrl}`);
  // The first one still serves its page.
  await expect(appPage.getByRole('heading', { level: 1 }).first()).toBeVisible();
  expect((await appPage.request.get(app.appUrl)).ok()).toBe(true);
});

test('after the first one quits, the folder is free again', async ({ app }) => {
  await app.stop();
  const again = await launchHarness({ userDataDir: app.userDataDir, env: { NMR_DELEGATE_DEMO_MODELS: '12' } });
  try {
    expect(again.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  } finally {
    await again.stop();
  }
});

test('the link works as soon as it is printed: opened while the chain comes up, the page waits for the app and then lists the models', async ({
  browser,
}) => {
  const page = await browser.newPage();
  const nav: { opened?: Promise<unknown> } = {};
  const seen: string[] = [];
  const started = await launchHarness({
    env: { NMR_DELEGATE_DEMO_MODELS: '12' },
    onListening: (url) => {
      nav.opened = page.goto(url).then(async () => seen.push(await page.locator('body').innerText()));
    },
  });
  try {
    expect(nav.opened).toBeDefined();
    await nav.opened;
    // Opened before the app was made: its first calls waited for it instead of failing.
    await expect(page.getByRole('table', { name: 'Models' }).getByRole('row').nth(1)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(seen.join(' ')).not.toMatch(/cannot start|went wrong/i);
  } finally {
    await page.close();
    await started.stop();
    removeUserData(started.userDataDir);
  }
});

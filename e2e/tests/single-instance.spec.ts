import { test, expect } from '../test-support/fixtures';
import { launchHarness } from '../test-support/launcher';

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

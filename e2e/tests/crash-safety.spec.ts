import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../test-support/fixtures';
import { ModelsPage } from '../pages/models';
import { checkA11y } from '../test-support/a11y';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

/** The anvil this test's app started: the one serving its RPC port. */
function anvilPid(rpcUrl: string): number {
  const port = new URL(rpcUrl).port;
  const out = execFileSync('pgrep', ['-f', `anvil .*--port ${port} `], { encoding: 'utf8' })
    .trim()
    .split('\n');
  expect(out).toHaveLength(1);
  return Number(out[0]);
}

test('the demo chain killed under the app is started again, the page says so, and the app goes on', async ({ app, appPage, shot }) => {
  const models = new ModelsPage(appPage);
  await models.waitForList();
  // Anvil saves its state every 5 s: wait for a save after the first start's deployment, as an app
  // that has run a while has (a chain killed sooner restarts without it; README, "Crash safety").
  const world = join(app.userDataDir, 'devnet', 'staking');
  const savedSince = () => statSync(join(world, 'anvil-state.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  await expect.poll(() => savedSince() > statSync(join(world, 'deployment.json')).mtimeMs, { timeout: 15_000 }).toBe(true);
  const pid = anvilPid(app.rpcUrl);
  process.kill(pid, 'SIGKILL');
  const notice = appPage
    .getByRole('status')
    .filter({ hasText: 'The demo chain on this computer stopped unexpectedly and was started again' });
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await shot('chain-restarted-notice');
  await checkA11y(appPage, 'the chain-restarted notice');
  // A new anvil on the same URL, answering.
  expect(anvilPid(app.rpcUrl)).not.toBe(pid);
  // The app still works against it: a reload shows the list from the chain.
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  await appPage.reload();
  await models.waitForList();
});

test('a screen that breaks shows “Reload this screen”, the rest of the app works, and the error is in main’s log', async ({
  app,
  appPage,
  shot,
}) => {
  // Number formatting fails while the flag is up: any screen showing a number then throws as it
  // renders. Formatters are made once and kept, so it is their `format` (a getter, in ECMA-402)
  // that breaks, not their making.
  await appPage.addInitScript(() => {
    const w = window as unknown as { breakScreens: boolean };
    w.breakScreens = false;
    const proto = Intl.NumberFormat.prototype;
    const real = Object.getOwnPropertyDescriptor(proto, 'format')!;
    Object.defineProperty(proto, 'format', {
      configurable: true,
      get(this: Intl.NumberFormat) {
        if (w.breakScreens) throw new Error('a screen broke on purpose');
        return real.get!.call(this) as Intl.NumberFormat['format'];
      },
    });
  });
  await appPage.reload();
  const models = new ModelsPage(appPage);
  await models.waitForList();
  await appPage.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await appPage.evaluate(() => ((window as unknown as { breakScreens: boolean }).breakScreens = true));
  await appPage.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  const crash = appPage.getByRole('alert').filter({ hasText: 'This screen stopped working' });
  await expect(crash).toBeVisible();
  await shot('screen-crash');
  await checkA11y(appPage, 'a screen that broke');
  // The header and the navigation still work: another screen opens.
  await appPage.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await expect(crash).toBeHidden();
  await appPage.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await expect(crash).toBeVisible();
  // Once the cause is gone, "Reload this screen" brings the page back.
  await appPage.evaluate(() => ((window as unknown as { breakScreens: boolean }).breakScreens = false));
  await crash.getByRole('button', { name: 'Reload this screen' }).click();
  await models.waitForList();
  const log = readFileSync(join(app.userDataDir, 'logs', 'main.log'), 'utf8');
  const reported = log
    .split('\n')
    .filter((l) => l.includes('"renderer.error"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(reported.length).toBeGreaterThanOrEqual(2);
  expect(reported[0]).toMatchObject({ source: 'boundary', page: 'models', message: 'Error: a screen broke on purpose' });
});

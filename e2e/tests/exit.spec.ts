import { test, expect, OLD_DEMO_WORLD } from '../test-support/fixtures';
import { confirmInWindow } from '../pages/confirm';
import { SettingsPage } from '../pages/settings';

test.use({ appEnv: OLD_DEMO_WORLD });

test('a holder takes a position back, waits out the lock, and withdraws to the wallet', async ({
  appPage: page,
  onboarding,
  models,
  portfolio,
  shot,
}) => {
  await onboarding.createWallet('exit test password');
  await models.waitForList();
  await models.getDemoNmr();
  const name = await models.nameAt(1);
  await models.open(name);
  await models.delegate(name, '200');

  const settings = new SettingsPage(page);
  await settings.show();
  await settings.resolveRound(); // the stake enters the model

  await portfolio.show();
  await expect.poll(() => portfolio.exactCell(name, 3)).toBe('0');
  await portfolio
    .row(name)
    .getByRole('button', { name: `Take back from ${name}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Take back from ${name}` });
  await dialog.getByRole('button', { name: 'Review' }).click();
  await expect(dialog.getByText(/Withdrawable from/)).toBeVisible();
  await shot('undelegate-review');
  await confirmInWindow(dialog, { expect: ['Take back', name, 'Withdrawable from'] });
  await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => portfolio.exactCell(name, 2)).toBe('0');
  const leaving = Number(await portfolio.exactCell(name, 4));
  expect(leaving).toBeGreaterThan(0);
  await shot('portfolio-leaving');

  // The lock: four rounds at risk, then withdrawable.
  await settings.show();
  for (let i = 0; i < 4; i++) await settings.resolveRound();
  await portfolio.show();
  await expect.poll(() => portfolio.exactCell(name, 4)).toBe('0');
  const withdrawable = await portfolio.exactCell(name, 5);
  expect(Number(withdrawable)).toBeGreaterThan(0);
  await portfolio
    .row(name)
    .getByRole('button', { name: `Withdraw from ${name}` })
    .click();
  const w = page.getByRole('dialog', { name: `Withdraw from ${name}` });
  await confirmInWindow(w, { expect: [`Withdraw ${withdrawable} NMR`] });
  await expect(w.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
  await w.getByRole('button', { name: 'Close' }).click();

  // Everything came back to the wallet: 800 left after delegating, plus exactly what was withdrawable.
  const expected = (
    800n * 10n ** 18n +
    BigInt(
      withdrawable.replace('.', '').padEnd(withdrawable.includes('.') ? withdrawable.indexOf('.') + 18 : withdrawable.length + 18, '0'),
    )
  ).toString();
  await expect(page.getByLabel('NMR balance').locator('[data-exact]')).toHaveAttribute('data-exact', formatWei(BigInt(expected)));
  await expect(page.getByRole('table', { name: 'Positions' })).toHaveCount(0);
  await shot('portfolio-after-withdraw');
});

function formatWei(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const frac = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

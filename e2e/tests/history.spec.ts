import { readFileSync } from 'node:fs';
import { parseUnits } from 'ethers';
import { test, expect, OLD_DEMO_WORLD } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';
import { checkA11y } from '../test-support/a11y';

test.use({ appEnv: OLD_DEMO_WORLD });

const PASSWORD = 'a long history password';

/** A cell's exact NMR amount (the figure on screen may be shortened) in wei. */
const wei = (exact: string) => parseUnits(exact, 18);

test('the list moves by keyboard; returns charts reconcile with the positions, and the history exports one model, one year, as Koinly or with a value column', async ({
  appPage: page,
  onboarding,
  models,
  portfolio,
  history,
  shot,
}) => {
  const settings = new SettingsPage(page);
  await onboarding.createWallet(PASSWORD);
  await models.waitForList();
  // The list moves by keyboard as a spreadsheet does: arrows to the same control a row down, End to the last row.
  const a = await models.nameAt(1);
  await page.getByRole('button', { name: a, exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveText(await models.nameAt(2));
  await page.keyboard.press('End');
  const count = Number(await page.getByRole('table', { name: 'Models' }).getAttribute('aria-rowcount')) - 1;
  await expect(page.locator(':focus').locator('xpath=ancestor::*[@role="row"]')).toHaveAttribute('aria-rowindex', String(count + 1));
  await page.keyboard.press('Home');
  await expect(page.locator(':focus')).toHaveText(a);

  await models.getDemoNmr();
  const b = await models.nameAt(2);
  await models.open(a);
  await models.delegate(a, '120');
  await models.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await models.waitForList();
  await models.open(b);
  await models.delegate(b, '80.25');

  // Before any round: the returns say so plainly.
  await portfolio.show();
  await expect(page.getByText('No round has been resolved since you delegated yet')).toBeVisible();

  await settings.show();
  for (let i = 0; i < 3; i++) await settings.resolveRound();

  await portfolio.show();
  const returns = page.getByRole('region', { name: 'Returns' });
  await expect(returns.getByRole('img', { name: /portfolio's value after each round/ })).toBeVisible();
  await expect(returns.getByRole('img', { name: /What each round added or burned, in NMR/ })).toBeVisible();
  // Delegated + earned − burned is each position's value now (to the wei, but for the pool's rounding down).
  for (const name of [a, b]) {
    const delegated = wei(await portfolio.exactCell(name, 1));
    const value = wei(await portfolio.exactCell(name, 2));
    const earned = wei(await portfolio.exactCell(name, 6));
    const burned = wei(await portfolio.exactCell(name, 7));
    const drift = delegated + earned - burned - value;
    expect(drift >= 0n && drift < 1000n, `${name}: ${drift} wei`).toBe(true);
    expect(earned + burned).toBeGreaterThan(0n);
  }
  await shot('portfolio-returns');
  await checkA11y(page, 'portfolio with returns');
  await returns.getByLabel('Show').selectOption({ label: b });
  const oneBars = returns.getByRole('img', { name: `What each round added or burned for ${b}, in NMR` });
  await expect(oneBars).toBeVisible();
  await oneBars.scrollIntoViewIfNeeded();
  await shot('portfolio-round-results');

  await history.show();
  await expect(page.getByText(/\d+ entries, from \d{4}-\d{2}-\d{2} to/)).toBeVisible();
  // One model, this year, plain CSV.
  await page.getByLabel('All models').uncheck();
  await page.getByRole('group', { name: 'Models to export' }).getByLabel(b, { exact: true }).check();
  await page.getByRole('radio', { name: 'One year' }).check();
  const year = String(new Date().getUTCFullYear());
  await page.getByRole('combobox', { name: 'Year' }).selectOption(year);
  await shot('history-options');
  const csv = readFileSync(await (await history.exportCsv()).path(), 'utf8')
    .trim()
    .split('\r\n');
  const header = csv[0]!.split(',');
  const rows = csv.slice(1).map((l) => l.split(','));
  expect(rows.length).toBeGreaterThan(3);
  expect(new Set(rows.map((r) => r[header.indexOf('model')]))).toEqual(new Set([b]));
  expect(new Set(rows.map((r) => r[header.indexOf('date_utc')]!.slice(0, 4)))).toEqual(new Set([year]));
  const types = new Set(rows.map((r) => r[header.indexOf('type')]));
  expect(types).toContain('delegation');
  expect([...types].some((t) => t === 'reward' || t === 'burn')).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(`Exported ${rows.length} row`);

  // Koinly's layout for a tax tool.
  await history.chooseFormat('Koinly CSV');
  const koinly = readFileSync(await (await history.export()).path(), 'utf8').split('\r\n');
  expect(koinly[0]).toMatch(/^Date,Sent Amount,Sent Currency/);

  // A value column from a file of daily prices the holder picks.
  await history.chooseFormat('CSV');
  await page.getByLabel('Add a column with each row’s value on its day').check();
  const today = new Date().toISOString().slice(0, 10);
  await page
    .getByLabel('Daily prices (CSV)')
    .setInputFiles({ name: 'nmr-prices.csv', mimeType: 'text/csv', buffer: Buffer.from(`date,price\n${today},10.00\n`) });
  await page.getByLabel('Currency').fill('EUR');
  await shot('history-fiat');
  await checkA11y(page, 'history export options');
  const priced = readFileSync(await (await history.export()).path(), 'utf8')
    .trim()
    .split('\r\n');
  const ph = priced[0]!.split(',');
  expect(ph).toContain('amount_eur');
  const delegation = priced
    .slice(1)
    .map((l) => l.split(','))
    .find((r) => r[ph.indexOf('type')] === 'delegation')!;
  expect(delegation[ph.indexOf('amount_nmr')]).toBe('80.25');
  expect(delegation[ph.indexOf('amount_eur')]).toBe('802.50');

  // A period that ends before it starts is refused, with words to fix it.
  await page.getByRole('radio', { name: 'Between two days' }).check();
  await page.getByLabel('First day').fill('2025-03-02');
  await page.getByLabel('Last day (included)').fill('2025-03-01');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('The first day comes after the last day.');
});

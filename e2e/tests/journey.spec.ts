import { readFileSync } from 'node:fs';
import { JsonRpcProvider } from 'ethers';
import { test, expect, OLD_DEMO_WORLD } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';

test.use({ appEnv: OLD_DEMO_WORLD });

const PASSWORD = 'a long demo password';

test('a newcomer creates a wallet, gets demo NMR, delegates, sees the position and exports it', async ({
  appPage: page,
  app,
  onboarding,
  models,
  portfolio,
  history,
  shot,
}) => {
  const words = await onboarding.createWallet(PASSWORD, shot);

  await models.waitForList();
  await expect(page.getByText('Local demo chain')).toBeVisible();
  const firstName = await models.nameAt(1);
  await expect(models.rows().nth(1)).toContainText('demo');
  await shot('models');

  await models.getDemoNmr();
  await expect(page.getByLabel('NMR balance')).toContainText('1,000');

  await models.open(firstName);
  await expect(page.getByRole('img', { name: 'Cumulative return by round' })).toBeVisible();
  await expect(page.locator('.recharts-area-curve')).toBeVisible();
  await shot('model-detail');

  await models.delegate(firstName, '250.5', shot);

  await portfolio.show();
  await expect(portfolio.row(firstName)).toBeVisible();
  expect(await portfolio.exactCell(firstName, 1)).toBe('250.5'); // delegated
  expect(await portfolio.exactCell(firstName, 3)).toBe('250.5'); // waiting to enter the next round
  await expect(page.getByLabel('NMR balance')).toContainText('749.5');
  await shot('portfolio');

  await history.show();
  const download = await history.exportCsv();
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  const header = csv[0]!.split(',');
  expect(header).toEqual(
    expect.arrayContaining([
      'date_utc',
      'round',
      'model',
      'type',
      'amount_nmr',
      'value_after_nmr',
      'tx_hash',
      'block',
      'log_index',
      'account',
    ]),
  );
  const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i]!, v])));
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(`Exported ${rows.length} row`);
  await shot('history');
  const delegation = rows.filter((r) => r.type === 'delegation');
  expect(delegation).toHaveLength(1);
  const row = delegation[0]!;
  expect(row.model).toBe(firstName);
  expect(row.amount_nmr).toBe('250.5');
  expect(row.date_utc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  expect(Number.isNaN(Date.parse(row.date_utc!))).toBe(false);

  // The exported transaction is on chain, mined, and sent by the wallet the app created.
  const provider = new JsonRpcProvider(app.rpcUrl);
  const receipt = await provider.getTransactionReceipt(row.tx_hash!);
  expect(receipt?.status).toBe(1);
  expect(receipt?.from.toLowerCase()).toBe(row.account!.toLowerCase());
  provider.destroy();

  // The backup the person wrote down is the wallet's: main shows the same words again, in its own window.
  const settings = new SettingsPage(page);
  await settings.show();
  expect(await settings.revealPhrase(PASSWORD, shot)).toEqual(words);
});

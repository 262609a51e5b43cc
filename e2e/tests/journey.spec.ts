import { readFileSync } from 'node:fs';
import { JsonRpcProvider } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

/**
 * A newcomer's first minutes on the pool that stakes on Numerai: the wallet, demo NMR, a model's
 * page, a delegation of a fractional amount, the position waiting, the CSV's delegation row on
 * chain, and the backup words again. What follows (the operators stake, Numerai settles, take back,
 * withdraw) is staking-journey.spec.ts.
 */
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'a long demo password';

test('a newcomer creates a wallet, gets demo NMR, delegates, sees the position and exports it', async ({
  appPage: page,
  app,
  onboarding,
  models,
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

  const portfolio = new StakingPortfolioPage(page);
  await portfolio.show();
  await expect(portfolio.card(firstName)).toBeVisible();
  expect(await portfolio.figure(firstName, 'Waiting to enter')).toBe('250.5'); // enters at the model's next round
  expect(await portfolio.figure(firstName, 'Value now')).toBe('0');
  await expect(page.getByRole('button', { name: `Cancel waiting NMR in ${firstName}` })).toBeVisible();
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
      'numerai_round',
      'model_id',
      'model',
      'type',
      'amount_nmr',
      'value_after_nmr',
      'shares_after',
      'tx_hash',
      'block',
      'log_index',
      'account',
    ]),
  );
  const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i]!, v])));
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(`Exported ${rows.length} row`);
  await shot('history');
  const delegation = rows.filter((r) => r.type === 'delegated');
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

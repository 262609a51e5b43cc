import { HDNodeWallet, JsonRpcProvider, toQuantity } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

// The pool that stakes on Numerai, on a small demo chain: the transactions of a delegation are all this needs.
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'a long demo password';
const GWEI = 10n ** 9n;

/**
 * A network fee far above normal, played by the local demo chain through the JSON-RPC URL the
 * harness prints: its base fee jumps to a million gwei. The app's page says so, and main's own
 * confirmation window takes "Confirm and sign" only once the person ticks that they accept it.
 */
test('an unusually high network fee is said in plain words and needs a deliberate tick in main’s window', async ({
  appPage: page,
  app,
  onboarding,
  models,
  shot,
}) => {
  const words = await onboarding.createWallet(PASSWORD);
  await models.waitForList();
  await models.getDemoNmr();
  const name = await models.nameAt(1);
  await models.open(name);
  const chain = new JsonRpcProvider(app.rpcUrl);
  // Enough test ETH for the fee, so the only thing in the way is the person's own decision.
  await chain.send('anvil_setBalance', [HDNodeWallet.fromPhrase(words.join(' ')).address, toQuantity(100_000n * 10n ** 18n)]);
  await chain.send('anvil_setNextBlockBaseFeePerGas', [toQuantity(1_000_000n * GWEI)]);
  await chain.send('evm_mine', []);

  await page.getByRole('button', { name: `Delegate to ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delegate to ${name}` });
  await models.acceptRisksIfAsked(dialog);
  await dialog.getByLabel('Amount (NMR)').fill('10');
  await dialog.getByRole('button', { name: 'Review' }).click();
  await expect(dialog).toContainText(/The network asks for an unusually high fee: up to ≈?[\d.,]+ ETH \(about [\d,]+× normal/);
  await expect(dialog).toContainText('the confirmation window will ask you to tick that you accept it');
  await shot('high-fee-review');

  const popupPromise = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Open the confirmation window' }).click();
  const popup = await popupPromise;
  const heading = popup.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('Delegate 10 NMR');
  const tick = popup.getByRole('checkbox', { name: 'I accept this unusually high network fee' });
  await expect(popup.getByRole('group', { name: 'Unusually high network fee' })).toContainText('unusually high fee');
  await shot('high-fee-window', popup);

  // Without the tick, Confirm does nothing: the page stays, and nothing is sent.
  await popup.getByRole('button', { name: 'Confirm and sign' }).click();
  await expect(heading).toHaveText('Delegate 10 NMR');
  await expect(tick).not.toBeChecked();
  expect(await chain.send('eth_getTransactionCount', [HDNodeWallet.fromPhrase(words.join(' ')).address, 'latest'])).toBe('0x0');

  await tick.check();
  await popup.getByRole('button', { name: 'Confirm and sign' }).click();
  await expect(popup.getByRole('heading', { name: 'Confirmed' })).toBeVisible();
  await popup.close();
  await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
  await shot('high-fee-done');
  // The delegation reached the pool that stakes on Numerai: it waits for the model's next round.
  await dialog.getByRole('button', { name: 'Close' }).click();
  const portfolio = new StakingPortfolioPage(page);
  await portfolio.show();
  await expect.poll(() => portfolio.figure(name, 'Waiting to enter')).toBe('10');
  chain.destroy();
});

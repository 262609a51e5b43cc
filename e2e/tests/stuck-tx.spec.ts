import AxeBuilder from '@axe-core/playwright';
import { JsonRpcProvider } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { confirmInWindow } from '../pages/confirm';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

// The pool that stakes on Numerai, on a small demo chain: the transactions of a delegation are all this needs.
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'a long demo password';

/**
 * A busy network, played by the local demo chain with its mining switched off through the JSON-RPC
 * URL the harness prints (no test-only API): the first transaction of a delegation waits, the person
 * speeds it up, then cancels the next one, each confirmed in main's own window.
 */
test('a stuck transaction is sped up, another is cancelled, in plain words and by keyboard', async ({
  appPage: page,
  app,
  onboarding,
  models,
  shot,
}) => {
  await onboarding.createWallet(PASSWORD);
  await models.waitForList();
  await models.getDemoNmr();
  const name = await models.nameAt(1);
  await models.open(name);
  const chain = new JsonRpcProvider(app.rpcUrl);
  await chain.send('evm_setAutomine', [false]);

  const startDelegation = async (amount: string) => {
    // A finished delegation leads to the portfolio: come back to the model's page.
    if (!(await page.getByRole('button', { name: `Delegate to ${name}` }).isVisible())) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
      await models.waitForList();
      await models.open(name);
    }
    await page.getByRole('button', { name: `Delegate to ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delegate to ${name}` });
    await models.acceptRisksIfAsked(dialog);
    await dialog.getByLabel('Amount (NMR)').fill(amount);
    await dialog.getByRole('button', { name: 'Review' }).click();
    await confirmInWindow(dialog, { expect: [`Delegate ${amount} NMR`] });
    const approve = dialog.getByRole('listitem').filter({ hasText: `Let the pool move ${amount} NMR` });
    await expect(approve).toContainText('Sent, waiting for the network');
    return { dialog, approve };
  };

  // Speed up, reached with the keyboard.
  {
    const { dialog, approve } = await startDelegation('10');
    const speedUp = approve.getByRole('button', { name: 'Speed up' });
    await expect(approve).toContainText('higher network fee');
    await shot('stuck');
    await speedUp.focus();
    await page.keyboard.press('Enter');
    const review = dialog.getByRole('region', { name: 'Speed up this transaction' });
    await expect(review).toContainText('Fee per gas');
    await expect(review).toContainText('Total cost (at most)');
    await shot('speed-up-review');
    const axe = await new AxeBuilder({ page }).include('[role=dialog]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await confirmInWindow(review, { expect: ['Speed up: Let the pool move 10 NMR', 'Network fee (at most)'], shot });
    await expect(approve).toContainText('Sent again with a higher fee');
    await chain.send('evm_mine', []);
    await expect(approve).toContainText('Sped up · Done, confirmed');
    const delegation = dialog.getByRole('listitem').filter({ hasText: `Delegate 10 NMR to ${name}` });
    await expect(delegation).toContainText('Sent, waiting for the network');
    await chain.send('evm_mine', []);
    await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible();
    await shot('speed-up-done');
    await dialog.getByRole('button', { name: 'Close' }).click();
  }

  // Cancel: the approve is replaced by a 0 ETH transfer to oneself; the delegation is never sent.
  {
    const { dialog, approve } = await startDelegation('20');
    await approve.getByRole('button', { name: 'Cancel this transaction' }).click();
    const review = dialog.getByRole('region', { name: 'Cancel this transaction' });
    await expect(review).toContainText('empty transfer of 0 ETH');
    await confirmInWindow(review, { expect: ['Cancel: Let the pool move 20 NMR', 'later steps of this action will not be sent'] });
    await expect(approve).toContainText('Cancelling, waiting for the network');
    await chain.send('evm_mine', []);
    await expect(approve).toContainText('Cancelled: this step did not happen');
    await expect(dialog.getByRole('alert')).toContainText('You cancelled it, so this step did not happen. Nothing after it was sent.');
    await expect(dialog.getByRole('listitem').filter({ hasText: `Delegate 20 NMR to ${name}` })).not.toContainText('Sent');
    await shot('cancelled');
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
  // The dialog closed while a step waits: the strip under the header keeps speed up within reach.
  {
    const { dialog } = await startDelegation('5');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    const strip = page.getByRole('region', { name: 'Transactions waiting for the network' });
    await expect(strip).toContainText('Let the pool move 5 NMR from your wallet');
    await expect(strip).toContainText('(step 1 of 2)');
    await shot('pending-strip');
    await strip.getByRole('button', { name: 'Speed up' }).click();
    await confirmInWindow(strip.getByRole('region', { name: 'Speed up this transaction' }), {
      expect: ['Speed up: Let the pool move 5 NMR'],
    });
    await expect(strip).toContainText('Sent again with a higher fee');
    await chain.send('evm_mine', []);
    await expect(strip).toContainText('Delegate 5 NMR to');
    await chain.send('evm_mine', []);
    await expect(strip).toBeHidden();
  }
  await expect(page.getByLabel('NMR balance')).toContainText('985');
  await chain.send('evm_setAutomine', [true]);
  // The sped-up 10 and the 5 reached the pool that stakes on Numerai; the cancelled 20 did not.
  const portfolio = new StakingPortfolioPage(page);
  await portfolio.show();
  await expect.poll(() => portfolio.figure(name, 'Waiting to enter')).toBe('15');
  chain.destroy();
});

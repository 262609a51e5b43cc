import { HDNodeWallet, Interface, JsonRpcProvider, formatEther, id, parseEther } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import { SettingsPage } from '../pages/settings';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const ERC20 = new Interface(['function balanceOf(address) view returns (uint256)']);

/**
 * Leaving the pool that stakes on Numerai: the stake enters a Numerai round, the holder takes it
 * back, waits (a demo day at a time) until every round it was staked in has settled, and withdraws;
 * the wallet's NMR on screen is the token's balance on chain, to the wei.
 */
test('a holder takes a staked position back, waits until its rounds settle, and withdraws to the wallet', async ({
  appPage: page,
  app,
  onboarding,
  models,
  shot,
}) => {
  test.setTimeout(600_000);
  const words = await onboarding.createWallet('exit test password');
  await models.waitForList();
  await models.getDemoNmr();
  const name = await models.nameAt(1);
  await models.open(name);
  await models.delegate(name, '200');

  const portfolio = new StakingPortfolioPage(page);
  const settings = new SettingsPage(page);
  await portfolio.show();
  expect(await portfolio.figure(name, 'Waiting to enter')).toBe('200');
  await expect(page.getByRole('button', { name: `Take back from ${name}` })).toHaveCount(0);

  // The operator stakes the model's next round: the NMR enters and is at stake on Numerai.
  await settings.advanceUntil('the stake entered a Numerai round', async () => {
    await portfolio.show();
    return (await portfolio.figure(name, 'Waiting to enter')) === '0';
  });
  await expect(portfolio.rounds(name).filter({ hasText: 'Staked' }).first()).toBeVisible();
  expect(Number(await portfolio.figure(name, 'Value now'))).toBeGreaterThan(0);

  await portfolio.takeBack(name, ['Take back', name, 'Withdrawable']);
  await expect.poll(() => portfolio.figure(name, 'Value now')).toBe('0');
  expect(parseEther(await portfolio.figure(name, 'Leaving'))).toBeGreaterThan(0n);
  await expect(page.getByRole('button', { name: `Withdraw from ${name}` })).toHaveCount(0);
  await shot('portfolio-leaving');

  // Still at risk until every round it was staked in has settled; then it can be withdrawn.
  const withdraw = page.getByRole('button', { name: `Withdraw from ${name}` });
  await settings.advanceUntil('the exit ready to withdraw', async () => {
    await portfolio.show();
    await expect(portfolio.card(name)).toBeVisible();
    return withdraw.isVisible();
  });
  const due = parseEther(await portfolio.figure(name, 'Withdrawable')) + parseEther(await portfolio.figure(name, 'Leaving'));
  await portfolio.withdraw(name, [`Withdraw`, name, 'to your wallet']);
  await expect.poll(async () => parseEther(await portfolio.figure(name, 'Withdrawn so far'))).toBe(due);
  expect(await portfolio.figure(name, 'Leaving')).toBe('0');
  expect(await portfolio.figure(name, 'Withdrawable')).toBe('0');
  await shot('portfolio-after-withdraw');

  // The wallet: 800 left after delegating, plus exactly what was withdrawn, and the chain agrees to the wei.
  const chain = new JsonRpcProvider(app.rpcUrl);
  try {
    const holder = HDNodeWallet.fromPhrase(words.join(' ')).address;
    const withdrawTx = await chain.getTransactionReceipt(await lastTxHashOf(chain, holder));
    const transfer = withdrawTx?.logs.find((l) => l.topics[0] === id('Transfer(address,address,uint256)'));
    expect(transfer, "the withdrawal's NMR transfer").toBeDefined();
    const [onChain] = ERC20.decodeFunctionResult(
      'balanceOf',
      await chain.call({ to: transfer!.address, data: ERC20.encodeFunctionData('balanceOf', [holder]) }),
    ) as unknown as [bigint];
    expect(onChain).toBe(parseEther('800') + due);
    await expect(page.getByLabel('NMR balance').locator('[data-exact]')).toHaveAttribute('data-exact', trimmed(formatEther(onChain)));
  } finally {
    chain.destroy();
  }
});

/** The hash of the newest transaction the holder sent (the withdrawal). */
async function lastTxHashOf(chain: JsonRpcProvider, holder: string): Promise<string> {
  for (let n = await chain.getBlockNumber(); n > 0; n--) {
    const block = await chain.getBlock(n, true);
    const tx = block?.prefetchedTransactions.findLast((t) => t.from.toLowerCase() === holder.toLowerCase());
    if (tx) return tx.hash;
  }
  throw new Error('no transaction from the holder');
}

/** ethers' "800.0" as the page writes it ("800"). */
function trimmed(nmr: string): string {
  return nmr.endsWith('.0') ? nmr.slice(0, -2) : nmr;
}

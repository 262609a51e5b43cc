import { parseEther } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { freshUserDataDir, launchHarness, removeUserData } from '../test-support/launcher';
import { OnboardingPage } from '../pages/onboarding';
import { ModelsPage } from '../pages/models';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import { SettingsPage } from '../pages/settings';

const PASSWORD = 'persistence password';
/** The staking world on a small demo chain; both launches use the same, as a person's app does. */
const ENV = { NMR_DELEGATE_DEMO_MODELS: '12' };
/** The pool rounds share conversions in its own favour, a wei at a time. */
const ROUNDING_WEI = 10n;

test('a position on the staking pool survives a restart of the app, and demo days stake it and settle a result', async ({ page, shot }) => {
  test.setTimeout(600_000);
  const userDataDir = freshUserDataDir();
  try {
    const first = await launchHarness({ userDataDir, env: ENV });
    expect(first.chainStart?.cold).toBe(true);
    await page.goto(first.appUrl);
    await new OnboardingPage(page).createWallet(PASSWORD);
    const models = new ModelsPage(page);
    await models.waitForList();
    await models.getDemoNmr();
    const name = await models.nameAt(2);
    await models.open(name);
    await models.delegate(name, '100');
    const portfolio = new StakingPortfolioPage(page);
    await portfolio.show();
    expect(await portfolio.figure(name, 'Waiting to enter')).toBe('100');
    await page.goto('about:blank');
    await first.stop();

    const second = await launchHarness({ userDataDir, env: ENV });
    try {
      expect(second.chainStart?.cold).toBe(false);
      await page.goto(second.appUrl);
      // Locked after a restart: the models are open to browse; the banner asks to unlock.
      await models.waitForList();
      await expect(page.getByRole('region', { name: 'Wallet' })).toContainText('Your wallet is locked');
      await new OnboardingPage(page).unlock(PASSWORD);
      await models.waitForList();
      await expect(page.getByLabel('NMR balance')).toContainText('900');
      await portfolio.show();
      expect(await portfolio.figure(name, 'Waiting to enter')).toBe('100'); // still waiting to enter
      expect(await portfolio.figure(name, 'Value now')).toBe('0');
      await shot('portfolio-after-restart');

      // A demo day: the model's operator stakes the next Numerai round, and the NMR enters it.
      const settings = new SettingsPage(page);
      await settings.show();
      await settings.nextDemoDay();
      await portfolio.show();
      await expect.poll(() => portfolio.figure(name, 'Waiting to enter')).toBe('0');
      // Shares are issued rounded down in the pool's favour: the value is 100 NMR less at most a few wei.
      const entered = parseEther(await portfolio.figure(name, 'Value now'));
      expect(entered).toBeLessThanOrEqual(parseEther('100'));
      expect(entered).toBeGreaterThanOrEqual(parseEther('100') - ROUNDING_WEI);
      // The newest round the pool staked for the model holds a part of the holder's NMR (the pool stakes
      // part of the model's value; the rest waits for the next rounds).
      const staked = portfolio
        .rounds(name)
        .filter({ hasText: /Staked, (round open|being scored)/ })
        .filter({ hasText: 'at stake' });
      await expect(staked.first()).toBeVisible();
      const round = Number(await staked.first().getByRole('cell').first().innerText());
      await shot('portfolio-staked');

      // Further days: Numerai scores and resolves that round, and the result is claimed into the value.
      const settled = portfolio.round(name, round).filter({ hasText: 'Settled' });
      await settings.advanceUntil(`round ${round} settled`, async () => {
        await portfolio.show();
        await expect(portfolio.card(name)).toBeVisible();
        return (await settled.count()) > 0;
      });
      const result = parseEther(await portfolio.roundCell(name, round, 4));
      expect(result).not.toBe(0n);
      await expect(settled).toContainText(result > 0n ? 'paid' : 'burned');
      const after = parseEther(await portfolio.figure(name, 'Value now'));
      expect(after - (entered + result)).toBeLessThanOrEqual(ROUNDING_WEI);
      expect(entered + result - after).toBeLessThanOrEqual(ROUNDING_WEI);
      await shot('portfolio-after-round');
      await page.goto('about:blank');
    } finally {
      await second.stop();
    }
  } finally {
    removeUserData(userDataDir);
  }
});

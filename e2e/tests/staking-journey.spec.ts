import { readFileSync } from 'node:fs';
import { parseEther } from 'ethers';
import { demoModelRoundResult } from '../../main/records';

import { test, expect } from '../test-support/fixtures';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import { SettingsPage } from '../pages/settings';

/**
 * The whole journey on the pool that stakes through Numerai (issue #13's must-show), by role and
 * label as a person uses it: create a wallet, get demo NMR, delegate to three models; the demo's
 * operators stake a Numerai round, Numerai resolves it with a payout for one model and a burn for
 * another, the results are claimed for the pool; the portfolio and the CSV show both to the wei,
 * "Check with Numerai" says verified; then take back and withdraw.
 */
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'a long demo password';
const AMOUNT = '100';

test('a holder delegates, the pool stakes on Numerai, a payout and a burn show to the wei, are verified, taken back and withdrawn', async ({
  appPage: page,
  onboarding,
  models,
  history,
  shot,
}) => {
  test.setTimeout(600_000);
  await onboarding.createWallet(PASSWORD);
  await models.waitForList();
  await models.getDemoNmr();

  // The Numerai round the operators stake next, and the pool's models on screen.
  const round = await models.openRound();
  const names = await models.names();
  // The demo Numerai pays 5×CORR + 10×MMC of the models' generated scores: both positive pays, both negative burns.
  const score = (name: string) => demoModelRoundResult(name, round);
  const winner = names.find((n) => (score(n)?.corr20 ?? 0) > 0 && (score(n)?.mmc ?? 0) > 0);
  const loser = names.find((n) => (score(n)?.corr20 ?? 0) < 0 && (score(n)?.mmc ?? 0) < 0);
  expect(winner, 'a demo model Numerai pays in the round').toBeDefined();
  expect(loser, 'a demo model Numerai burns in the round').toBeDefined();
  const third = names.find((n) => n !== winner && n !== loser)!;
  for (const name of [winner!, loser!, third]) {
    await models.open(name);
    await models.delegate(name, AMOUNT);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await models.waitForList();
  }

  const portfolio = new StakingPortfolioPage(page);
  const settings = new SettingsPage(page);
  await portfolio.show();
  for (const name of [winner!, loser!, third]) expect(await portfolio.figure(name, 'Waiting to enter')).toBe(AMOUNT);
  await shot('staking-portfolio-waiting');

  // The operators stake, Numerai resolves, the results are claimed: the demo moves a day at a time.
  const settled = (name: string) => portfolio.round(name, round).filter({ hasText: 'Settled' });
  await settings.advanceUntil(`round ${round} settled for the winner and the loser`, async () => {
    await portfolio.show();
    await expect(portfolio.card(winner!)).toBeVisible();
    return (await settled(winner!).count()) > 0 && (await settled(loser!).count()) > 0;
  });
  await expect(settled(winner!)).toContainText('paid');
  await expect(settled(loser!)).toContainText('burned');
  await shot('staking-portfolio-settled');

  // The holder's own result of each, on screen to the wei.
  const yours = async (name: string) => portfolio.roundCell(name, round, 4);
  const winnerGain = parseEther(await yours(winner!));
  const loserResult = parseEther(await yours(loser!));
  expect(winnerGain).toBeGreaterThan(0n);
  expect(loserResult).toBeLessThan(0n);

  // "Check with Numerai": main checks the claim's proof against the root on Numerai's contract.
  expect(await portfolio.checkWithNumerai(winner!, round)).toMatch(/^Verified: Numerai's contract holds this result/);
  expect(await portfolio.checkWithNumerai(loser!, round)).toMatch(/^Verified: /);
  await shot('staking-portfolio-verified');

  // The CSV holds the same results: a payout (less the operator's fee) for one, a burn for the other.
  await history.show();
  const download = await history.exportCsv();
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i]!, v])));
  const sum = (name: string, types: string[]) =>
    rows
      .filter((r) => r.model === name && Number(r.numerai_round) === round && types.includes(r.type ?? ''))
      .reduce((s, r) => s + signedWei(r.amount_nmr!), 0n);
  expect(sum(winner!, ['payout', 'fee'])).toBe(winnerGain);
  const burned = sum(loser!, ['burn']);
  expect(burned < 0n ? burned : -burned).toBe(loserResult);

  // Take back everything from the winner; once its rounds settle, withdraw it.
  await portfolio.show();
  await portfolio.takeBack(winner!);
  const withdraw = page.getByRole('button', { name: `Withdraw from ${winner!}` });
  await settings.advanceUntil('the exit ready to withdraw', async () => {
    await portfolio.show();
    await expect(portfolio.card(winner!)).toBeVisible();
    return withdraw.isVisible();
  });
  await shot('staking-portfolio-leaving');
  const due = parseEther(await portfolio.figure(winner!, 'Withdrawable')) + parseEther(await portfolio.figure(winner!, 'Leaving'));
  await portfolio.withdraw(winner!);
  await expect.poll(async () => parseEther(await portfolio.figure(winner!, 'Withdrawn so far'))).toBe(due);
  await shot('staking-portfolio-withdrawn');
});

/** A CSV amount, which may be negative (a burn, a fee), in wei. */
function signedWei(nmr: string): bigint {
  return nmr.startsWith('-') ? -parseEther(nmr.slice(1)) : parseEther(nmr);
}

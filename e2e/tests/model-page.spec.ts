import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../test-support/fixtures';
import { checkA11y } from '../test-support/a11y';
import { nmrFromDecimal } from '../../shared/money';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'model page test password';

/** The exact NMR figure an amount on the page carries (its data-exact), as wei. */
async function exactWei(amount: Locator): Promise<bigint> {
  const exact = await amount.locator('[data-exact]').first().getAttribute('data-exact');
  expect(exact, 'an exact figure').not.toBeNull();
  return nmrFromDecimal(exact!);
}

/** A figure tile's value as shown ("+12.3%"). */
async function figureText(page: Page, label: string): Promise<string> {
  return (
    await page
      .locator('dl.figures .figure', { has: page.getByText(label, { exact: true }) })
      .locator('.figure-value')
      .innerText()
  ).trim();
}

/** Shows the whole page in a screenshot: the app scrolls inside its content pane, so grow the window for the shot. */
async function fullShot(page: Page, shot: (name: string) => Promise<void>, name: string) {
  const height = await page.locator('.content').evaluate((el) => el.scrollHeight + 120);
  await page.setViewportSize({ width: 1280, height: Math.max(800, height) });
  await shot(name);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('the model page: periods, round bars, scores, stake, figures in plain words, and a what-if replay whose figures add up', async ({
  appPage: page,
  onboarding,
  models,
  shot,
}) => {
  await onboarding.createWallet(PASSWORD);
  await models.waitForList();
  const name = await models.nameAt(1);
  // The pool's terms for the model, as the list joins them from the staking pool (cell 10: the fee).
  const poolFee = Number((await models.rows().nth(1).getByRole('cell').nth(10).innerText()).replace('%', ''));
  expect(Number.isFinite(poolFee)).toBe(true);
  await models.open(name);
  // The model page says the same: the fee its operator set in the staking pool, and that it can be delegated to.
  const terms = await page.getByText(/operator fee [\d.]+% of gains/).innerText();
  expect(Number(/operator fee ([\d.]+)%/.exec(terms)![1])).toBe(poolFee);

  // First screen: the cumulative return (the one area chart on the page) and the figures, each explained.
  await expect(page.getByRole('img', { name: 'Cumulative return by round' })).toBeVisible();
  await expect(page.locator('.recharts-area-curve')).toBeVisible();
  for (const [label, words] of [
    ['Sharpe-like ratio', /divided by the swings/],
    ['Worst drop', /biggest fall from a high point/],
    ['Rounds with a gain', /How often a round ended up/],
    ['Swings (volatility)', /bumpier ride/],
  ] as const) {
    const figure = page.locator('.figure', { has: page.getByText(label, { exact: true }) });
    await expect(figure).toBeVisible();
    await expect(figure.locator('.figure-note')).toHaveText(words);
  }
  await expect(page.getByRole('button', { name: `Delegate to ${name}` })).toBeVisible();

  // Periods: every chart follows the picker, and the period's return agrees with main's figure.
  const period = page.getByRole('group', { name: 'Period' });
  const bars = page.getByRole('img', { name: /^Return of (each|every \d+) rounds? over / });
  const scores = page.getByRole('img', { name: /^CORR20, MMC and TC scores/ });
  const stake = page.getByRole('img', { name: new RegExp(`^${name}’s own stake at Numerai`) });
  const summaryOf = (title: string) =>
    page
      .locator('.card', { has: page.getByRole('heading', { name: title }) })
      .locator('.chart-summary')
      .first();

  // Reached and pressed from the keyboard, like any control.
  await period.getByRole('button', { name: '3 months' }).focus();
  await page.keyboard.press('Enter');
  await expect(period.getByRole('button', { name: '3 months' })).toHaveAttribute('aria-pressed', 'true');
  await expect(period.getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'false');
  await expect(summaryOf('Cumulative return')).toContainText('Over the last 3 months (rounds ');
  await expect(bars).toHaveAccessibleName(/^Return of each round over the last 3 months/);
  const threeMonths = (await summaryOf('Cumulative return').locator('.pos, .neg').first().innerText()).trim();
  expect(threeMonths).toBe(await figureText(page, 'Return, last 3 months'));

  // One bar per round, green for each gain: as many green bars as the words say rounds gained.
  const roundWords = (await summaryOf('Result of each round').innerText()).match(/^([\d,.\s]+) of ([\d,.\s]+) rounds gained/);
  expect(roundWords, 'the bar chart says how many rounds gained').not.toBeNull();
  const [gained, rounds] = [Number(roundWords![1]!.replace(/\D/g, '')), Number(roundWords![2]!.replace(/\D/g, ''))];
  expect(rounds).toBeGreaterThan(55);
  expect(rounds).toBeLessThan(75);
  await expect(bars.locator('.recharts-bar-rectangle path[fill="var(--pos)"]')).toHaveCount(gained);
  const red = await bars.locator('.recharts-bar-rectangle path[fill="var(--neg)"]').count();
  expect(red).toBeGreaterThan(0);
  expect(gained + red).toBeLessThanOrEqual(rounds);
  await expect(scores.locator('.recharts-line-curve')).toHaveCount(3);
  await expect(stake.locator('.recharts-line-curve')).toHaveCount(1);
  await fullShot(page, shot, 'model-3-months');

  await period.getByRole('button', { name: '1 year' }).click();
  await expect(period.getByRole('button', { name: '1 year' })).toHaveAttribute('aria-pressed', 'true');
  const shorter = page.getByText(/record is shorter than 1 year/);
  await expect(summaryOf('Cumulative return')).toContainText(/Over the last year|Over its whole record/);
  if (!(await shorter.isVisible())) {
    await expect(summaryOf('Cumulative return')).toContainText('Over the last year (rounds ');
    const oneYear = (await summaryOf('Cumulative return').locator('.pos, .neg').first().innerText()).trim();
    expect(oneYear).toBe(await figureText(page, 'Return, last year'));
  }
  await expect(bars).toHaveAccessibleName(/over the last year|over its whole record/);

  await period.getByRole('button', { name: 'All' }).click();
  await expect(summaryOf('Cumulative return')).toContainText('Over its whole record');
  await expect(bars).toHaveAccessibleName(/over its whole record/);
  // A long record is grouped, several rounds a bar, never more than 280 bars.
  expect(await bars.locator('.recharts-bar-rectangle').count()).toBeLessThanOrEqual(280);
  await expect(page.locator('.recharts-area-curve')).toBeVisible();
  await fullShot(page, shot, 'model-all');

  // What if: errors first, each with a message that says what to do.
  const form = page.getByRole('form', { name: 'What if you had delegated' });
  await expect(page.getByText('it is not a forecast')).toBeVisible();
  await expect(page.getByText(/capped at ±5% of the stake a round/)).toBeVisible();
  await expect(page.getByText(/a real delegation’s path differs/)).toBeVisible();
  const firstLabel = await form.getByRole('radio', { name: /At its first round/ }).evaluate((el) => el.parentElement!.textContent ?? '');
  const firstRound = Number(firstLabel.match(/\((\d+)\)/)![1]);
  await form.getByLabel('Round number').fill(String(firstRound - 5));
  await expect(form.getByRole('radio', { name: 'During round' })).toBeChecked();
  await form.getByRole('button', { name: 'Replay' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`before ${name}'s first round. Its record starts at round ${firstRound}`);
  await alert.scrollIntoViewIfNeeded();
  await shot('what-if-error');
  await form.getByLabel('Amount (NMR)').fill('12abc');
  await form.getByRole('button', { name: 'Replay' }).click();
  await expect(alert).toContainText('Enter a number such as 12.5.');

  // A replay from 3 months ago, started from the keyboard: the figures must add up to the wei.
  await form.getByLabel('Amount (NMR)').fill('250.5');
  await form.getByRole('radio', { name: '3 months ago' }).check();
  await form.getByLabel('Amount (NMR)').press('Enter');
  const result = page.getByRole('region', { name: 'Replay result' });
  await expect(result.getByRole('heading')).toContainText(/^250\.5 NMR delegated 3 months ago \(during round \d+\) would be worth/);
  await expect(alert).toHaveCount(0);
  const figures = result.locator('dl.whatif-figures');
  const principal = await exactWei(figures.locator('[data-figure="principal"]'));
  const reward = await exactWei(figures.locator('[data-figure="reward"]'));
  const fee = await exactWei(figures.locator('[data-figure="fee"]'));
  const burned = await exactWei(figures.locator('[data-figure="burned"]'));
  const final = await exactWei(figures.locator('[data-figure="final"]'));
  expect(principal).toBe(nmrFromDecimal('250.5'));
  expect(final).toBe(principal + reward - fee - burned);
  expect(reward + burned, 'three months of results moved the value').toBeGreaterThan(0n);
  // The fee is the operator's share of each gain: reward × fee%, to within the per-round flooring.
  const feePct = Number((await figures.getByText(/^Operator fee \(/).innerText()).match(/\(([\d.,]+)%/)![1]!.replace(',', '.'));
  const feeShare = reward === 0n ? 0 : Number((fee * 1_000_000n) / reward) / 10_000;
  expect(Math.abs(feeShare - feePct)).toBeLessThan(0.06);
  // The heading's value is the final figure.
  expect(await exactWei(result.getByRole('heading'))).toBe(final);
  await expect(result.getByRole('img', { name: /^Value of 250\.5 NMR delegated to / })).toBeVisible();
  await expect(result.locator('.recharts-line-curve')).toHaveCount(1);
  // The 3-month replay covers the same rounds as the 3-month chart: its value moves the same way.
  const threeMonthsUp = threeMonths.startsWith('+');
  if (Math.abs(Number(threeMonths.replace(/[^\d.,-]/g, '').replace(',', '.'))) > 1) expect(final > principal).toBe(threeMonthsUp);
  await fullShot(page, shot, 'what-if-3-months');
  await checkA11y(page, 'model page with a replay');

  // A replay from a round number.
  const from = firstRound + 10;
  await form.getByLabel('Round number').fill(String(from));
  await form.getByRole('button', { name: 'Replay' }).click();
  await expect(result.getByRole('heading')).toContainText(`250.5 NMR delegated during round ${from} would be worth`);
  await expect(result).toContainText(`At risk from round ${from + 1} to round`);
  const principal2 = await exactWei(figures.locator('[data-figure="principal"]'));
  const parts2 = await Promise.all(['reward', 'fee', 'burned', 'final'].map((f) => exactWei(figures.locator(`[data-figure="${f}"]`))));
  expect(parts2[3]).toBe(principal2 + parts2[0]! - parts2[1]! - parts2[2]!);

  // Dark mode: the charts take the theme's colours and still pass axe.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toBe('#0f141a');
  await period.getByRole('button', { name: '3 months' }).click();
  await fullShot(page, shot, 'model-dark');
  await checkA11y(page, 'model page (dark)');

  // The delegate button still opens the dialog.
  await page.getByRole('button', { name: `Delegate to ${name}` }).click();
  await expect(page.getByRole('dialog', { name: `Delegate to ${name}` })).toBeVisible();
});

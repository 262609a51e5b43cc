import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parseUnits } from 'ethers';
import { test, expect } from '../test-support/fixtures';
import { StakingPortfolioPage } from '../pages/staking-portfolio';
import { checkA11y } from '../test-support/a11y';
import { SettingsPage } from '../pages/settings';
import { winnerAndLoser } from '../test-support/demo-days';

test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

const PASSWORD = 'a long history password';

/** A cell's exact NMR amount (the figure on screen may be shortened) in wei. */
const wei = (exact: string) => parseUnits(exact, 18);
/** A signed exact amount (a burn is negative) in wei. */
const signedWei = (exact: string) => (exact.startsWith('-') ? -wei(exact.slice(1)) : wei(exact));

test('the list moves by keyboard; returns charts reconcile with the positions; History lists every entry with totals to the wei, filters it, and exports what it lists (one model, one year, Koinly, a value column)', async ({
  appPage: page,
  onboarding,
  models,
  history,
  shot,
}) => {
  test.setTimeout(600_000);
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

  // Before any delegation, History says plainly that there is nothing yet and what starts it.
  await history.show();
  await expect(page.getByText('No entries yet. Your history starts with your first delegation')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Export these 0 entries' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
  await shot('history-empty');
  await checkA11y(page, 'history before any delegation');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await models.waitForList();

  // A model the demo Numerai pays in the open round and one it burns, so the history holds both.
  const round = await models.openRound();
  const { winner, loser } = winnerAndLoser(await models.names(), round);
  const amounts = new Map([
    [winner, '120'],
    [loser, '80.25'],
  ]);
  await models.getDemoNmr();
  for (const [name, amount] of amounts) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await models.waitForList();
    await models.open(name);
    await models.delegate(name, amount);
  }

  // Before any round: the returns say so plainly.
  const portfolio = new StakingPortfolioPage(page);
  await portfolio.show();
  await expect(page.getByText('No round has been resolved since you delegated yet')).toBeVisible();

  // The operators stake, Numerai settles the round: a payout for one, a burn for the other.
  const settled = (name: string) => portfolio.round(name, round).filter({ hasText: 'Settled' });
  await new SettingsPage(page).advanceUntil(`round ${round} settled for both models`, async () => {
    await portfolio.show();
    await expect(portfolio.card(winner)).toBeVisible();
    return (await settled(winner).count()) > 0 && (await settled(loser).count()) > 0;
  });

  await portfolio.show();
  const returns = page.getByRole('region', { name: 'Returns' });
  await expect(returns.getByRole('img', { name: /portfolio's value after each round/ })).toBeVisible();
  await expect(returns.getByRole('img', { name: /What each round added or burned, in NMR/ })).toBeVisible();
  // Each position's value now is what was put in plus its settled results (to the wei, but for the pool's rounding down).
  let valueNow = 0n;
  const portfolioValue = new Map<string, bigint>();
  const results = new Map<string, string>();
  for (const [name, amount] of amounts) {
    results.set(name, await portfolio.roundCell(name, round, 4));
    const rows = settled(name);
    await expect(rows.first()).toBeVisible();
    let settledSum = 0n;
    for (let i = 0; i < (await rows.count()); i++) {
      const roundId = (await rows.nth(i).getByRole('cell').first().innerText()).trim();
      // A round settled before the holder joined says "before you joined" and holds nothing of theirs.
      const yours = await portfolio.roundCell(name, roundId, 4);
      if (yours !== '') settledSum += signedWei(yours);
    }
    const value = wei(await portfolio.figure(name, 'Value now'));
    const drift = wei(amount) + settledSum - value;
    expect(drift >= 0n && drift < 1000n, `${name}: ${drift} wei`).toBe(true);
    valueNow += value;
    portfolioValue.set(name, value);
  }
  // The value chart ends where the positions are: their value now, for what was put in.
  const summary = returns.locator('p', { hasText: /^From round/ });
  const [chartValue, putIn] = await summary
    .locator('[data-exact]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-exact') ?? ''));
  expect(wei(putIn!)).toBe(wei('200.25'));
  const chartDrift = wei(chartValue!) - valueNow;
  expect(chartDrift >= 0n && chartDrift < 2000n, `chart vs positions: ${chartDrift} wei`).toBe(true);
  await shot('portfolio-returns');
  await checkA11y(page, 'portfolio with returns');
  await returns.getByLabel('Show').selectOption({ label: loser });
  const oneBars = returns.getByRole('img', { name: `What each round added or burned for ${loser}, in NMR` });
  await expect(oneBars).toBeVisible();
  await oneBars.scrollIntoViewIfNeeded();
  await shot('portfolio-round-results');
  const b = loser;

  // History: every entry as a statement, newest first, with the totals of each position.
  await history.show();
  const entries = history.entries();
  await expect(entries.first()).toBeVisible();
  const all = await history.entryCount();
  expect(all).toBeGreaterThanOrEqual(8);
  for (const [name, amount] of amounts) {
    const delegated = entries.filter({ hasText: name }).filter({ hasText: 'Delegated' });
    await expect(delegated).toHaveCount(1);
    await expect(delegated.locator('[data-exact]').first()).toHaveAttribute('data-exact', amount);
    await expect(entries.filter({ hasText: name }).filter({ hasText: `Staked in round ${round}` })).toHaveCount(1);
    // Totals to the wei of the Portfolio: what was put in, the round's result, the value now.
    expect(await history.total(name, 'Delegated')).toBe(amount);
    const net = wei(await history.total(name, 'Paid')) - wei(await history.total(name, 'Fees')) - wei(await history.total(name, 'Burned'));
    expect(net, `${name}: paid − fees − burned`).toBe(signedWei(results.get(name)!));
  }
  for (const [name, value] of portfolioValue) expect(wei(await history.total(name, 'Value at end')), name).toBe(value);
  expect(wei(await history.total('All positions', 'Value at end'))).toBe([...portfolioValue.values()].reduce((x, y) => x + y, 0n));
  await expect(entries.filter({ hasText: winner }).filter({ hasText: `Payout, round ${round}` })).toHaveCount(1);
  await expect(entries.filter({ hasText: loser }).filter({ hasText: `Burn, round ${round}` })).toHaveCount(1);
  // The date column's header turns the list round: oldest first starts with the first delegation.
  const firstDate = () => entries.first().getByRole('cell').first().innerText();
  const newestDate = await firstDate();
  await page.getByRole('button', { name: 'Date (UTC)' }).click();
  await expect(entries.first()).toContainText('Delegated');
  await expect(entries.first()).toContainText(winner);
  expect((await firstDate()) <= newestDate).toBe(true);
  await page.getByRole('button', { name: 'Date (UTC)' }).click();
  await expect(entries.first()).not.toContainText('Delegated');
  await expect.poll(firstDate).toBe(newestDate);
  await shot('history-entries');
  await checkA11y(page, 'history entries');

  // One model, its burns: only those rows, and one position in the totals.
  await history.filter('Model', b);
  await history.filter('Kind', 'Burns');
  await expect.poll(() => history.entryCount()).toBe(1);
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(`Burn, round ${round}`);
  await expect(page.getByRole('table', { name: /^Totals/ }).getByRole('rowheader')).toHaveText([b]);
  expect(signedWei((await entries.first().locator('[data-exact]').first().getAttribute('data-exact'))!)).toBe(signedWei(results.get(b)!));

  // The export takes the screen's filters: one model, every kind, this year → the rows listed.
  await history.filter('Kind', 'Every kind');
  const year = String(new Date().getUTCFullYear());
  await history.filter('Period', year);
  await expect.poll(() => history.entryCount()).toBeGreaterThan(1);
  const listed = await history.entryCount();
  await expect(page.getByRole('heading', { name: `Export these ${listed} entries` })).toBeVisible();
  await shot('history-one-model');
  const rows = readCsv(await (await history.exportCsv()).path());
  expect(rows).toHaveLength(listed);
  expect(new Set(rows.map((r) => r.model))).toEqual(new Set([b]));
  expect(new Set(rows.map((r) => r.date_utc!.slice(0, 4)))).toEqual(new Set([year]));
  const types = new Set(rows.map((r) => r.type));
  expect(types).toContain('delegated');
  expect(types).toContain('burn');
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(`Exported ${rows.length} row`);

  // Koinly's layout for a tax tool, both models: the payout is income ("reward"), the operator's fee a
  // cost, the burn a loss ("lost"), each to the wei of the holder's result on the Portfolio.
  await history.filter('Model', 'Every model');
  await history.chooseFormat('Koinly CSV');
  const koinly = readCsv(await (await history.export()).path());
  expect(Object.keys(koinly[0]!).slice(0, 3)).toEqual(['Date', 'Sent Amount', 'Sent Currency']);
  const ofRound = (name: string, label: string) =>
    koinly.filter(
      (r) => r.Label === label && r.Description!.includes(`model ${name} (#`) && new RegExp(`round ${round}(:|$)`).test(r.Description!),
    );
  const received = (r: Record<string, string>) => wei(r['Received Amount'] || '0');
  const sent = (r: Record<string, string>) => wei(r['Sent Amount'] || '0');
  const [payout] = ofRound(winner, 'reward').filter((r) => r.Description!.startsWith('Numerai payout'));
  const [burn] = ofRound(loser, 'lost');
  expect(payout, `a Koinly income row for ${winner}'s payout`).toBeDefined();
  expect(burn, `a Koinly loss row for ${loser}'s burn`).toBeDefined();
  expect(sent(payout!)).toBe(0n);
  expect(received(burn!)).toBe(0n);
  const fee = ofRound(winner, 'cost').reduce((sum, r) => sum + sent(r), 0n);
  expect(received(payout!) - fee).toBe(signedWei(results.get(winner)!));
  expect(-sent(burn!)).toBe(signedWei(results.get(loser)!));

  // A value column from a file of daily prices the holder picks.
  await history.chooseFormat('CSV');
  await page.getByLabel('Add each entry’s value in your currency').check();
  const today = new Date().toISOString().slice(0, 10);
  await page
    .getByLabel('Daily prices (CSV)')
    .setInputFiles({ name: 'nmr-prices.csv', mimeType: 'text/csv', buffer: Buffer.from(`date,price\n${today},10.00\n`) });
  await page.getByRole('textbox', { name: 'Currency' }).fill('EUR');
  await shot('history-fiat');
  await checkA11y(page, 'history export options');
  const priced = readCsv(await (await history.export()).path());
  expect(Object.keys(priced[0]!)).toContain('amount_eur');
  const delegation = priced.find((r) => r.type === 'delegated' && r.model === b)!;
  expect(delegation.amount_nmr).toBe('80.25');
  expect(delegation.amount_eur).toBe('802.50');

  // A period that ends before it starts is refused, with words to fix it; nothing is listed or exported.
  await history.filter('Period', 'Between two days…');
  await page.getByLabel('First day').fill('2025-03-02');
  await page.getByLabel('Last day (included)').fill('2025-03-01');
  await expect(page.getByRole('alert').filter({ hasText: 'The first day comes after the last day.' })).toBeVisible();
  await shot('history-bad-period');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Fix the period above first' })).toBeVisible();
});

/** An exported CSV file's rows, by column name. */
function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true });
}

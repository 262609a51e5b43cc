import { test as base, expect } from '../test-support/fixtures';
import { startAnvil, type AnvilHandle } from '../../main/devnet/anvil';
import { createProvider } from '../../main/chain/provider';
import { deployStakingWorld, type StakingDeployment } from '../../main/devnet/staking-world';
import { checkA11y } from '../test-support/a11y';
import { SettingsPage } from '../pages/settings';
import { fakeModelId, makeFakeWorld, startFakeNumerai, type FakeNumerai } from '../../main/records/test-support/fake-numerai';

/**
 * A holder's first start on a real network, with no Numerai records saved: "All models" lists every
 * model from Numerai's leaderboards at once — rank, stake and Numerai's own returns — and says the
 * histories are loading, while they come in the background at the API's 5 requests a second. The
 * API is the test's stand-in of Numerai (rate-limited like the real one, histories slowed down);
 * the "real network" is a node of its own with the staking pool deployed (a Sepolia chain id).
 */
const CHAIN_ID = 11155111;
const NMR = 10n ** 18n;
const test = base.extend<{ numerai: FakeNumerai; remote: { node: AnvilHandle; d: StakingDeployment } }>({
  // eslint-disable-next-line no-empty-pattern -- a Playwright fixture names what it needs by destructuring; this one needs nothing
  remote: async ({}, use) => {
    const node = await startAnvil({ chainId: CHAIN_ID });
    const provider = createProvider(node.url, CHAIN_ID, 20, 1);
    const spec = {
      models: ['classic_0', 'classic_1'].map((name) => ({ name, feeBps: 500, capWei: 50_000n * NMR })),
      firstRoundId: 101n,
      historyRounds: 0,
    };
    const d = await deployStakingWorld(provider, spec, CHAIN_ID);
    provider.destroy();
    await use({ node, d });
    await node.stop();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  numerai: async ({}, use) => {
    const api = await startFakeNumerai(makeFakeWorld({ classic: 240, signals: 40, crypto: 20, currentRound: 80 }), {
      rateLimit: { perSecond: 5 },
      logLimit: 10_000,
    });
    // Each history takes a while: the list must not wait for them.
    api.fault = (r) => (r.rootField === 'v2RoundModelPerformances' ? { delayMs: 1500 } : undefined);
    await use(api);
    await api.close();
  },
  appEnv: async ({ numerai }, use) => use({ NMR_DELEGATE_DEMO_MODELS: '12', NMR_DELEGATE_NUMERAI_URL: numerai.url }),
});

test('every model is listed with Numerai’s figures before the histories arrive', async ({
  appPage: page,
  onboarding,
  numerai,
  remote,
  shot,
}) => {
  const { d } = remote;
  await onboarding.createWallet('first start password');
  await new SettingsPage(page).connectRealNetwork({
    rpcUrl: remote.node.url,
    chainId: CHAIN_ID,
    nmr: d.nmr,
    staking: d.staking,
    pool: d.pool,
  });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
  await page.getByRole('group', { name: 'Which models' }).getByRole('button', { name: 'All models' }).click();
  await expect(page.getByText(/^300 models · Numerai · 300 models listed · histories \d+ of 300 loaded/)).toBeVisible({ timeout: 30_000 });
  // This pool has staked in no round yet: no "Round 0 is open" in the heading.
  await expect(page.getByText(/Round \d+ is open/)).toHaveCount(0);
  // A fee limit goes by the pool's fee (5 % for its two models); Numerai's records carry no fee, so
  // the models outside the pool have none to pass it with.
  const maxFee = page.getByLabel('Fee at most (%)');
  await maxFee.fill('5');
  await expect(page.getByText(/^2 models · Numerai/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Models' }).getByRole('button', { name: 'classic_0', exact: true })).toBeVisible();
  await maxFee.fill('4.5');
  await expect(page.getByText('No model matches these filters.')).toBeVisible();
  await maxFee.fill('');
  await expect(page.getByText(/^300 models · Numerai/)).toBeVisible();
  // Sorted by Numerai's own 3-month return, best first, while no history is in.
  await page.getByRole('columnheader', { name: '3 months' }).getByRole('button').click();
  const table = page.getByRole('table', { name: 'Models' });
  const first = table.getByRole('row').nth(1);
  await expect(first.getByRole('cell').nth(1)).toContainText(/#\d+/);
  await expect(first.getByTitle('This model’s round-by-round history is still loading').first()).toBeVisible();
  await expect(first.getByTitle(/Numerai’s own figure from its leaderboard/).first()).toBeVisible();
  const histories = numerai.requests.filter((r) => r.rootField === 'v2RoundModelPerformances').length;
  expect(histories).toBeLessThan(300);
  await shot('numerai-first-start-all-models');
  await checkA11y(page, 'all models while histories load');

  // A model opened now is fetched next; its page says its history is on its way. From here on every
  // history is held back, and the one opened is a listed model outside the pool (whose histories come
  // first) whose history nobody has asked for yet: however slow this machine, its page is seen before
  // its history is in.
  numerai.fault = (r) => (r.rootField === 'v2RoundModelPerformances' ? { delayMs: 20_000 } : undefined);
  const asked = new Set(numerai.requests.filter((r) => r.rootField === 'v2RoundModelPerformances').map((r) => String(r.variables.modelId)));
  let name: string | undefined;
  for (const row of await table.getByRole('row').all()) {
    // The header row has no cells; the name is the second cell's button, as for the first row above.
    const link = row.getByRole('cell').nth(1).getByRole('button');
    if ((await link.count()) === 0 || (await row.getByText('in pool', { exact: true }).count()) > 0) continue;
    const candidate = (await link.innerText()).trim();
    if (!asked.has(fakeModelId(candidate))) {
      name = candidate;
      break;
    }
  }
  if (name === undefined) throw new Error('every listed model’s history was already asked for');
  await table.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'history is still loading' })).toBeVisible();
  // Outside the pool it has no pool figures: the page says so instead of a 0% fee and 0 NMR delegated.
  await expect(page.getByRole('definition').filter({ hasText: /^No$/ })).toBeVisible();
  await expect(page.getByRole('term').filter({ hasText: /^(Operator fee|Delegated in the pool|Room left)$/ })).toHaveCount(0);
  await shot('numerai-first-start-model-page');
  expect(numerai.rateLimited).toBe(0);
});

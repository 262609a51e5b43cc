import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { JsonRpcProvider } from 'ethers';
import { refuseNonLoopbackSockets } from '../../scripts/test-support/loopback-sockets';
import { startRelayStandIn, type RelayStandIn } from '../../main/walletconnect/test-support/relay';
import { startTestWallet, type TestWallet } from '../../main/walletconnect/test-support/test-wallet';
import { test as base, expect } from '../test-support/fixtures';
import { ROOT } from '../test-support/launcher';
import { checkA11y } from '../test-support/a11y';
import { confirmInWindow } from '../pages/confirm';
import { AccountsPage } from '../pages/accounts';
import { SettingsPage } from '../pages/settings';
import { StakingPortfolioPage } from '../pages/staking-portfolio';

/**
 * Issue #17's must-show, offline: with no key in this app at all, pair the test wallet from
 * Settings (QR code and link), delegate to a model, the wallet signs and broadcasts, the position
 * appears; a refusal in the wallet leaves nothing sent. The relay is our stand-in on 127.0.0.1 and the wallet the SDK in wallet mode, both
 * in this process; the app runs with a preload that refuses and records any socket it opens to
 * anything but loopback, and so does this process: both lists must stay empty.
 */
// Anvil's dev account #6 (public test key; the demo world does not use it).
const WALLET_KEY = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e';

const test = base.extend<{ relay: RelayStandIn; outsideLog: string; testOutside: string[] }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads what a fixture needs from this pattern; these need nothing
  relay: async ({}, use) => {
    const relay = await startRelayStandIn();
    await use(relay);
    await relay.close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  testOutside: async ({}, use) => {
    const outside: string[] = [];
    const restore = refuseNonLoopbackSockets((host) => (outside.push(host), new Error(`offline test: ${host}`)));
    await use(outside);
    restore();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  outsideLog: async ({}, use, testInfo) => use(testInfo.outputPath('outside-connections.log')),
  appEnv: async ({ relay, outsideLog }, use, testInfo) => {
    const preload = testInfo.outputPath('loopback-preload.mjs');
    buildSync({
      entryPoints: [join(ROOT, 'scripts/test-support/loopback-preload.ts')],
      outfile: preload,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    await use({
      NMR_DELEGATE_DEMO_MODELS: '12',
      NMR_DELEGATE_WC_PROJECT_ID: 'offline-test',
      NMR_DELEGATE_WC_RELAY_URL: relay.url,
      NODE_OPTIONS: `--import=${preload}`,
      NMR_DELEGATE_TEST_OUTSIDE_LOG: outsideLog,
    });
  },
});

test('pair a wallet over WalletConnect, delegate with it; a refusal in the wallet sends nothing; nothing leaves 127.0.0.1', async ({
  app,
  appPage: page,
  models,
  relay,
  outsideLog,
  testOutside,
  shot,
}) => {
  test.setTimeout(300_000);
  let wallet: TestWallet | null = null;
  const provider = new JsonRpcProvider(app.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    wallet = await startTestWallet({ relayUrl: relay.url, privateKey: WALLET_KEY, rpcUrl: app.rpcUrl, name: 'Test Wallet' });
    // No key is created or imported here: the holder's keys stay in their wallet.
    await models.waitForList();

    // Settings → Sign with: the key, a WalletConnect pairing code, and why a Ledger cannot be added here.
    const settings = new SettingsPage(page);
    const accounts = new AccountsPage(page);
    await settings.show();
    await expect(accounts.account('Key on this computer')).toBeChecked();
    await expect(accounts.card.getByText('No key yet')).toBeVisible();
    await expect(accounts.card.getByText('The browser version has no USB access: connect a Ledger in the desktop app.')).toBeVisible();
    await expect(accounts.card.getByRole('button', { name: 'Add a Ledger' })).toBeDisabled();
    const uri = await accounts.startPairing();
    expect(uri).toMatch(/^wc:[0-9a-f]{64}@2\?/);
    await shot('walletconnect-pairing');
    await checkA11y(page, 'walletconnect pairing');

    // The person scans the code; the wallet approves; its account is in use.
    await wallet.pair(uri);
    await expect(accounts.account('WalletConnect: Test Wallet')).toBeChecked({ timeout: 15_000 });
    await expect(accounts.card.getByRole('img', { name: 'QR code to connect your wallet' })).toBeHidden();
    await shot('walletconnect-connected');

    // Demo NMR for the wallet's account, then a delegation the wallet has to approve.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await models.waitForList();
    await models.getDemoNmr();
    const [first, second] = await models.names();
    wallet.mode('ignore');
    await models.open(first!);
    await page.getByRole('button', { name: `Delegate to ${first}` }).click();
    let dialog = page.getByRole('dialog', { name: `Delegate to ${first}` });
    await models.acceptRisksIfAsked(dialog);
    await dialog.getByLabel('Amount (NMR)').fill('40');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await confirmInWindow(dialog, { expect: ['Delegate 40 NMR', first!, 'Test Wallet (WalletConnect): after you confirm here'], shot });
    await expect(dialog.getByText('Waiting for your wallet (Test Wallet): approve the transaction there.')).toBeVisible();
    await shot('walletconnect-waiting');
    wallet.mode('approve');
    await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(wallet.requests.length).toBeGreaterThanOrEqual(1);
    for (const r of wallet.requests) expect(r).toMatchObject({ from: wallet.address, chainId: '0x7a69' });

    const portfolio = new StakingPortfolioPage(page);
    await portfolio.show();
    expect(await portfolio.figure(first!, 'Waiting to enter')).toBe('40');

    // A refusal in the wallet: the step fails in plain words and nothing reaches the chain.
    const nonce = await provider.getTransactionCount(wallet.address, 'pending');
    wallet.mode('reject');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models' }).click();
    await models.waitForList();
    await models.open(second!);
    await page.getByRole('button', { name: `Delegate to ${second}` }).click();
    dialog = page.getByRole('dialog', { name: `Delegate to ${second}` });
    await models.acceptRisksIfAsked(dialog);
    await dialog.getByLabel('Amount (NMR)').fill('5');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await confirmInWindow(dialog, { expect: ['Delegate 5 NMR', second!] });
    await expect(dialog.getByText('You rejected it in Test Wallet, so it was not sent.').first()).toBeVisible({ timeout: 15_000 });
    await shot('walletconnect-rejected');
    expect(await provider.getTransactionCount(wallet.address, 'pending')).toBe(nonce);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await portfolio.show();
    await expect(portfolio.card(second!)).toHaveCount(0);
  } finally {
    await wallet?.close();
    provider.destroy();
  }
  // Not one connection left loopback: from the app's process, nor from the relay and wallet here.
  expect(existsSync(outsideLog) ? readFileSync(outsideLog, 'utf8').trim().split('\n').filter(Boolean) : []).toEqual([]);
  expect(testOutside).toEqual([]);
});

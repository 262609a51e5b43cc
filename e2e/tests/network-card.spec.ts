import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../test-support/fixtures';
import { SettingsPage } from '../pages/settings';

/**
 * Settings → Network, "Use a real network", by role and label: mainnet NMR is prefilled and the
 * unknown staking contract says so; each address's verdict shows beside its own field, and nothing is
 * saved while one fails. The node checked is the demo chain's own (its NMR, Numerai stand-in and pool
 * are real contracts there); connecting for real is main/app/remote-network.integration.test.ts.
 */
test.use({ appEnv: { NMR_DELEGATE_DEMO_MODELS: '12' } });

test('each address is checked beside its own field and nothing is saved until all pass', async ({
  app,
  appPage: page,
  onboarding,
  shot,
}) => {
  const d = JSON.parse(readFileSync(join(app.userDataDir, 'devnet', 'staking', 'deployment.json'), 'utf8')) as {
    nmr: string;
    staking: string;
    pool: string;
    chainId: number;
  };
  await onboarding.createWallet('network password');
  await new SettingsPage(page).show();
  const form = page.getByRole('form', { name: 'Connect to a real network' });
  const nmr = form.getByLabel('NMR token address');
  const staking = form.getByLabel('Numerai’s staking contract (for the tournament)');
  const pool = form.getByLabel('Staking pool address');

  // Mainnet: NMR is known, Numerai's staking contract is not, and the screen says where to find it.
  await expect(nmr).toHaveValue('0x1776e1f26f98b1a5df9cd347953a26dd3cb46671');
  await expect(staking).toHaveValue('');
  await expect(form.getByText(/not known to this app yet.*v3StakeConfig/)).toBeVisible();

  await form.getByLabel('Node URL (JSON-RPC)').fill(app.rpcUrl);
  await form.getByLabel('Chain id').fill(String(d.chainId));
  await nmr.fill(d.nmr);
  // The pool where the staking contract goes and the staking contract where the pool goes.
  await staking.fill(d.pool);
  await pool.fill(d.staking);
  await form.getByRole('button', { name: 'Check and connect' }).click();
  await expect(form.getByText('✓ NMR, 18 decimals')).toBeVisible({ timeout: 30_000 });
  await expect(form.getByRole('alert').filter({ hasText: 'does not answer as Numerai’s staking contract does' })).toBeVisible();
  await expect(form.getByRole('alert').filter({ hasText: 'does not answer as the staking pool does' })).toBeVisible();
  await expect(staking).toHaveAttribute('aria-invalid', 'true');
  await expect(nmr).toHaveAttribute('aria-invalid', 'false');
  await shot('network-card-verdicts');

  // Nothing was saved: the app is still on the demo chain.
  await expect(page.getByText('Now using: Local demo chain')).toBeVisible();
  // An edited field loses its old verdict until checked again.
  await staking.fill(d.staking);
  await expect(form.getByRole('alert').filter({ hasText: 'does not answer as Numerai’s staking contract does' })).toHaveCount(0);
});

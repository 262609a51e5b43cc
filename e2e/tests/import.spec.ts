import { writeFileSync } from 'node:fs';
import { Wallet, encryptKeystoreJson } from 'ethers';
import { test, expect } from '../test-support/fixtures';

test('a holder imports a keystore file from another wallet, after a phrase with a typo is refused', async ({
  appPage: page,
  models,
  onboarding,
  shot,
}, testInfo) => {
  // A keystore as MetaMask/geth/ethers write them, with its own password (low scrypt cost to keep the test quick).
  const original = Wallet.createRandom();
  const json = await encryptKeystoreJson({ address: original.address, privateKey: original.privateKey }, 'the old wallet password', {
    scrypt: { N: 1024 },
  });
  const file = testInfo.outputPath('UTC--keystore.json');
  writeFileSync(file, json);

  await onboarding.askForWallet();
  await page.getByRole('button', { name: 'Import it' }).click();
  await expect(page.getByRole('heading', { name: 'Import a wallet' })).toBeVisible();

  // A phrase with a wrong word gets a clear error and nothing is created.
  const words = original.mnemonic!.phrase.split(' ');
  words[6] = 'notaword';
  await page.getByLabel('Recovery phrase (12 to 24 words)').fill(words.join(' '));
  await page.getByLabel('New password', { exact: true }).fill('new password here');
  await page.getByLabel('Repeat new password').fill('new password here');
  await page.getByRole('button', { name: 'Import wallet' }).click();
  await expect(page.getByRole('alert')).toContainText(/word 7/i);
  await shot('import-bad-phrase');

  await page.getByRole('button', { name: 'Keystore file' }).click();
  await page.getByLabel(/Keystore file \(from/).setInputFiles(file);
  await page.getByLabel('The file’s password').fill('the old wallet password');
  await page.getByRole('button', { name: 'Import wallet' }).click();
  await models.waitForList();
  await expect(page.getByLabel('Your wallet')).toContainText(original.address.slice(0, 6));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('list', { name: 'Accounts' })).toContainText(original.address.slice(-4));
  await shot('settings-wallet');
});

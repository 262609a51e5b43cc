import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../test-support/fixtures';
import { freshUserDataDir, launchHarness, removeUserData } from '../test-support/launcher';
import { ModelsPage } from '../pages/models';

const FRESH = /The demo chain's saved state could not be read, so a fresh demo chain was started/;

test('a demo chain state file cut short is set aside: the app starts on a fresh demo chain and says so', async ({ page, shot }) => {
  const userDataDir = freshUserDataDir();
  const env = { NMR_DELEGATE_DEMO_MODELS: '12' };
  try {
    // A first start makes the demo chain and saves it as it quits.
    await (await launchHarness({ userDataDir, env })).stop();
    const stateFile = join(userDataDir, 'devnet', 'staking', 'anvil-state.json');
    const saved = readFileSync(stateFile, 'utf8');
    writeFileSync(stateFile, saved.slice(0, Math.floor(saved.length / 2))); // as a crash mid-write leaves it

    const app = await launchHarness({ userDataDir, env });
    try {
      await page.goto(app.appUrl);
      await new ModelsPage(page).waitForList();
      const notice = page.getByRole('alert').filter({ hasText: FRESH });
      await expect(notice).toBeVisible();
      await expect(notice).toContainText('anvil-state.json.unreadable');
      await shot('fresh-demo-chain-notice');
      expect(readFileSync(`${stateFile}.unreadable`, 'utf8')).toBe(saved.slice(0, Math.floor(saved.length / 2)));
      await page.goto('about:blank');
    } finally {
      await app.stop();
    }
  } finally {
    removeUserData(userDataDir);
  }
});

import { expect, type Page } from '@playwright/test';
import { readPhraseWindow } from './onboarding';

export class SettingsPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  }

  /** Settings → Network, "Use a real network": fills the form, connects, and waits until the app uses it. */
  async connectRealNetwork(n: { rpcUrl: string; chainId: number; nmr: string; staking: string; pool: string }) {
    await this.show();
    const form = this.page.getByRole('form', { name: 'Connect to a real network' });
    await form.getByLabel('Node URL (JSON-RPC)').fill(n.rpcUrl);
    await form.getByLabel('Chain id').fill(String(n.chainId));
    await form.getByLabel('NMR token address').fill(n.nmr);
    await form.getByLabel('Numerai’s staking contract (for the tournament)').fill(n.staking);
    await form.getByLabel('Staking pool address').fill(n.pool);
    await form.getByRole('button', { name: 'Check and connect' }).click();
    await expect(this.page.getByText(/Now using: (?!Local demo chain)/)).toBeVisible({ timeout: 60_000 });
  }

  /** The developer panel's demo step: every demo operator's round and Numerai's day. Returns what the step says it did. */
  async nextDemoDay(): Promise<string> {
    const step = this.page.getByRole('button', { name: 'Move to the next demo day' });
    await step.click();
    await expect(step).toBeEnabled({ timeout: 120_000 });
    const said = this.page.getByRole('status').filter({ hasText: 'models staked' });
    await expect(said).toBeVisible();
    return said.innerText();
  }

  /** Moves the demo a day at a time until `done` holds (checked after each day), at most `max` days. */
  async advanceUntil(what: string, done: () => Promise<boolean>, max = 10): Promise<void> {
    for (let i = 0; i < max; i++) {
      await this.show();
      await this.nextDemoDay();
      if (await done()) return;
    }
    throw new Error(`${what}: not after ${max} demo days`);
  }

  /** "Show my recovery phrase": the password here, the words in main's own window. */
  async revealPhrase(password: string, shot?: (name: string, target?: Page) => Promise<void>): Promise<string[]> {
    const p = this.page;
    await p.getByLabel('Your password').fill(password);
    await p.getByRole('button', { name: 'Show my recovery phrase' }).click();
    const open = p.getByRole('button', { name: 'Open my recovery phrase' });
    await expect(open).toBeVisible();
    await shot?.('settings-phrase-ready');
    const words = await readPhraseWindow(p, open, (w) => shot?.('settings-phrase-window', w));
    await p.getByRole('button', { name: 'Done' }).click();
    return words;
  }
}

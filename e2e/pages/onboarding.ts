import { expect, type Page } from '@playwright/test';

export class OnboardingPage {
  constructor(readonly page: Page) {}

  /** Creates a wallet as a person would: read the words, type three back, choose a password. */
  async createWallet(password: string, shot?: (name: string) => Promise<void>): Promise<string[]> {
    const p = this.page;
    await expect(p.getByRole('heading', { name: 'Create your wallet' })).toBeVisible();
    await shot?.('onboarding-intro');
    await p.getByRole('button', { name: 'Create a wallet' }).click();
    const phrase = p.getByRole('list', { name: 'Recovery phrase' });
    await expect(phrase).toBeVisible();
    const words = (await phrase.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/^\d+\s*/, '').trim());
    await shot?.('onboarding-phrase');
    await p.getByLabel(/I have written down/).check();
    await p.getByRole('button', { name: 'Continue' }).click();
    for (const label of await p.getByText(/^Word #\d+$/).allInnerTexts()) {
      const n = Number(label.replace('Word #', ''));
      await p.getByLabel(label, { exact: true }).fill(words[n - 1]!);
    }
    await p.getByLabel('Password', { exact: true }).fill(password);
    await p.getByLabel('Repeat password').fill(password);
    await shot?.('onboarding-confirm');
    await p.getByRole('button', { name: 'Create wallet' }).click();
    return words;
  }

  async unlock(password: string) {
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Unlock' }).click();
  }
}

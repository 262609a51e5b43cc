import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Clicks `opener` and reads the recovery phrase from the window main opens on its own origin,
 * checking that the app's page itself never holds the words. Closes the window.
 */
export async function readPhraseWindow(
  app: Page,
  opener: Locator,
  shot?: (window: Page) => Promise<unknown> | undefined,
): Promise<string[]> {
  const popupPromise = app.waitForEvent('popup');
  await opener.click();
  const popup = await popupPromise;
  expect(new URL(popup.url()).origin).not.toBe(new URL(app.url()).origin);
  const list = popup.getByRole('list', { name: 'Recovery phrase' });
  await expect(list).toBeVisible();
  const words = (await list.getByRole('listitem').allInnerTexts()).map((t) => t.trim());
  expect(words.length === 12 || words.length === 24).toBe(true);
  await shot?.(popup);
  const appText = (await app.locator('body').innerText()).replace(/\s+/g, ' ');
  for (let i = 0; i + 3 <= words.length; i++) expect(appText).not.toContain(words.slice(i, i + 3).join(' '));
  await popup.close();
  return words;
}

export class OnboardingPage {
  constructor(readonly page: Page) {}

  /**
   * Creates a wallet as a person would: open main's recovery-phrase window, read the words there
   * (the app's own page never has them), type three back, choose a password.
   */
  async createWallet(password: string, shot?: (name: string, target?: Page) => Promise<void>): Promise<string[]> {
    const p = this.page;
    await expect(p.getByRole('heading', { name: 'Create your wallet' })).toBeVisible();
    await shot?.('onboarding-intro');
    await p.getByRole('button', { name: 'Create a wallet' }).click();
    await expect(p.getByRole('heading', { name: 'Write down your recovery phrase' })).toBeVisible();
    await shot?.('onboarding-phrase');
    const words = await readPhraseWindow(p, p.getByRole('button', { name: 'Open my recovery phrase' }), (w) =>
      shot?.('onboarding-phrase-window', w),
    );
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

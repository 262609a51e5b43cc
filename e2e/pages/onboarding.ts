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
    const intro = p.getByRole('heading', { name: 'Create your wallet' });
    // The app opens on the models without a wallet; the wallet dialog is open already when an action asked for it.
    await expect(intro.or(this.walletButton).first()).toBeVisible();
    if (!(await intro.isVisible())) await this.askForWallet();
    await expect(intro).toBeVisible();
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
    await expect(this.dialog).toBeHidden();
    return words;
  }

  /** The calm banner over the models that asks for a wallet (create or import, or unlock). */
  get walletButton(): Locator {
    return this.page.getByRole('region', { name: 'Wallet' }).getByRole('button');
  }

  /** The dialog that asks for the wallet, over the page the person was on. */
  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^(Create or import a wallet|Unlock your wallet)$/ });
  }

  /** Opens the wallet dialog from the banner, as a person browsing without a wallet would. */
  async askForWallet() {
    await this.walletButton.click();
    await expect(this.dialog).toBeVisible();
  }

  /** Unlocks from the banner's "Unlock wallet" (the app opens on the models while locked). */
  async unlock(password: string) {
    await expect(this.walletButton).toHaveText('Unlock wallet');
    await this.askForWallet();
    await expect(this.dialog.getByRole('heading', { name: 'Unlock your wallet' })).toBeVisible();
    await this.dialog.getByLabel('Password').fill(password);
    await this.dialog.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}

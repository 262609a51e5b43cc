import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → "Sign with": the accounts of every kind, and a WalletConnect pairing. */
export class AccountsPage {
  constructor(readonly page: Page) {}

  get card(): Locator {
    return this.page.locator('.card').filter({ has: this.page.getByRole('heading', { name: 'Sign with' }) });
  }

  /** Asks main for a pairing code and returns the `wc:` link shown beside the QR code. */
  async startPairing(): Promise<string> {
    await this.card.getByRole('button', { name: 'Connect a wallet (WalletConnect)' }).click();
    await expect(this.card.getByRole('img', { name: 'QR code to connect your wallet' })).toBeVisible();
    await expect(this.card.getByText('Waiting for your wallet to approve…')).toBeVisible();
    return this.card.getByLabel('Connection link').inputValue();
  }

  /** The account row of a label (its radio is checked when it is in use). */
  account(label: string): Locator {
    return this.card.getByRole('radio', { name: new RegExp(`^${label}`) });
  }
}

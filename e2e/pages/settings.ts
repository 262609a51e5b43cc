import { expect, type Page } from '@playwright/test';

export class SettingsPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  }

  async resolveRound(): Promise<string> {
    await this.page.getByRole('button', { name: 'Resolve the current round now' }).click();
    const status = this.page.getByRole('status').filter({ hasText: /Round \d+ resolved/ });
    await expect(status).toBeVisible({ timeout: 30_000 });
    return status.innerText();
  }
}

import { expect, type Download, type Page } from '@playwright/test';

export class HistoryPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History & export' }).click();
    await expect(this.page.getByRole('heading', { name: 'Reward history' })).toBeVisible();
  }

  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export CSV' }).click();
    return download;
  }
}

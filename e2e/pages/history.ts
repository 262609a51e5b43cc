import { expect, type Download, type Page } from '@playwright/test';

export class HistoryPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History & export' }).click();
    await expect(this.page.getByRole('heading', { name: 'Reward history' })).toBeVisible();
  }

  /** Chooses the file's layout: 'CSV', 'Koinly CSV' or 'JSON'. */
  async chooseFormat(label: 'CSV' | 'Koinly CSV' | 'JSON') {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
  }

  async export(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    return download;
  }

  async exportCsv(): Promise<Download> {
    await this.chooseFormat('CSV');
    return this.export();
  }
}

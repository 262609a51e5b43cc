import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class HistoryPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History & export' }).click();
    await expect(this.page.getByRole('heading', { name: 'Reward history' })).toBeVisible();
  }

  /** The entries' rows drawn now (the list is virtualized: those in view and a few more). */
  entries(): Locator {
    return this.page
      .getByRole('table', { name: 'Entries', exact: true })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') });
  }

  /** How many entries the filters select (all pages), from the table's row count. */
  async entryCount(): Promise<number> {
    return Number(await this.page.getByRole('table', { name: 'Entries', exact: true }).getAttribute('aria-rowcount')) - 1;
  }

  /** Chooses in one of the filters: 'Model', 'Kind' or 'Period'. */
  async filter(label: 'Model' | 'Kind' | 'Period', option: string) {
    await this.page.getByRole('search', { name: 'Filter entries' }).getByLabel(label).selectOption({ label: option });
  }

  /** The exact NMR of a totals cell: a position's row (its model's name, or 'All positions') and a column. */
  async total(row: string, column: string): Promise<string> {
    const table = this.page.getByRole('table', { name: /^Totals of the entries shown/ });
    const heads = await table.getByRole('columnheader').allInnerTexts();
    const index = heads.findIndex((h) => h.trim() === column);
    expect(index, `a "${column}" column in the totals`).toBeGreaterThan(0);
    const r = table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: row, exact: true }) });
    return (await r.locator('th, td').nth(index).locator('[data-exact]').getAttribute('data-exact')) ?? '';
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

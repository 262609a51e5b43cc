import { expect, type Locator, type Page } from '@playwright/test';

export class PortfolioPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Portfolio' }).click();
    await expect(this.page.getByRole('heading', { name: 'Portfolio' })).toBeVisible();
  }

  row(modelName: string): Locator {
    return this.page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: modelName });
  }

  /** The exact amount behind a cell (the short figure on screen may be abbreviated). */
  async exactCell(modelName: string, column: number): Promise<string> {
    const cell = this.row(modelName).getByRole('cell').nth(column);
    return (await cell.locator('[data-exact]').first().getAttribute('data-exact')) ?? '';
  }
}

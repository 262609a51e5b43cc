import { expect, type Locator, type Page } from '@playwright/test';
import { confirmInWindow } from './confirm';

/** The Portfolio page when the pool stakes on Numerai: one card per model, its Numerai rounds inside. */
export class StakingPortfolioPage {
  constructor(readonly page: Page) {}

  async show() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Portfolio' }).click();
    await expect(this.page.getByRole('heading', { name: 'Portfolio', exact: true })).toBeVisible();
  }

  card(modelName: string): Locator {
    return this.page.getByRole('article', { name: modelName, exact: true });
  }

  /** The exact NMR behind one of a card's figures ("Value now", "Waiting to enter", …). */
  async figure(modelName: string, label: string): Promise<string> {
    const term = this.card(modelName)
      .locator('.stat')
      .filter({ has: this.page.locator('dt', { hasText: label }) });
    return (await term.locator('[data-exact]').first().getAttribute('data-exact')) ?? '';
  }

  rounds(modelName: string): Locator {
    return this.page.getByRole('table', { name: `Numerai rounds of ${modelName}` }).getByRole('row');
  }

  round(modelName: string, roundId: number | string): Locator {
    return this.rounds(modelName).filter({ has: this.page.getByRole('cell', { name: String(roundId), exact: true }) });
  }

  /** The exact NMR in a round row's cell (2: staked by the pool, 3: the pool's result, 4: yours). */
  async roundCell(modelName: string, roundId: number | string, column: number): Promise<string> {
    return (
      (await this.round(modelName, roundId).getByRole('cell').nth(column).locator('[data-exact]').first().getAttribute('data-exact')) ?? ''
    );
  }

  /** Presses "Check with Numerai" on a settled round and returns main's answer in words. */
  async checkWithNumerai(modelName: string, roundId: number | string): Promise<string> {
    const row = this.round(modelName, roundId);
    await row.getByRole('button', { name: `Check with Numerai round ${roundId} of ${modelName}`, exact: true }).click();
    const answer = row.getByRole('status');
    await expect(answer).toBeVisible({ timeout: 30_000 });
    return answer.innerText();
  }

  /** "Take back" all of a model's stake, confirmed in main's window; `expect`: words that window must show. */
  async takeBack(modelName: string, expectWords: string[] = []): Promise<void> {
    await this.page.getByRole('button', { name: `Take back from ${modelName}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Take back from ${modelName}` });
    await dialog.getByRole('button', { name: 'Review' }).click();
    await confirmInWindow(dialog, { expect: expectWords });
    await this.finish(dialog);
  }

  /** "Withdraw" what a model's exit freed, confirmed in main's window. */
  async withdraw(modelName: string, expectWords: string[] = []): Promise<void> {
    await this.page.getByRole('button', { name: `Withdraw from ${modelName}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Withdraw from ${modelName}` });
    await confirmInWindow(dialog, { expect: expectWords });
    await this.finish(dialog);
  }

  private async finish(dialog: Locator): Promise<void> {
    await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
}

import { expect, type Locator, type Page } from '@playwright/test';
import { confirmInWindow } from './confirm';

export class ModelsPage {
  constructor(readonly page: Page) {}

  get heading(): Locator {
    return this.page.getByRole('heading', { name: 'Models', exact: true });
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Models' }).getByRole('row');
  }

  /**
   * Waits until the list shows the answer to its current sort, scope and filters: while a new
   * query is on its way the old rows stay on screen (aria-busy), in the old order.
   */
  async settled() {
    await expect(this.page.getByRole('table', { name: 'Models' })).toHaveAttribute('aria-busy', 'false');
  }

  /** The model name in data row i (1 = first row under the header), once the list has settled. */
  async nameAt(i: number): Promise<string> {
    await this.settled();
    return (await this.rows().nth(i).getByRole('cell').nth(1).getByRole('button').innerText()).trim();
  }

  /** Every model name in the list, top to bottom. */
  async names(): Promise<string[]> {
    const count = await this.rows().count();
    const names: string[] = [];
    for (let i = 1; i < count; i++) names.push(await this.nameAt(i));
    return names;
  }

  /** The Numerai round open now, as the list's header says it ("Round N is open."). */
  async openRound(): Promise<number> {
    const text = await this.page.getByText(/Round \d+ is open\./).innerText();
    return Number(/Round (\d+) is open/.exec(text)![1]);
  }

  async waitForList() {
    await expect(this.heading).toBeVisible();
    await expect(this.rows().nth(1)).toBeVisible();
  }

  async getDemoNmr() {
    await this.page.getByRole('button', { name: 'Get demo NMR' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: 'demo NMR' })).toBeVisible();
  }

  async open(name: string) {
    await this.page.getByRole('button', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: new RegExp(`^${name}`) })).toBeVisible();
  }

  /** The one-time risk disclosure before a first delegation: read and accept it, as a person would. */
  async acceptRisksIfAsked(dialog: Locator, shot?: (name: string, target?: Page) => Promise<void>) {
    const disclosure = dialog.getByText(/^Before your first delegation$/);
    const amount = dialog.getByRole('button', { name: 'Review' });
    await expect(disclosure.or(amount)).toBeVisible();
    if (await disclosure.isVisible()) {
      await shot?.('risk-disclosure');
      await dialog.getByLabel('I understand these risks').check();
      await dialog.getByRole('button', { name: 'Continue' }).click();
    }
  }

  /** Delegates through the dialog, confirms in main's window, and waits until every transaction is done. */
  async delegate(modelName: string, amount: string, shot?: (name: string, target?: Page) => Promise<void>) {
    const p = this.page;
    await p.getByRole('button', { name: `Delegate to ${modelName}` }).click();
    const dialog = p.getByRole('dialog', { name: `Delegate to ${modelName}` });
    await this.acceptRisksIfAsked(dialog);
    await dialog.getByLabel('Amount (NMR)').fill(amount);
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect(dialog.getByText(`Delegate ${amount} NMR`).first()).toBeVisible();
    await shot?.('delegate-review');
    await confirmInWindow(dialog, { expect: [`Delegate ${amount} NMR`, modelName, 'Local demo chain'], shot });
    await expect(dialog.getByRole('status').filter({ hasText: 'All done' })).toBeVisible({ timeout: 30_000 });
    await shot?.('delegate-done');
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
}

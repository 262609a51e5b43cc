import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Main's confirmation window, as a person meets it: the app's dialog offers to open it, it opens
 * as a separate window on another origin, the person reads it and confirms there.
 */
export async function confirmInWindow(
  dialog: Locator,
  opts: { expect?: (RegExp | string)[]; shot?: (name: string, target?: Page) => Promise<void>; decision?: 'confirm' | 'reject' } = {},
): Promise<Page> {
  const page = dialog.page();
  const popupPromise = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Open the confirmation window' }).click();
  const popup = await popupPromise;
  await expect(popup.getByRole('heading', { level: 1 })).toBeVisible();
  for (const text of opts.expect ?? []) await expect(popup.locator('main')).toContainText(text);
  await opts.shot?.('confirm-window', popup);
  const decision = opts.decision ?? 'confirm';
  await popup.getByRole('button', { name: decision === 'confirm' ? 'Confirm and sign' : 'Reject' }).click();
  await expect(popup.getByRole('heading', { name: decision === 'confirm' ? 'Confirmed' : 'Rejected' })).toBeVisible();
  await popup.close();
  return popup;
}

/**
 * The person's locale, for reading typed amounts and writing figures: the page's language (what
 * the OS or browser says; Playwright's `locale` sets it in tests). Pure code in shared/ takes it
 * as an argument and never reads it itself.
 */
export function pageLocale(): string {
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

import type { Theme } from '../../../shared/api';

/** Applies the chosen theme; "system" follows the computer's light/dark setting. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

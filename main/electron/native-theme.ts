import type { BrowserWindow, NativeTheme } from 'electron';
import type { Theme } from '../../shared/api';

/**
 * The app's theme setting beyond the page: Electron's nativeTheme.themeSource (native dialogs and
 * menus on Windows and Linux, window frames and every OS-drawn control on macOS, and the page's
 * prefers-color-scheme; https://www.electronjs.org/docs/latest/api/native-theme) and the window's
 * background, painted before the page loads, so a dark window never flashes white.
 */

/** The page's --bg in each mode (renderer/src/styles.css; native-theme.test.ts keeps them equal). */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#0f141a' } as const;

type ThemeSource = Pick<NativeTheme, 'themeSource' | 'shouldUseDarkColors'>;

export function windowBackground(nativeTheme: ThemeSource): string {
  return nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}

/** Applies a theme choice ("system" follows the OS) to native UI and to the open windows' background. */
export function applyNativeTheme(theme: Theme, nativeTheme: ThemeSource, windows: () => Pick<BrowserWindow, 'setBackgroundColor'>[]): void {
  nativeTheme.themeSource = theme;
  const colour = windowBackground(nativeTheme);
  for (const w of windows()) w.setBackgroundColor(colour);
}

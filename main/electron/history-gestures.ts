import type { BrowserWindow, NavigationHistory } from 'electron';

/**
 * The mouse's back and forward buttons, and the trackpad's swipe, in Electron. A browser turns
 * them into history navigation itself (the harness gets it for free); Electron hands them to the
 * window instead (Electron docs, BrowserWindow events):
 * - 'app-command' on Windows and Linux: `browser-backward` / `browser-forward` (the mouse's side
 *   buttons, a keyboard's Back key);
 * - 'swipe' on macOS: a three-finger swipe, `left` for back and `right` for forward as in the
 *   platform's browsers.
 * Both move through the page's own history, where the renderer's hash router keeps every page it
 * showed, so they do exactly what the header's Back and Forward buttons do. Written against
 * Electron's types without importing Electron, so a test drives it with a fake window.
 */
export type HistoryWindow = Pick<BrowserWindow, 'on'> & {
  webContents: { navigationHistory: Pick<NavigationHistory, 'canGoBack' | 'canGoForward' | 'goBack' | 'goForward'> };
};

const APP_COMMANDS: Record<string, 'back' | 'forward'> = { 'browser-backward': 'back', 'browser-forward': 'forward' };
const SWIPES: Record<string, 'back' | 'forward'> = { left: 'back', right: 'forward' };

export function wireHistoryGestures(win: HistoryWindow): void {
  const go = (where: 'back' | 'forward' | undefined) => {
    const history = win.webContents.navigationHistory;
    if (where === 'back' && history.canGoBack()) history.goBack();
    if (where === 'forward' && history.canGoForward()) history.goForward();
  };
  win.on('app-command', (_event, command) => go(APP_COMMANDS[command]));
  win.on('swipe', (_event, direction) => go(SWIPES[direction]));
}

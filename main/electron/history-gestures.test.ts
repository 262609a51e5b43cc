import { describe, expect, it, vi } from 'vitest';
import { wireHistoryGestures, type HistoryWindow } from './history-gestures';

/** A window that keeps its listeners, over a page history of `length` entries standing at `index`. */
function fakeWindow(length: number, index: number) {
  const listeners = new Map<string, (event: unknown, arg: string) => void>();
  const at = { index };
  const navigationHistory = {
    canGoBack: () => at.index > 0,
    canGoForward: () => at.index < length - 1,
    goBack: vi.fn(() => void at.index--),
    goForward: vi.fn(() => void at.index++),
  };
  const win = {
    on(event: string, fn: (event: unknown, arg: string) => void) {
      listeners.set(event, fn);
      return win;
    },
    webContents: { navigationHistory },
  };
  wireHistoryGestures(win as unknown as HistoryWindow);
  const fire = (event: string, arg: string) => listeners.get(event)!({ preventDefault: vi.fn() }, arg);
  return { at, fire, navigationHistory };
}

describe('history gestures in the Electron window', () => {
  it('the mouse’s back and forward buttons (app-command, Windows and Linux) move through the page’s history', () => {
    const w = fakeWindow(3, 2);
    w.fire('app-command', 'browser-backward');
    expect(w.at.index).toBe(1);
    w.fire('app-command', 'browser-backward');
    w.fire('app-command', 'browser-forward');
    expect(w.at.index).toBe(1);
    expect(w.navigationHistory.goBack).toHaveBeenCalledTimes(2);
    expect(w.navigationHistory.goForward).toHaveBeenCalledTimes(1);
  });

  it('a swipe (macOS) goes back on left and forward on right; up and down do nothing', () => {
    const w = fakeWindow(3, 1);
    w.fire('swipe', 'left');
    expect(w.at.index).toBe(0);
    w.fire('swipe', 'right');
    w.fire('swipe', 'right');
    expect(w.at.index).toBe(2);
    w.fire('swipe', 'up');
    w.fire('swipe', 'down');
    expect(w.at.index).toBe(2);
  });

  it('never goes past either end, and ignores other app commands (media keys)', () => {
    const w = fakeWindow(2, 0);
    w.fire('app-command', 'browser-backward');
    w.fire('app-command', 'media-play-pause');
    w.fire('app-command', 'browser-refresh');
    expect(w.navigationHistory.goBack).not.toHaveBeenCalled();
    w.fire('app-command', 'browser-forward');
    w.fire('app-command', 'browser-forward');
    expect(w.navigationHistory.goForward).toHaveBeenCalledTimes(1);
    expect(w.at.index).toBe(1);
  });
});

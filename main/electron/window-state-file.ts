import { readFileSync } from 'node:fs';
import type { BrowserWindow } from 'electron';
import type { Logger } from '../log/logger';
import { writeFileAtomic } from '../store/atomic-file';
import type { WindowState } from './window-state';

/**
 * The window's place on disk (<userData>/window-state.json), read once at start and written as the
 * person moves, resizes, maximizes or closes the window. Written atomically like every file of ours;
 * a missing or damaged file just means the default place (restoreWindow validates what is read).
 */
export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

type TrackedWindow = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>;

/** Moves and resizes come in bursts while dragging: write once they settle. */
export const SAVE_AFTER_MS = 500;

export function trackWindowState(
  win: TrackedWindow,
  file: string,
  log: Logger,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (t: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  },
): void {
  let pending: unknown = null;
  const save = () => {
    if (pending !== null) timers.clear(pending);
    pending = null;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = {
      bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) },
      maximized: win.isMaximized(),
    };
    try {
      writeFileAtomic(file, JSON.stringify(state));
    } catch (e) {
      log.warn('window.state_not_saved', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  const saveSoon = () => {
    if (pending !== null) timers.clear(pending);
    pending = timers.set(save, SAVE_AFTER_MS);
  };
  // 'resize' and 'move', not 'resized'/'moved': those two exist only on macOS and Windows.
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', saveSoon);
  // 'close' comes before the window is gone, while its bounds can still be read.
  win.on('close', save);
}

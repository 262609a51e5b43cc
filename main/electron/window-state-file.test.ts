import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from './test-support/recording-log';
import { readWindowState, SAVE_AFTER_MS, trackWindowState } from './window-state-file';
import { restoreWindow } from './window-state';

/** A BrowserWindow as far as tracking uses it: events, normal bounds, maximized. */
function fakeWindow() {
  const listeners = new Map<string, () => void>();
  const w = {
    bounds: { x: 10, y: 40, width: 1200, height: 780 },
    maximized: false,
    destroyed: false,
    on(event: string, fn: () => void) {
      listeners.set(event, fn);
      return w;
    },
    getNormalBounds: () => w.bounds,
    isMaximized: () => w.maximized,
    isDestroyed: () => w.destroyed,
    fire: (event: string) => listeners.get(event)!(),
  };
  return w;
}

function fakeTimers() {
  const queue = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  return {
    queue,
    set: (fn: () => void, ms: number) => (queue.set(next, { fn, ms }), next++),
    clear: (t: unknown) => void queue.delete(t as number),
    runAll: () => [...queue.entries()].forEach(([id, { fn }]) => (queue.delete(id), fn())),
  };
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'nmr-window-')), 'window-state.json');

describe('the window state file', () => {
  it('saves the place once a burst of moves settles, and on close', () => {
    const file = tempFile();
    const win = fakeWindow();
    const timers = fakeTimers();
    // @ts-expect-error: the fake implements only what tracking uses
    trackWindowState(win, file, recordingLogger(), timers);
    win.fire('move');
    win.fire('move');
    win.fire('resize');
    expect(timers.queue.size).toBe(1);
    expect([...timers.queue.values()][0]!.ms).toBe(SAVE_AFTER_MS);
    timers.runAll();
    expect(readWindowState(file)).toEqual({ bounds: win.bounds, maximized: false });
    win.maximized = true;
    win.bounds = { x: 20, y: 50, width: 1000, height: 700 };
    win.fire('close');
    expect(readWindowState(file)).toEqual({ bounds: { x: 20, y: 50, width: 1000, height: 700 }, maximized: true });
  });

  it('round-trips into restoreWindow', () => {
    const file = tempFile();
    const win = fakeWindow();
    // @ts-expect-error: the fake implements only what tracking uses
    trackWindowState(win, file, recordingLogger(), fakeTimers());
    win.fire('close');
    const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
    expect(restoreWindow(readWindowState(file), [display], display)).toEqual({ bounds: win.bounds, maximized: false });
  });

  it('reads a missing or damaged file as nothing', () => {
    const file = tempFile();
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds": {');
    expect(readWindowState(file)).toBeNull();
  });

  it('logs a failed write instead of throwing, and writes nothing for a window already gone', () => {
    const log = recordingLogger();
    const win = fakeWindow();
    // A regular file where the folder should be: the write fails at once.
    const notADir = tempFile();
    writeFileSync(notADir, '');
    // @ts-expect-error: the fake implements only what tracking uses
    trackWindowState(win, join(notADir, 'window-state.json'), log, fakeTimers());
    win.fire('close');
    expect(log.events()).toEqual(['window.state_not_saved']);
    const file = tempFile();
    const gone = fakeWindow();
    gone.destroyed = true;
    // @ts-expect-error: the fake implements only what tracking uses
    trackWindowState(gone, file, log, fakeTimers());
    gone.fire('close');
    expect(() => readFileSync(file)).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, restoreWindow, type DisplayArea } from './window-state';

const laptop: DisplayArea = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
/** An external monitor to the laptop's right. */
const external: DisplayArea = { workArea: { x: 1440, y: 0, width: 2560, height: 1440 } };
/** One to the left, at negative coordinates (Windows and macOS place them so). */
const leftMonitor: DisplayArea = { workArea: { x: -1920, y: 0, width: 1920, height: 1040 } };

const saved = (x: number, y: number, width = 1280, height = 800, maximized = false) => ({ bounds: { x, y, width, height }, maximized });

describe('restoreWindow', () => {
  it('opens a first window at the design size, centred on the primary display', () => {
    expect(restoreWindow(null, [laptop], laptop)).toEqual({ bounds: { x: 80, y: 63, ...DEFAULT_SIZE }, maximized: false });
  });

  it('restores size, position and the maximized state where the display still is', () => {
    expect(restoreWindow(saved(1600, 100, 1500, 1000, true), [laptop, external], laptop)).toEqual(saved(1600, 100, 1500, 1000, true));
    expect(restoreWindow(saved(-1800, 40, 1200, 900), [leftMonitor, laptop], laptop)).toEqual(saved(-1800, 40, 1200, 900));
  });

  it('keeps a window the person left half off an edge, as long as its top edge can still be grabbed', () => {
    expect(restoreWindow(saved(1000, 300), [laptop], laptop)).toEqual(saved(1000, 300));
  });

  it('moves a window whose display is gone (monitor unplugged) to the primary one, keeping its size and maximized state', () => {
    expect(restoreWindow(saved(1600, 100, 1200, 800, true), [laptop], laptop)).toEqual(saved(120, 63, 1200, 800, true));
  });

  it('moves a window whose top edge is off every display (it could not be dragged back)', () => {
    // Title bar above the laptop's menu bar.
    expect(restoreWindow(saved(100, 0), [laptop], laptop).bounds.y).toBeGreaterThanOrEqual(laptop.workArea.y);
    // Only a sliver of the top edge on screen.
    expect(restoreWindow(saved(1400, 100), [laptop], laptop).bounds.x).toBe(80);
    // Top edge below the bottom of the screen.
    expect(restoreWindow(saved(100, 890), [laptop], laptop).bounds).toEqual({ x: 80, y: 63, ...DEFAULT_SIZE });
  });

  it('shrinks a window larger than its display now (a smaller resolution) and pulls it onto it', () => {
    expect(restoreWindow(saved(200, 100, 2400, 1400), [laptop], laptop)).toEqual(saved(0, 25, 1440, 875));
  });

  it('never opens below the minimum size, unless the display itself is smaller', () => {
    expect(restoreWindow(saved(100, 100, 300, 200), [laptop], laptop).bounds).toMatchObject(MIN_SIZE);
    const tiny: DisplayArea = { workArea: { x: 0, y: 0, width: 800, height: 600 } };
    expect(restoreWindow(saved(0, 0, 300, 200), [tiny], tiny).bounds).toEqual({ x: 0, y: 0, width: 800, height: 600 });
  });

  it('ignores a damaged or foreign file', () => {
    for (const junk of [undefined, 'x', { bounds: { x: 'a' } }, saved(0, 0, -5, 10), { ...saved(0, 30), extra: 1 }, saved(1e9, 0)])
      expect(restoreWindow(junk, [laptop], laptop), JSON.stringify(junk)).toEqual({
        bounds: { x: 80, y: 63, ...DEFAULT_SIZE },
        maximized: false,
      });
  });
});

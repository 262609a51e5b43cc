import { z } from 'zod';

/**
 * Where the window was, and where to put it again. Pure functions over plain rectangles, tested with
 * fake displays (window-state.test.ts); window-state-file.ts reads, writes and tracks it.
 *
 * A saved place is used only if enough of the window's top edge (where it is dragged from) lies on a
 * display that still exists: a monitor unplugged since, or a laptop without its external screen,
 * must never open the app off screen.
 */

const Px = z.number().int().min(-100_000).max(100_000);
export const Rect = z.strictObject({
  x: Px,
  y: Px,
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
});
export type Rect = z.infer<typeof Rect>;

export const WindowState = z.strictObject({
  /** The normal (not maximized) bounds, so un-maximizing after a restart goes back to them. */
  bounds: Rect,
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export interface DisplayArea {
  /** The display's area minus task bars, docks and menu bars (Electron's Display.workArea). */
  workArea: Rect;
}

/** The layout the screens were designed at (1280×800) and the smallest they still work at. */
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 960, height: 640 } as const;

/** How much of the top edge must be on a display: enough to grab and drag the window back. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 24;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/** The display the window's top edge is on, if enough of it is there to grab. */
function displayHolding(bounds: Rect, displays: readonly DisplayArea[]): DisplayArea | null {
  const topEdge = { x: bounds.x, y: bounds.y, width: bounds.width, height: GRAB_HEIGHT };
  let best: { display: DisplayArea; width: number } | null = null;
  for (const display of displays) {
    const o = overlap(topEdge, display.workArea);
    if (o.height >= GRAB_HEIGHT && o.width >= Math.min(GRAB_WIDTH, bounds.width) && (!best || o.width > best.width))
      best = { display, width: o.width };
  }
  return best?.display ?? null;
}

/** A size no smaller than the minimum and no larger than the display (a smaller display wins over the minimum). */
function fitSize(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: Math.min(Math.max(width, MIN_SIZE.width), area.width),
    height: Math.min(Math.max(height, MIN_SIZE.height), area.height),
  };
}

function centered(size: { width: number; height: number }, area: Rect): Rect {
  return {
    ...size,
    x: area.x + Math.round((area.width - size.width) / 2),
    y: area.y + Math.round((area.height - size.height) / 2),
  };
}

/**
 * The bounds and maximized state to open the window with. `saved` is whatever was read from disk
 * (validated here); `primary` is where a window with no usable saved place goes.
 */
export function restoreWindow(saved: unknown, displays: readonly DisplayArea[], primary: DisplayArea): WindowState {
  const parsed = WindowState.safeParse(saved);
  if (!parsed.success)
    return { bounds: centered(fitSize(DEFAULT_SIZE.width, DEFAULT_SIZE.height, primary.workArea), primary.workArea), maximized: false };
  const { bounds, maximized } = parsed.data;
  const holder = displayHolding(bounds, displays);
  if (!holder) return { bounds: centered(fitSize(bounds.width, bounds.height, primary.workArea), primary.workArea), maximized };
  const area = holder.workArea;
  const size = fitSize(bounds.width, bounds.height, area);
  // Where the person left it, even half off the edge; but a window that had to be resized (a
  // smaller display now) is pulled fully onto the display.
  if (size.width === bounds.width && size.height === bounds.height) return { bounds, maximized };
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - size.width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - size.height);
  return { bounds: { ...size, x, y }, maximized };
}

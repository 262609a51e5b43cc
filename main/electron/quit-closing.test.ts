import { describe, expect, it, vi } from 'vitest';
import { closeOnQuit } from './quit-closing';

function services() {
  const closed = { n: 0 };
  return { closed, close: vi.fn(() => Promise.resolve(void closed.n++)) };
}

const event = () => {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
};

describe('closeOnQuit', () => {
  it('holds the quit until the started services are closed, then lets the second one through', async () => {
    const s = services();
    let current: typeof s | null = s;
    const quit = vi.fn();
    const q = closeOnQuit({ started: () => current, starting: () => null, forget: () => (current = null), quit });
    const first = event();
    q.beforeQuit(first);
    expect(first.prevented).toBe(true);
    expect(current).toBeNull();
    expect(q.quitting()).toBe(true);
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(s.closed.n).toBe(1);
    const second = event();
    q.beforeQuit(second);
    expect(second.prevented).toBe(false);
    expect(s.close).toHaveBeenCalledTimes(1);
  });

  it('closes services that were still starting when the window was closed, once they are up', async () => {
    const s = services();
    let up!: (x: typeof s) => void;
    const starting = new Promise<typeof s>((resolve) => (up = resolve));
    const quit = vi.fn();
    const q = closeOnQuit({ started: () => null, starting: () => starting, forget: () => undefined, quit });
    const e = event();
    q.beforeQuit(e);
    expect(e.prevented).toBe(true);
    await Promise.resolve();
    expect(quit).not.toHaveBeenCalled();
    up(s);
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(s.closed.n).toBe(1);
  });

  it('quits after a start that failed, and does not hold a quit when nothing was started', async () => {
    const quit = vi.fn();
    const failed = Promise.reject(new Error('the chain did not start'));
    const q = closeOnQuit({ started: () => null, starting: () => failed, forget: () => undefined, quit });
    q.beforeQuit(event());
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));

    const idle = closeOnQuit({ started: () => null, starting: () => null, forget: () => undefined, quit: vi.fn() });
    const e = event();
    idle.beforeQuit(e);
    expect(e.prevented).toBe(false);
    expect(idle.quitting()).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { runInSlices, runToEnd } from './slices';

function* count(to: number, spinMs: number): Generator<undefined, number> {
  for (let i = 0; i < to; i++) {
    const until = performance.now() + spinMs;
    while (performance.now() < until);
    yield;
  }
  return to;
}

describe('slices', () => {
  it('runs every step at once', () => {
    expect(runToEnd(count(5, 0))).toBe(5);
  });

  it('lets the event loop run between slices, and answers the same result', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      // 60 steps of 2 ms: about 120 ms of work, in slices of 10 ms.
      expect(await runInSlices(count(60, 2), 10)).toBe(60);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(3);
  });
});

import { describe, expect, it } from 'vitest';
import { IdleTimer } from './idle-timer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IdleTimer', () => {
  it('fires after a sleep of the computer (wall clock jumps, monotonic clock does not)', async () => {
    let wall = 1_000_000;
    let fired = 0;
    const t = new IdleTimer(
      () => fired++,
      () => wall,
      20,
    );
    t.setMinutes(15);
    t.start();
    await sleep(60);
    expect(fired).toBe(0);
    wall += 16 * 60_000; // the laptop slept 16 minutes
    await sleep(60);
    expect(fired).toBe(1);
    await sleep(60);
    expect(fired).toBe(1); // once
  });

  it('does nothing when stopped or set to 0', async () => {
    let fired = 0;
    const t = new IdleTimer(() => fired++, Date.now, 10);
    t.setMinutes(0.0005); // 30 ms
    t.start();
    t.stop();
    await sleep(80);
    t.setMinutes(0);
    t.start();
    await sleep(80);
    expect(fired).toBe(0);
    expect(() => t.setMinutes(-1)).toThrow();
  });
});

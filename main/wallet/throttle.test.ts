import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FREE_TRIES, MAX_DELAY_MS, PasswordThrottle, delayAfter } from './throttle';

describe('PasswordThrottle', () => {
  it('gives 5 free tries, then 1 s, 2 s, 4 s… capped at 5 minutes', () => {
    expect([0, 1, 2, 3, 4].map(delayAfter)).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(delayAfter)).toEqual([1000, 2000, 4000, 8000]);
    expect(delayAfter(13)).toBe(256_000);
    expect(delayAfter(14)).toBe(MAX_DELAY_MS);
    expect(delayAfter(10_000)).toBe(MAX_DELAY_MS);
  });

  it('treats a damaged file as "too many tries" rather than as zero', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'throttle-')), 'throttle.json');
    const t = new PasswordThrottle(file, () => 1_000_000);
    for (const junk of ['{', '{"failures":-1,"lastFailureMs":0}', '[]']) {
      writeFileSync(file, junk);
      expect(t.failures()).toBe(FREE_TRIES);
      expect(t.waitMs()).toBe(1000);
    }
  });

  it('does not let a clock set back stretch the wait', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'throttle-')), 'throttle.json');
    let now = 10_000_000;
    const t = new PasswordThrottle(file, () => now);
    for (let i = 0; i < 6; i++) t.recordFailure();
    expect(t.waitMs()).toBe(2000);
    now -= 24 * 3600_000; // clock set back a day
    expect(t.waitMs()).toBe(2000);
  });
});

import { describe, expect, it } from 'vitest';
import { authorizationDeadline, isOpenAt, roundTimes, DAY_S, RESOLVE_AFTER_DAYS, DEMO_CONCURRENT_ROUNDS } from './schedule';

describe('the demo round schedule', () => {
  it('opens a round for a day and resolves it days later, with that many rounds in flight', () => {
    const t = roundTimes(1_000n);
    expect(t).toEqual({ openTime: 1_000n, closeTime: 1_000n + DAY_S, resolveTime: 1_000n + RESOLVE_AFTER_DAYS * DAY_S });
    expect(isOpenAt(t, 999n)).toBe(false);
    expect(isOpenAt(t, 1_000n)).toBe(true);
    expect(isOpenAt(t, t.closeTime)).toBe(false);
    expect(DEMO_CONCURRENT_ROUNDS).toBe(Number(RESOLVE_AFTER_DAYS) + 1);
  });

  it('gives authorizations an hour, never past the close', () => {
    expect(authorizationDeadline(0n, DAY_S)).toBe(3_600n);
    expect(authorizationDeadline(DAY_S - 60n, DAY_S)).toBe(DAY_S - 1n);
  });
});

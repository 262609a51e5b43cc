/**
 * The demo Numerai's calendar, in demo time (= the local chain's block time, which the developer
 * panel and tests move forward). Real Numerai: rounds open daily (weekdays), take stakes for about a
 * day, and resolve after 1–3 months (ABS.md O1), with up to 64 rounds in flight (T1). The demo keeps
 * the shape and shortens the wait so a session sees results.
 */
export const DAY_S = 86_400n;
/** A round takes stakes for one demo day; the next opens as it closes, so one round is open at a time. */
export const STAKING_WINDOW_S = DAY_S;
/** A round resolves this many demo days after it opens (real Numerai: 1–3 months). */
export const RESOLVE_AFTER_DAYS = 4n;
/** Rounds with stake at Numerai at once: a round is staked on day d and claimed on day d + 4. The
 * demo pool's `concurrentRounds` (its per-round tranche is NAV ÷ this). */
export const DEMO_CONCURRENT_ROUNDS = Number(RESOLVE_AFTER_DAYS) + 1;
/** ABS.md T1: authorizations are short-lived. Our choice: an hour, never past the round's close. */
export const AUTHORIZATION_TTL_S = 3_600n;
/** ABS.md T1: unclaimed positions are finalized after seven days (LocalNumeraiStaking.FINALIZATION_DELAY). */
export const FINALIZATION_DELAY_S = 7n * DAY_S;

export interface RoundTimes {
  openTime: bigint;
  closeTime: bigint;
  resolveTime: bigint;
}

export function roundTimes(openTime: bigint): RoundTimes {
  return { openTime, closeTime: openTime + STAKING_WINDOW_S, resolveTime: openTime + RESOLVE_AFTER_DAYS * DAY_S };
}

export function isOpenAt(t: RoundTimes, now: bigint): boolean {
  return t.openTime <= now && now < t.closeTime;
}

/** The deadline Numerai writes into an authorization issued at `now` for a round closing at `closeTime`. */
export function authorizationDeadline(now: bigint, closeTime: bigint): bigint {
  const ttl = now + AUTHORIZATION_TTL_S;
  return ttl < closeTime ? ttl : closeTime - 1n;
}

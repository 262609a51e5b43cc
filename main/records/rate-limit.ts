/**
 * Politeness towards Numerai's API: a token bucket (in its GCRA form — one "theoretical arrival
 * time" instead of a token count, so waiters are served first come, first served without a queue)
 * and abortable sleeps.
 */

export class AbortedError extends Error {
  override readonly name = 'AbortedError';
  constructor() {
    super('the operation was cancelled');
  }
}

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * At most `burst` requests at once, then one every 1/`ratePerSecond` s. With burst 1 no 1-second
 * window ever holds more than `ratePerSecond` starts.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  /** When the next request would be due if the bucket were empty (monotonic ms). */
  private tat = -Infinity;

  constructor(
    ratePerSecond: number,
    private readonly burst = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError('ratePerSecond must be a positive number');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('burst must be a positive integer');
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Milliseconds the caller has to wait; reserves the slot. */
  reserve(): number {
    const now = this.now();
    if (this.tat < now) this.tat = now;
    const allowedAt = this.tat - (this.burst - 1) * this.intervalMs;
    this.tat += this.intervalMs;
    return Math.max(0, allowedAt - now);
  }

  /** Waits for a slot. A cancelled wait keeps its slot (the bucket stays conservative). */
  take(signal?: AbortSignal): Promise<void> {
    return sleep(this.reserve(), signal);
  }

  /** No request starts before `ms` from now (a server said Retry-After). */
  pauseFor(ms: number): void {
    const until = this.now() + ms + (this.burst - 1) * this.intervalMs;
    if (this.tat < until) this.tat = until;
  }
}

import { performance } from 'node:perf_hooks';

/** The longest idle timeout we accept: one week (setTimeout cannot wait much longer anyway). */
export const MAX_IDLE_MINUTES = 7 * 24 * 60;

/**
 * Calls `onIdle` once after `minutes` without `touch()`. It checks both the wall clock and the
 * monotonic clock and re-checks at least every `checkEveryMs`: after a laptop sleeps (monotonic
 * time stops, wall time does not) the lock still happens within one check interval of waking.
 */
export class IdleTimer {
  private minutes = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private lastWall = 0;
  private lastMono = 0;

  constructor(
    private readonly onIdle: () => void,
    private readonly now: () => number = Date.now,
    private readonly checkEveryMs = 15_000,
  ) {}

  /** Sets the timeout; 0 means never. Applies at once if running. */
  setMinutes(minutes: number): void {
    if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_IDLE_MINUTES) throw new RangeError('idle minutes out of range');
    this.minutes = minutes;
    if (this.running) this.schedule();
  }

  getMinutes(): number {
    return this.minutes;
  }

  start(): void {
    this.running = true;
    this.touch();
  }

  stop(): void {
    this.running = false;
    this.clear();
  }

  touch(): void {
    if (!this.running) return;
    this.lastWall = this.now();
    this.lastMono = performance.now();
    this.schedule();
  }

  private idleMs(): number {
    // Whichever clock says more time has passed: wall time covers sleep, monotonic time covers a clock set back.
    return Math.max(this.now() - this.lastWall, performance.now() - this.lastMono);
  }

  private schedule(): void {
    this.clear();
    if (!this.running || this.minutes === 0) return;
    const left = this.minutes * 60_000 - this.idleMs();
    if (left <= 0) {
      this.running = false;
      this.onIdle();
      return;
    }
    this.timer = setTimeout(() => this.schedule(), Math.min(left, this.checkEveryMs));
    this.timer.unref?.();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

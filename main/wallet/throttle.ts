import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file';

const State = z.object({ failures: z.number().int().min(0), lastFailureMs: z.number().min(0) });
type State = z.infer<typeof State>;

export const FREE_TRIES = 5;
export const MAX_DELAY_MS = 5 * 60_000;

/** Delay after `failures` wrong passwords: none for the first 5, then 1 s, 2 s, 4 s… capped at 5 min. */
export function delayAfter(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(30, failures - FREE_TRIES));
}

/**
 * Password-try throttle kept on disk, so quitting the app does not reset it. One counter covers
 * every check of the wallet password (unlock, reveal phrase, export keystore): a guesser gets no
 * extra free tries by switching between them.
 */
export class PasswordThrottle {
  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  private read(): State {
    if (!existsSync(this.file)) return { failures: 0, lastFailureMs: 0 };
    let parsed: ReturnType<typeof State.safeParse> | null = null;
    try {
      parsed = State.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      parsed = null;
    }
    // A damaged throttle file must not become a way to reset the count to zero.
    if (!parsed?.success) return { failures: FREE_TRIES, lastFailureMs: this.now() };
    // A clock set back must not turn a short wait into a long one (nor a time in the future into no wait).
    return { failures: parsed.data.failures, lastFailureMs: Math.min(parsed.data.lastFailureMs, this.now()) };
  }

  failures(): number {
    return this.read().failures;
  }

  /** Milliseconds until the next try is allowed (0 = now). */
  waitMs(): number {
    const s = this.read();
    return Math.max(0, s.lastFailureMs + delayAfter(s.failures) - this.now());
  }

  recordFailure(): void {
    const s = this.read();
    writeFileAtomic(this.file, JSON.stringify({ failures: s.failures + 1, lastFailureMs: this.now() }));
  }

  recordSuccess(): void {
    if (existsSync(this.file) && this.read().failures === 0) return;
    writeFileAtomic(this.file, JSON.stringify({ failures: 0, lastFailureMs: 0 }));
  }
}

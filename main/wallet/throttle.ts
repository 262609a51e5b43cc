import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file';

const State = z.object({ failures: z.number().int().min(0), lastFailureMs: z.number().min(0) });
type State = z.infer<typeof State>;

export const FREE_TRIES = 5;
const MAX_DELAY_MS = 5 * 60_000;

/** Delay after `failures` wrong passwords: none for the first few, then doubling, capped. */
export function delayAfter(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_TRIES));
}

/** Password-try throttle kept on disk, so quitting the app does not reset it. */
export class PasswordThrottle {
  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  private read(): State {
    if (!existsSync(this.file)) return { failures: 0, lastFailureMs: 0 };
    const parsed = State.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    // A damaged throttle file must not become a way to reset the count to zero.
    return parsed.success ? parsed.data : { failures: FREE_TRIES, lastFailureMs: this.now() };
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
    writeFileAtomic(this.file, JSON.stringify({ failures: 0, lastFailureMs: 0 }));
  }
}

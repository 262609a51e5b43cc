import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
// zod's small build: this module runs before the page is served (main/entry/harness.ts), and the
// full zod's import alone is ~70 ms there; the mini one ~10.
import * as z from 'zod/mini';
import { replaceFile } from '../store/atomic-file';

/** What the lock file says: whose it is and, once the harness answers, where it runs. */
const LockFile = z.object({ pid: z.number().check(z.int(), z.positive()), url: z.nullable(z.string()) });
type LockContent = z.infer<typeof LockFile>;

export const LOCK_FILE_NAME = 'harness.lock';

/** Another harness already runs on this user-data folder. */
export class AlreadyRunning extends Error {
  constructor(
    readonly pid: number,
    readonly url: string | null,
  ) {
    super(
      url
        ? `NMR Delegate is already running on this data folder (process ${pid}). Open it here: ${url}`
        : `NMR Delegate is already starting on this data folder (process ${pid}); wait for it, or stop it first.`,
    );
  }
}

export interface InstanceLock {
  /** Records where this harness runs, for a second start to point at. */
  setUrl(url: string): void;
  /** Gives the folder up (only if the file is still ours). */
  release(): void;
}

export interface LockDeps {
  pid: number;
  /** Whether a process with this id is alive (process.kill(pid, 0) by default). */
  isAlive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, which still means the folder is in use.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockContent | null {
  try {
    const parsed = LockFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Creates the file only if no other start created it first (O_EXCL), so two starts cannot both win. */
function createExclusive(path: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * One harness per user-data folder: two would run two demo chains on one anvil state file (the last
 * writer wins) and two wallets on one keystore. A lock file holds the owner's pid and URL; a lock
 * left by a process that is gone (a crash, kill -9) is taken over. Throws AlreadyRunning otherwise.
 */
export function acquireInstanceLock(userDataDir: string, deps: LockDeps): InstanceLock {
  const path = join(userDataDir, LOCK_FILE_NAME);
  const isAlive = deps.isAlive ?? processAlive;
  const mine: LockContent = { pid: deps.pid, url: null };
  mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  // Twice at most: a stale lock is removed once, then created like a fresh one (a racing start may win).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusive(path, mine)) {
      return {
        setUrl(url) {
          mine.url = url;
          // Not fsynced: after a crash or power loss the lock is stale whatever it says.
          replaceFile(path, JSON.stringify(mine));
        },
        release() {
          if (readLock(path)?.pid === deps.pid) rmSync(path, { force: true });
        },
      };
    }
    const held = readLock(path);
    // A live holder keeps the folder; a dead one's lock, our own pid's (reused after a reboot) or an unreadable file is stale.
    if (held && held.pid !== deps.pid && isAlive(held.pid)) throw new AlreadyRunning(held.pid, held.url);
    rmSync(path, { force: true });
  }
  const held = readLock(path);
  throw new AlreadyRunning(held?.pid ?? 0, held?.url ?? null);
}

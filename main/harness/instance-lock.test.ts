import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, AlreadyRunning, LOCK_FILE_NAME } from './instance-lock';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'instance-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pids: number[]) => (pid: number) => pids.includes(pid);
const lockFile = () => JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number; url: string | null };

describe('one harness per user-data folder', () => {
  it('refuses a second start while the first is alive, naming its address', () => {
    const first = acquireInstanceLock(dir, { pid: 100, isAlive: alive([100, 200]) });
    first.setUrl('http://127.0.0.1:4567/#t=secret');
    expect(lockFile()).toEqual({ pid: 100, url: 'http://127.0.0.1:4567/#t=secret' });
    let refused: unknown;
    try {
      acquireInstanceLock(dir, { pid: 200, isAlive: alive([100, 200]) });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AlreadyRunning);
    expect((refused as AlreadyRunning).url).toBe('http://127.0.0.1:4567/#t=secret');
    expect((refused as Error).message).toContain('http://127.0.0.1:4567/#t=secret');
    // The refused start left the first one's lock alone.
    expect(lockFile().pid).toBe(100);
  });

  it('says the first one is still starting before it has an address', () => {
    acquireInstanceLock(dir, { pid: 100, isAlive: alive([100]) });
    expect(() => acquireInstanceLock(dir, { pid: 200, isAlive: alive([100]) })).toThrow(/already starting.*process 100/);
  });

  it('takes over a lock left by a process that is gone', () => {
    acquireInstanceLock(dir, { pid: 100, isAlive: alive([]) }).setUrl('http://127.0.0.1:1/');
    const second = acquireInstanceLock(dir, { pid: 200, isAlive: alive([200]) });
    expect(lockFile()).toEqual({ pid: 200, url: null });
    second.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('takes over a damaged lock file', () => {
    writeFileSync(join(dir, LOCK_FILE_NAME), '{"pid":');
    acquireInstanceLock(dir, { pid: 300, isAlive: alive([300]) });
    expect(lockFile().pid).toBe(300);
  });

  it('releases only its own lock', () => {
    const first = acquireInstanceLock(dir, { pid: 100, isAlive: alive([]) });
    acquireInstanceLock(dir, { pid: 200, isAlive: alive([200]) });
    first.release();
    expect(lockFile().pid).toBe(200);
  });

  it('uses the real process table by default: this test process holds it against a later start', () => {
    acquireInstanceLock(dir, { pid: process.pid });
    expect(() => acquireInstanceLock(dir, { pid: process.pid + 1_000_000 })).toThrow(AlreadyRunning);
  });
});

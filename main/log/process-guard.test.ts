import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { guardProcess } from './process-guard';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('main survives errors nothing caught', () => {
  it('logs an uncaught exception and an unhandled rejection, redacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'process-guard-'));
    try {
      const file = join(dir, 'main.log');
      const proc = new EventEmitter();
      guardProcess(proc, createLogger({ file }));
      const secret = `0x${'ab'.repeat(32)}`;
      proc.emit('uncaughtException', new TypeError(`bad key ${secret}`), 'uncaughtException');
      proc.emit('unhandledRejection', 'the node went away');
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.event, l.level])).toEqual([
        ['main.uncaught_exception', 'error'],
        ['main.unhandled_rejection', 'error'],
      ]);
      expect(lines[0]).toMatchObject({ origin: 'uncaughtException' });
      expect(String(lines[0]!.error)).toMatch(/^TypeError: bad key/);
      expect(readFileSync(file, 'utf8')).not.toContain(secret.slice(2));
      expect(lines[1]).toMatchObject({ error: 'the node went away', stack: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a real Node process running after both (it would exit with code 1 without the guard)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'process-guard-'));
    try {
      const script = (guarded: boolean) => `
        import { guardProcess } from './main/log/process-guard.ts';
        import { createLogger } from './main/log/logger.ts';
        ${guarded ? `guardProcess(process, createLogger({ file: ${JSON.stringify(join(dir, 'main.log'))} }));` : ''}
        setTimeout(() => { throw new Error('thrown in a timer'); }, 1);
        setTimeout(() => void Promise.reject(new Error('rejected')), 2);
        setTimeout(() => { console.log('still running'); }, 50);
      `;
      const run = (guarded: boolean) =>
        spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(guarded)], { cwd: ROOT, encoding: 'utf8' });
      const guarded = run(true);
      expect(guarded.stdout.trim()).toBe('still running');
      expect(guarded.status).toBe(0);
      expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('thrown in a timer');
      // The negative control: the same script without the guard dies.
      const bare = run(false);
      expect(bare.status).not.toBe(0);
      expect(bare.stdout).not.toContain('still running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { replaceFile, writeFileAtomic } from './atomic-file';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return { ...actual, fsyncSync: vi.fn((fd: number) => actual.fsyncSync(fd)) };
});

describe.each([
  ['writeFileAtomic', writeFileAtomic],
  ['replaceFile', replaceFile],
])('%s', (_name, write) => {
  it('replaces content, leaves no temp files, and restricts the mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const p = join(dir, 'k.json');
    writeFileSync(p, 'old');
    write(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['k.json']);
    if (process.platform !== 'win32') expect(statSync(p).mode & 0o777).toBe(0o600);
  });
});

describe('durability', () => {
  it('writeFileAtomic waits for the disk (the file and, off Windows, its folder); replaceFile does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const fsyncs = () => vi.mocked(fs.fsyncSync).mock.calls.length;
    const before = fsyncs();
    writeFileAtomic(join(dir, 'a'), 'x');
    expect(fsyncs() - before).toBe(process.platform === 'win32' ? 1 : 2);
    replaceFile(join(dir, 'b'), 'x');
    expect(fsyncs() - before).toBe(process.platform === 'win32' ? 1 : 2);
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('x');
  });
});

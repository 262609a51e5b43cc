import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file';

describe('writeFileAtomic', () => {
  it('replaces content, leaves no temp files, and restricts the mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const p = join(dir, 'k.json');
    writeFileSync(p, 'old');
    writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['k.json']);
    if (process.platform !== 'win32') expect(statSync(p).mode & 0o777).toBe(0o600);
  });
});

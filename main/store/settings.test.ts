import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from './settings';

const dir = () => mkdtempSync(join(tmpdir(), 'settings-'));

describe('SettingsStore', () => {
  it('starts from defaults and persists updates', () => {
    const d = dir();
    const s = new SettingsStore(join(d, 'settings.json'));
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    s.update({ theme: 'dark', lockTimeoutMin: 5 });
    expect(new SettingsStore(join(d, 'settings.json')).get()).toMatchObject({ theme: 'dark', lockTimeoutMin: 5 });
  });
  it('refuses an invalid update and keeps the old value', () => {
    const s = new SettingsStore(join(dir(), 'settings.json'));
    expect(() => s.update({ lockTimeoutMin: -1 })).toThrow();
    expect(s.get().lockTimeoutMin).toBe(DEFAULT_SETTINGS.lockTimeoutMin);
  });
  it('sets a damaged file aside, keeps it, and starts from defaults', () => {
    const d = dir();
    const f = join(d, 'settings.json');
    writeFileSync(f, '{"version":1,"theme":"da');
    const s = new SettingsStore(f);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.recoveredFrom).not.toBeNull();
    expect(readFileSync(s.recoveredFrom!, 'utf8')).toBe('{"version":1,"theme":"da');
    expect(existsSync(f)).toBe(true);
    expect(readdirSync(d).filter((n) => n.includes('corrupt'))).toHaveLength(1);
  });
});

import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API, SettingsView } from '../../shared/api';
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
  it('reads a file written before native notifications could be turned off as on, and keeps an off', () => {
    const f = join(dir(), 'settings.json');
    const { nativeNotifications: _n, ...older } = DEFAULT_SETTINGS;
    writeFileSync(f, JSON.stringify(older));
    const s = new SettingsStore(f);
    expect(s.recoveredFrom).toBeNull();
    expect(s.get().nativeNotifications).toBe(true);
    s.update({ nativeNotifications: false });
    expect(new SettingsStore(f).get().nativeNotifications).toBe(false);
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
  it('keeps the file’s layout, and its choices are exactly what the Settings screen shows and may change', () => {
    const d = dir();
    const s = new SettingsStore(join(d, 'settings.json'));
    const remote = {
      kind: 'remote' as const,
      rpcUrl: 'https://rpc.example.org',
      chainId: 11155111,
      poolAddress: '0x' + '1'.repeat(40),
      tokenAddress: '0x' + '2'.repeat(40),
      label: 'Sepolia',
      deployBlock: 7,
    };
    s.update({ network: remote, watchlist: ['a'] });
    const stored = JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored)).toEqual([
      'version',
      'network',
      'lockTimeoutMin',
      'theme',
      'riskAcknowledged',
      'demoRoundIntervalS',
      'nativeNotifications',
      'watchlist',
    ]);
    expect(Object.keys(stored.network as object)).toEqual([
      'kind',
      'rpcUrl',
      'chainId',
      'poolAddress',
      'tokenAddress',
      'label',
      'deployBlock',
    ]);
    const { lockTimeoutMin, theme, riskAcknowledged, demoRoundIntervalS, nativeNotifications } = s.get();
    const choices = { lockTimeoutMin, theme, riskAcknowledged, demoRoundIntervalS, nativeNotifications };
    expect(API['settings.update'].input.parse(choices)).toEqual(choices);
    const { tokenAddress: _t, deployBlock: _b, ...shown } = remote;
    expect(SettingsView.parse({ network: shown, ...choices, notice: null })).toEqual({ network: shown, ...choices, notice: null });
    // A remote network as stored is more than the screen shows: the view refuses the extra fields.
    expect(SettingsView.safeParse({ network: remote, ...choices, notice: null }).success).toBe(false);
    expect(() => s.update({ network: { ...remote, rpcUrl: 'not a url' } })).toThrow();
  });
});

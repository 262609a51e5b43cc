import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API, type ApiOutput } from '../../shared/api';
import { createRouter, type Handlers } from '../ipc/router';
import { silentLogger } from '../log/logger';
import { SettingsStore } from '../store/settings';
import { DAMAGED_SETTINGS_NOTICE, settingsHandlers } from './settings-api';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The settings calls as the page reaches them: through the router, inputs and results checked by the contract. */
function settingsRouter(fileContent: string | null, startNotice: string | null = null) {
  const dir = mkdtempSync(join(tmpdir(), 'settings-api-'));
  dirs.push(dir);
  const file = join(dir, 'settings.json');
  if (fileContent !== null) writeFileSync(file, fileContent);
  const applied: string[] = [];
  const handlers = settingsHandlers({
    settings: new SettingsStore(file),
    startNotice,
    applied: {
      demoRoundIntervalS: () => applied.push('rounds'),
      lockTimeoutMin: (m) => applied.push(`lock ${m}`),
      theme: (t) => applied.push(`theme ${t}`),
    },
  });
  // Only the settings group is wired: any other call would be a test mistake, not a case to serve.
  const router = createRouter({ handlers: handlers as unknown as Handlers, allowSender: () => true, log: silentLogger });
  async function call<M extends 'settings.get' | 'settings.update' | 'settings.dismissNotice'>(method: M, input: object = {}) {
    const r = await router.handle(method, input, { kind: 'harness', token: 'x' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return API[method].output.parse(r.value) as ApiOutput<M>;
  }
  return { call, dir, applied };
}

describe('the settings calls', () => {
  it('keep reporting a damaged settings file on every read until the notice is dismissed', async () => {
    const { call, dir } = settingsRouter('{ "version": 1, "theme": ');
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
    // The page reads the settings at start for the theme; the Settings screen reads them again later.
    expect((await call('settings.get')).notice).toBe(DAMAGED_SETTINGS_NOTICE);
    expect((await call('settings.get')).notice).toBe(DAMAGED_SETTINGS_NOTICE);
    expect((await call('settings.update', { theme: 'dark' })).notice).toBe(DAMAGED_SETTINGS_NOTICE);
    const dismissed = await call('settings.dismissNotice');
    expect(dismissed.notice).toBeNull();
    expect(dismissed.theme).toBe('dark');
    expect((await call('settings.get')).notice).toBeNull();
  });

  it('have no notice for an intact file, and say why the saved network was not opened when it was not', async () => {
    const intact = settingsRouter(null);
    expect((await intact.call('settings.get')).notice).toBeNull();
    const fellBack = settingsRouter(null, 'Your saved network could not be reached.');
    expect((await fellBack.call('settings.get')).notice).toBe('Your saved network could not be reached.');
    expect((await fellBack.call('settings.dismissNotice')).notice).toBeNull();
  });

  it('apply a new round interval, idle lock and theme at once, and only those that changed', async () => {
    const { call, applied } = settingsRouter(null);
    await call('settings.update', { lockTimeoutMin: 5 });
    await call('settings.update', { demoRoundIntervalS: 60 });
    await call('settings.update', { theme: 'light' });
    await call('settings.update', { riskAcknowledged: true });
    expect(applied).toEqual(['lock 5', 'rounds', 'theme light']);
    expect(await call('settings.get')).toMatchObject({ lockTimeoutMin: 5, demoRoundIntervalS: 60, theme: 'light' });
  });

  it('shows native notifications on by default, and turns them off without touching the rest', async () => {
    const { call } = settingsRouter(null);
    expect(await call('settings.get')).toMatchObject({ nativeNotifications: true });
    await call('settings.update', { theme: 'dark' });
    expect(await call('settings.get')).toMatchObject({ nativeNotifications: true, theme: 'dark' });
    await call('settings.update', { nativeNotifications: false });
    expect(await call('settings.get')).toMatchObject({ nativeNotifications: false, theme: 'dark' });
  });
});

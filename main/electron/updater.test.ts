import { describe, expect, it } from 'vitest';
import { recordingLogger } from './test-support/recording-log';
import { CHECK_EVERY_MS, restartQuestion, startUpdates, updateFeed, type Updater } from './updater';

/** electron-updater's AppUpdater as far as startUpdates uses it, recording what it was told. */
class FakeUpdater implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: Updater['logger'] = null;
  feeds: unknown[] = [];
  checks = 0;
  installs = 0;
  failCheck: Error | null = null;
  private listeners = new Map<string, ((arg: never) => void)[]>();
  setFeedURL(options: unknown) {
    this.feeds.push(options);
  }
  async checkForUpdates() {
    this.checks++;
    if (this.failCheck) throw this.failCheck;
    return null;
  }
  quitAndInstall() {
    this.installs++;
  }
  on(event: string, listener: (arg: never) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: 'update-downloaded', info: { version: string }): void;
  emit(event: 'error', error: Error): void;
  emit(event: string, arg: unknown) {
    for (const l of this.listeners.get(event) ?? []) (l as (a: unknown) => void)(arg);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setUp(opts: { feedUrl?: string; isPackaged?: boolean; answers?: boolean[] } = {}) {
  const updater = new FakeUpdater();
  const log = recordingLogger();
  const asked: string[] = [];
  const answers = [...(opts.answers ?? [])];
  let created = 0;
  const timers: { ms: number; fn: () => void }[] = [];
  const started = startUpdates({
    updater: () => (created++, updater),
    feedUrl: 'feedUrl' in opts ? opts.feedUrl : 'https://updates.example.org/nmr-delegate',
    isPackaged: opts.isPackaged ?? true,
    log,
    askToRestart: async (version) => (asked.push(version), answers.shift() ?? false),
    every: (fn, ms) => void timers.push({ fn, ms }),
  });
  return { updater, log, asked, started, timers, created: () => created };
}

describe('the update feed a build was given', () => {
  it('is used when it is an https URL', () => {
    expect(updateFeed('https://updates.example.org/nmr')).toEqual({ ok: true, url: 'https://updates.example.org/nmr' });
  });
  it('is missing when unset, not https, not a URL, or the reserved .invalid address of a build without one', () => {
    for (const raw of [
      undefined,
      '',
      'http://updates.example.org/',
      'not a url',
      'https://updates.invalid/nmr-delegate',
      'https://invalid/',
    ])
      expect(updateFeed(raw).ok, String(raw)).toBe(false);
  });
});

describe('startUpdates', () => {
  it('checks the feed at start and every few hours, downloading in the background and installing on quit', async () => {
    const { updater, started, timers, log } = setUp();
    expect(started).toBe(true);
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/nmr-delegate', channel: 'latest' }]);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checks).toBe(1);
    expect(timers.map((t) => t.ms)).toEqual([CHECK_EVERY_MS]);
    timers[0]!.fn();
    expect(updater.checks).toBe(2);
    // electron-updater's own messages go to main's log.
    updater.logger?.info('Checking for update');
    expect(log.events()).toContain('updater.info');
  });

  it('asks "A new version is ready" once a version is downloaded, and restarts only when told to', async () => {
    const { updater, asked } = setUp({ answers: [true] });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(asked).toEqual(['0.2.0']);
    expect(updater.installs).toBe(1);
  });

  it('leaves the update for the next quit when the person says Later, and does not ask again for the same version', async () => {
    const { updater, asked } = setUp({ answers: [false, true] });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(asked).toEqual(['0.2.0']);
    expect(updater.installs).toBe(0);
    // A newer version is a new question.
    updater.emit('update-downloaded', { version: '0.3.0' });
    await settle();
    expect(asked).toEqual(['0.2.0', '0.3.0']);
    expect(updater.installs).toBe(1);
  });

  it('logs a failed check or an updater error and shows nothing', async () => {
    const { updater, log, asked } = setUp();
    updater.failCheck = new Error('getaddrinfo ENOTFOUND updates.example.org');
    updater.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    await settle();
    expect(log.events()).toContain('updater.failed');
    expect(asked).toEqual([]);
  });

  it('a failing first check is caught and logged', async () => {
    const updater = new FakeUpdater();
    updater.failCheck = new Error('offline');
    const log = recordingLogger();
    startUpdates({
      updater: () => updater,
      feedUrl: 'https://u.example.org/',
      isPackaged: true,
      log,
      askToRestart: async () => false,
      every: () => undefined,
    });
    await settle();
    expect(log.lines.find((l) => l.event === 'updater.check_failed')?.fields.error).toBe('offline');
  });

  it('stays quiet when the build has no feed: logs why, never creates the updater', () => {
    for (const feedUrl of [undefined, 'https://updates.invalid/nmr-delegate']) {
      const { started, created, log, timers } = setUp({ feedUrl });
      expect(started).toBe(false);
      expect(created()).toBe(0);
      expect(timers).toEqual([]);
      expect(log.lines).toEqual([expect.objectContaining({ level: 'info', event: 'updater.off' })]);
    }
  });

  it('is off when the app is not packaged (npm start)', () => {
    const { started, created, log } = setUp({ isPackaged: false });
    expect(started).toBe(false);
    expect(created()).toBe(0);
    expect(log.lines[0]?.fields.reason).toBe('not a packaged app');
  });
});

describe('the restart question', () => {
  it('says what is ready, what Restart does and what happens if the person waits', () => {
    const q = restartQuestion('0.2.0');
    expect(q.message).toBe('A new version is ready');
    expect(q.buttons).toEqual(['Restart now', 'Later']);
    expect(q.cancelId).toBe(1);
    expect(q.detail).toMatch(/0\.2\.0.*next time you quit/);
  });
});

import { EventEmitter } from 'node:events';
import type { Details, RenderProcessGoneDetails } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../log/logger';
import { MAX_RELOADS_PER_MINUTE, startCrashReporter, watchProcessDeaths, type GoneContents } from './crash-safety';

function recordingLog() {
  const lines: [string, string, LogFields | undefined][] = [];
  const log: Logger = {
    log: (level, event, fields) => lines.push([level, event, fields]),
    info: (e, f) => lines.push(['info', e, f]),
    warn: (e, f) => lines.push(['warn', e, f]),
    error: (e, f) => lines.push(['error', e, f]),
  };
  return { log, lines };
}

function page(destroyed = false) {
  let reloads = 0;
  const contents: GoneContents = { getURL: () => 'app://renderer/index.html', isDestroyed: () => destroyed, reload: () => void reloads++ };
  return { contents, reloads: () => reloads };
}

const gone = (reason: RenderProcessGoneDetails['reason']): RenderProcessGoneDetails => ({
  reason,
  exitCode: reason === 'clean-exit' ? 0 : 133,
});

describe('crash safety in Electron', () => {
  it('starts the crash reporter with uploads off', () => {
    const calls: unknown[] = [];
    startCrashReporter({ start: (o) => void calls.push(o) });
    expect(calls).toEqual([{ uploadToServer: false }]);
  });

  it('logs a renderer that crashed and loads its page again', () => {
    const app = new EventEmitter();
    const { log, lines } = recordingLog();
    watchProcessDeaths(app, log);
    const p = page();
    app.emit('render-process-gone', {}, p.contents, gone('crashed'));
    expect(p.reloads()).toBe(1);
    expect(lines).toEqual([['error', 'electron.render_process_gone', { reason: 'crashed', exitCode: 133 }]]);
  });

  it('leaves a clean exit and a destroyed window alone', () => {
    const app = new EventEmitter();
    watchProcessDeaths(app, recordingLog().log);
    const clean = page();
    app.emit('render-process-gone', {}, clean.contents, gone('clean-exit'));
    const closed = page(true);
    app.emit('render-process-gone', {}, closed.contents, gone('oom'));
    expect([clean.reloads(), closed.reloads()]).toEqual([0, 0]);
  });

  it('stops reloading a page that keeps crashing, and tries again a minute later', () => {
    const app = new EventEmitter();
    const { log, lines } = recordingLog();
    let t = 0;
    watchProcessDeaths(app, log, () => t);
    const p = page();
    for (let i = 0; i < MAX_RELOADS_PER_MINUTE + 2; i++) app.emit('render-process-gone', {}, p.contents, gone('crashed'));
    expect(p.reloads()).toBe(MAX_RELOADS_PER_MINUTE);
    expect(lines.filter(([, e]) => e === 'electron.render_reload_gave_up')).toHaveLength(2);
    t += 61_000;
    app.emit('render-process-gone', {}, p.contents, gone('oom'));
    expect(p.reloads()).toBe(MAX_RELOADS_PER_MINUTE + 1);
  });

  it('logs other child processes that died', () => {
    const app = new EventEmitter();
    const { log, lines } = recordingLog();
    watchProcessDeaths(app, log);
    const details: Details = { type: 'GPU', reason: 'crashed', exitCode: 9 };
    app.emit('child-process-gone', {}, details);
    expect(lines).toEqual([
      ['warn', 'electron.child_process_gone', { type: 'GPU', reason: 'crashed', exitCode: 9, name: null, serviceName: null }],
    ]);
  });
});

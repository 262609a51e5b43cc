import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { rendererErrorsHandlers, REPORT_WINDOW_MS, REPORTS_PER_WINDOW } from './renderer-errors-api';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'renderer-errors-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the page's errors in main's log", () => {
  it('are logged with where they came from, secrets redacted', async () => {
    const file = join(dir, 'main.log');
    const { 'app.reportError': report } = rendererErrorsHandlers({ log: createLogger({ file }) });
    const key = Wallet.createRandom().privateKey;
    expect(
      await report({ source: 'boundary', message: `Cannot read key ${key}`, stack: 'at Models (Models.tsx:10)', page: 'models' }),
    ).toEqual({
      logged: true,
    });
    const [line] = lines(file);
    expect(line).toMatchObject({
      level: 'error',
      event: 'renderer.error',
      source: 'boundary',
      page: 'models',
      stack: 'at Models (Models.tsx:10)',
    });
    expect(readFileSync(file, 'utf8')).not.toContain(key.slice(2));
  });

  it('are rate-limited: a page in an error loop cannot fill the disk, and the dropped ones are counted', async () => {
    const file = join(dir, 'main.log');
    let t = 1_000;
    const { 'app.reportError': report } = rendererErrorsHandlers({ log: createLogger({ file }), now: () => t });
    const results: boolean[] = [];
    for (let i = 0; i < REPORTS_PER_WINDOW + 5; i++)
      results.push((await report({ source: 'window', message: `boom ${i}`, stack: null, page: null })).logged);
    expect(results.filter(Boolean)).toHaveLength(REPORTS_PER_WINDOW);
    expect(results.slice(-5)).toEqual([false, false, false, false, false]);
    t += REPORT_WINDOW_MS;
    expect(await report({ source: 'rejection', message: 'later', stack: null, page: null })).toEqual({ logged: true });
    const logged = lines(file);
    expect(logged.filter((l) => l.event === 'renderer.error')).toHaveLength(REPORTS_PER_WINDOW + 1);
    expect(logged.find((l) => l.event === 'renderer.errors_dropped')).toMatchObject({ count: 5 });
  });
});

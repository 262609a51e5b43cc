import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { fakeLeaderboardReturn, makeFakeWorld, startFakeNumerai, type FakeNumerai } from '../records/test-support/fake-numerai';
import { createNumeraiRecords } from './numerai-records';

const dir = mkdtempSync(join(tmpdir(), 'numerai-first-list-'));
let api: FakeNumerai | undefined;
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Numerai's first start at the API's own rate", () => {
  it('lists every model with the leaderboards’ figures within seconds, before any history; histories follow with progress', async () => {
    // 3,000 models; the stand-in refuses more than 5 requests a second (429 + Retry-After), as Numerai does.
    const world = makeFakeWorld({ classic: 2000, signals: 600, crypto: 400, currentRound: 30 });
    api = await startFakeNumerai(world, { rateLimit: { perSecond: 5 }, logLimit: 100_000 });
    // The app's own client: its defaults (5 requests a second).
    const records = createNumeraiRecords({
      cachePath: join(dir, 'track-records.bin'),
      log: silentLogger,
      url: api.url,
      progressEveryMs: 0,
    });
    const t0 = performance.now();
    records.start();
    while (records.list({ limit: 1 }).total < 3000 && performance.now() - t0 < 30_000) await sleep(20);
    const seconds = (performance.now() - t0) / 1000;
    expect(records.list({ limit: 1 }).total).toBe(3000);
    expect(seconds).toBeLessThan(30);

    // Every model is shown waiting for its history, with its rank; none has a history yet.
    const loading = records.table.listed!.historyLoading;
    expect(loading.reduce((a, x) => a + x, 0)).toBe(3000);
    expect(records.table.listed!.rank.every((r) => r >= 1)).toBe(true);
    expect(records.dataLabel()).toMatch(/^Numerai · 3,000 models listed · histories \d+ of 3,000 loaded$/);
    // Sorting by Numerai's 3-month return works at once: the best one first.
    const best = Math.max(...world.models.filter((m) => m.tournament !== 11).map((m) => fakeLeaderboardReturn(m.name, 13)));
    const top = records.list({ sortBy: 'return3mPct', sortDir: 'desc', limit: 3 }).rows;
    expect(top[0]!.return3mPct).toBeCloseTo(best * 100, 9);
    expect(top.every((r) => r.historyLoading && r.rounds === 0)).toBe(true);

    // Then the histories, in the background, at the rate limit: the label counts them.
    const before = api.requests.filter((r) => r.rootField === 'v2RoundModelPerformances').length;
    await sleep(1500);
    expect(api.requests.filter((r) => r.rootField === 'v2RoundModelPerformances').length).toBeGreaterThan(before);
    expect(Number(/histories (\d+) of/.exec(records.dataLabel())![1])).toBeGreaterThan(0);
    // Never faster than the API allows.
    expect(api.rateLimited).toBe(0);
    await records.stop();
  }, 60_000);
});

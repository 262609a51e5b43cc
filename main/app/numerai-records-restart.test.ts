import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { makeFakeWorld, startFakeNumerai, type FakeNumerai } from '../records/test-support/fake-numerai';
import { createNumeraiRecords } from './numerai-records';

const FAST = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 2000, maxRetries: 1 };
let api: FakeNumerai;
let dir: string;

beforeAll(async () => {
  api = await startFakeNumerai(makeFakeWorld({ classic: 5, signals: 2, currentRound: 60 }));
  dir = mkdtempSync(join(tmpdir(), 'numerai-restart-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Numerai records across a quick network switch', () => {
  it('a start() while the previous load is still winding down loads anyway (real → demo → real)', async () => {
    const records = createNumeraiRecords({ cachePath: join(dir, 'track-records.bin'), log: silentLogger, url: api.url, client: FAST });
    records.start();
    const stopping = records.stop(); // the person switched to the demo chain…
    records.start(); // …and straight back, before the first load had finished
    await stopping;
    const deadline = Date.now() + 20_000;
    while (!records.has('classic_0') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(records.has('classic_0')).toBe(true);
    expect(records.dataLabel()).toMatch(/^Numerai/);
    await records.stop();
  }, 30_000);
});

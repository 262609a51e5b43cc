/**
 * `records.numerai_first_list_s`: Numerai's first start. Against the test stand-in of Numerai's API
 * (main/records/test-support/fake-numerai.ts) with 15,000 models across the three tournaments and
 * the real API's limit of 5 requests a second (the stand-in answers 429 + Retry-After beyond it),
 * the time from starting the app's Numerai records with no cache (createNumeraiRecords, the client
 * at its defaults) until the list "All models" reads (records.list, what models.list's "all" scope
 * pages through) holds every model, each with its leaderboard figures (rank, exact stake, Numerai's
 * 3-month and 1-year returns where its leaderboard gives them). The histories then follow in the
 * background at the rate limit; the figure notes how far they got.
 *
 *   node --import tsx bench/numerai-first.ts        or the `numerai-first` group of `npm run bench`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../main/log/logger';
import { createNumeraiRecords } from '../main/app/numerai-records';
import { makeFakeWorld, startFakeNumerai } from '../main/records/test-support/fake-numerai';
import type { Figure } from './results-file';

const GOAL_S = 30;

export async function benchNumeraiFirst(opts: { classic?: number; signals?: number; crypto?: number } = {}): Promise<Figure[]> {
  const world = makeFakeWorld({
    classic: opts.classic ?? 10_000,
    signals: opts.signals ?? 3_000,
    crypto: opts.crypto ?? 2_000,
    currentRound: 300,
  });
  const models = world.models.length;
  const api = await startFakeNumerai(world, { rateLimit: { perSecond: 5 }, logLimit: 100_000 });
  const dir = mkdtempSync(join(tmpdir(), 'numerai-first-bench-'));
  const records = createNumeraiRecords({ cachePath: join(dir, 'track-records.bin'), log: silentLogger, url: api.url });
  try {
    const t0 = performance.now();
    records.start();
    let seconds = Number.NaN;
    for (;;) {
      const listed = records.table.listed;
      if (records.list({ limit: 1 }).total === models && listed && listed.rank.every((r) => r >= 1)) {
        seconds = (performance.now() - t0) / 1000;
        break;
      }
      if (performance.now() - t0 > 120_000) throw new Error(`not every model listed after 120 s: ${records.dataLabel()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const pages = api.requests.filter((r) => r.rootField.endsWith('eaderboard')).length;
    const loading = records.table.listed?.historyLoading.reduce((a, x) => a + x, 0) ?? 0;
    // A little more time for the histories, to show they come in behind the list at the rate limit.
    await new Promise((r) => setTimeout(r, 3000));
    const histories = api.requests.filter((r) => r.rootField === 'v2RoundModelPerformances').length;
    return [
      {
        name: 'records.numerai_first_list_s',
        value: Number(seconds.toFixed(2)),
        unit: 's',
        note: `no cache, ${models.toLocaleString('en-US')} models (10k classic, 3k Signals, 2k Crypto) on the loopback stand-in of Numerai's API limited to 5 requests/s (429 + Retry-After beyond; it refused ${api.rateLimited}); from starting the app's Numerai records to the "All models" list (records.list) holding every model with its leaderboard rank, exact stake and Numerai's 3-month/1-year returns, ${loading.toLocaleString('en-US')} of them marked "history loading": ${pages} leaderboard pages (the stand-in caps a page at ${api.maxPageSize.toLocaleString('en-US')}); histories follow at the rate limit (${histories} asked 3 s later: ~2.5 models/s, so all of them in ~100 min); goal ≤ ${GOAL_S} s ${seconds <= GOAL_S ? 'met' : 'not met'}`,
      },
    ];
  } finally {
    await records.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchNumeraiFirst()) console.log(`${f.name} = ${f.value} ${f.unit}  (${f.note})`);
}

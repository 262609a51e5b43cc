/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/test-support/browser';
import { launchHarness, removeUserData, ROOT } from '../e2e/test-support/launcher';
import type { Figure } from './results-file';
import { OnboardingPage } from '../e2e/pages/onboarding';

/** The JS the first screen loads: index.html's module script and its static imports, gzipped. */
function initialJsGzipKb(): { kb: number; files: string[] } {
  const dist = join(ROOT, 'dist', 'renderer');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(dist, f), 'utf8');
    // Static imports only (`import ... from "./x.js"`); dynamic import() chunks load later, lazily.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g))
      queue.push(join('assets', m[1]!));
  }
  let bytes = 0;
  for (const f of seen) bytes += gzipSync(readFileSync(join(dist, f))).length;
  return { kb: bytes / 1024, files: [...seen] };
}

/**
 * In the real app in Chromium: render time of a 1,500-round model chart fed as the app feeds it
 * (downsampled by main) and fed raw, and the models list re-sorted and filtered at 20,000 models.
 */
export async function benchRenderer(): Promise<Figure[]> {
  const js = initialJsGzipKb();
  const browser = findChromium();
  if ('error' in browser) throw new Error(browser.error);
  const app = await launchHarness({ env: { NMR_DELEGATE_DEMO_WORLD: '20000' } });
  const b = await chromium.launch({ executablePath: browser.path, args: CHROMIUM_ARGS });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.appUrl);
    await new OnboardingPage(page).createWallet('benchmark password');
    const rows = page.getByRole('table', { name: 'Models' }).getByRole('row');
    await rows.nth(1).waitFor();

    // Sort + filter in the UI over all 20,000 models: from the click to the new first row on screen.
    await page.getByRole('button', { name: 'All models' }).click();
    await page.getByText(/20,000 models/).waitFor();
    const sortTimes: number[] = [];
    for (const [i, col] of ['Sharpe-like', 'Worst drop', '3 months', 'Rounds', 'Fee'].entries()) {
      const before = await rows.nth(1).innerText();
      const t0 = Date.now();
      await page.getByRole('columnheader').getByRole('button', { name: col }).click();
      await page.waitForFunction((prev) => {
        const r = document.querySelectorAll('[role="table"][aria-label="Models"] [role="row"]')[1];
        return r && r.textContent !== prev && !r.textContent?.includes('Loading');
      }, before);
      sortTimes.push(Date.now() - t0);
      if (i === 0) await page.getByLabel('At least (rounds)').fill('100');
    }
    // The longest track in the demo world for the chart benchmarks.
    await page.getByRole('columnheader').getByRole('button', { name: 'Rounds' }).click();
    const longest = (await rows.nth(1).getByRole('cell').nth(1).getByRole('button').innerText()).trim();

    // Chart render: the app's chart component on a bench page, fed the longest model's series as
    // the app feeds it (downsampled by main) and raw (every round).
    const series = async (maxPoints: number) =>
      page.evaluate(
        async ({ name, maxPoints }) => {
          const token = sessionStorage.getItem('nmr-delegate.harness-token')!;
          const r = await fetch('/api/models.detail', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-nmr-token': token },
            body: JSON.stringify({ name, maxPoints }),
          });
          const body = (await r.json()) as { value: { series: { round: number; cumulativePct: number }[] } };
          return body.value.series.map((p) => ({ round: p.round, cumulativePct: p.cumulativePct }));
        },
        { name: longest, maxPoints },
      );
    const rawSeries = await series(2000);
    const shownSeries = await series(400);
    const rawPoints = rawSeries.length;
    await page.goto(`${new URL(app.appUrl).origin}/bench/chart-bench.html`);
    const renderOnce = (data: { round: number; cumulativePct: number }[]) =>
      page.evaluate(async (d) => (window as unknown as { __benchChart: (x: typeof d) => Promise<number> }).__benchChart(d), data);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const downsampled: number[] = [];
    const raw: number[] = [];
    await renderOnce(shownSeries); // warm-up
    for (let i = 0; i < 5; i++) {
      downsampled.push(await renderOnce(shownSeries));
      raw.push(await renderOnce(rawSeries));
    }
    return [
      {
        name: 'renderer.initial_js_gzip_kb',
        value: Number(js.kb.toFixed(1)),
        unit: 'kB',
        note: `gzipped JS the first screen loads (${js.files.length} files); charts are lazy chunks (goal ≤ 250)`,
      },
      {
        name: 'renderer.chart_1500_render_ms',
        value: Number(median(downsampled).toFixed(1)),
        unit: 'ms',
        note: `median of 5: cumulative-return chart of ${longest} (${rawPoints} rounds) as the app shows it, downsampled by main to ${shownSeries.length} points (LTTB); mount to laid-out SVG (goal ≤ 100)`,
      },
      {
        name: 'renderer.chart_1500_raw_render_ms',
        value: Number(median(raw).toFixed(1)),
        unit: 'ms',
        note: `median of 5: the same chart fed all ${rawPoints} raw points, same run`,
      },
      {
        name: 'renderer.sort_filter_20k_ms',
        value: median(sortTimes),
        unit: 'ms',
        note: `median of ${sortTimes.length} column sorts (one with a filter) over 20,000 models in the UI: click → new first row rendered (${sortTimes.join(', ')} ms)`,
      },
    ];
  } finally {
    await b.close();
    await app.stop();
    removeUserData(app.userDataDir);
  }
}

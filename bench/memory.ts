/**
 * Memory as a person with an 8 GB laptop feels it: the built harness (dist/) started on a fresh
 * profile with the default demo world (15,000 models' track records loaded), the "All models" list
 * opened in Chromium and scrolled to its last row.
 *
 *   app.main_rss_mb       main's resident memory (VmRSS of the harness process, /proc/<pid>/status)
 *                         once the list has been served and scrolled to the end; goal ≤ 300 MB
 *   app.renderer_heap_mb  the page's JS heap (CDP Performance.getMetrics JSHeapUsedSize) on "All
 *                         models" scrolled to the end, after a garbage collection (CDP
 *                         HeapProfiler.collectGarbage); goal ≤ 150 MB
 *
 *   node --import tsx bench/memory.ts      or the `memory` group of `npm run bench` (needs `npm run build`)
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/test-support/browser';
import { launchHarness, removeUserData } from '../e2e/test-support/launcher';
import type { Figure } from './results-file';

/** A process's resident memory in MB, from the kernel's own count. */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) / 1024;
}

/** Scrolls the virtualized model list to its end and waits for the last row. */
async function scrollToEnd(page: Page, count: number): Promise<void> {
  const body = page.getByRole('table', { name: 'Models' }).locator('.vbody');
  const last = page.locator(`[role="row"][aria-rowindex="${count + 1}"]`);
  for (let i = 0; i < 50 && !(await last.isVisible()); i++) {
    // In steps, as a person dragging the bar would: every page on the way is asked for.
    await body.evaluate((el) => el.scrollBy(0, el.clientHeight * 40));
    await page.waitForTimeout(100);
  }
  await last.waitFor({ timeout: 30_000 });
}

export async function benchMemory(): Promise<Figure[]> {
  const browser = findChromium();
  if ('error' in browser) throw new Error(browser.error);
  const app = await launchHarness({ env: { NMR_DELEGATE_DEMO_MODELS: '12' } });
  const b = await chromium.launch({ executablePath: browser.path, args: CHROMIUM_ARGS });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.appUrl);
    await page.getByRole('group', { name: 'Which models' }).getByRole('button', { name: 'All models' }).click();
    // "N models · …" once the whole list's count is in (a thousand or more: not the pool's, not the 0 shown while loading).
    const label = page.getByText(/^\d{1,3}(,\d{3})+ models · /);
    await label.waitFor();
    const count = Number((/^([\d,]+) models/.exec(await label.innerText())![1] ?? '').replace(/,/g, ''));
    await scrollToEnd(page, count);
    // Main settles (its answers sent, its garbage collected on its own schedule) before it is read.
    await page.waitForTimeout(1000);
    const rss = residentMb(app.pid);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 2 ** 20;
    return [
      {
        name: 'app.main_rss_mb',
        value: Number(rss.toFixed(1)),
        unit: 'MB',
        note: `VmRSS of the harness process (main, not anvil) after start with the demo world's ${count.toLocaleString('en-US')} models' track records loaded, "All models" served and scrolled to its last row in Chromium (the world's figures are kept, its 200 MB of rows are generated per model when asked for: main/records/demo-records.ts; 371 MB when the rows were kept); goal ≤ 300 MB ${rss <= 300 ? 'met' : 'not met'}`,
      },
      {
        name: 'app.renderer_heap_mb',
        value: Number(heap.toFixed(1)),
        unit: 'MB',
        note: `the page's JS heap in use (CDP Performance.getMetrics JSHeapUsedSize) on "All models" (${count.toLocaleString('en-US')} models) scrolled to the end, after a CDP HeapProfiler.collectGarbage; 1280×800; goal ≤ 150 MB ${heap <= 150 ? 'met' : 'not met'}`,
      },
    ];
  } finally {
    await b.close();
    await app.stop();
    removeUserData(app.userDataDir);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchMemory()) console.log(`${f.name} = ${f.value} ${f.unit}  (${f.note})`);
}

import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './e2e/test-support/browser';
import { freshUserDataDir, launchHarness } from './e2e/test-support/launcher';
const app = await launchHarness({ userDataDir: freshUserDataDir(), env: { NMR_DELEGATE_DEMO_WORLD: '20000' } });
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
await page.addInitScript(`(() => {
  window.__t = [];
  const orig = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const u = String(args[0]);
    window.__t.push(['fetch ' + u.slice(-20), performance.now()]);
    const r = await orig(...args);
    window.__t.push(['headers ' + u.slice(-20), performance.now()]);
    const json = r.json.bind(r);
    r.json = async () => { const v = await json(); window.__t.push(['json ' + u.slice(-20), performance.now()]); return v; };
    return r;
  };
})()`);
await page.goto(app.appUrl);
await page.getByRole('table', { name: 'Models' }).getByRole('row').nth(1).waitFor();
await page.getByRole('button', { name: 'All models' }).click();
await page.getByText(/20,000 models/).waitFor();
await page.waitForTimeout(3000);
for (const col of ['Sharpe-like', 'Worst drop', '3 months', 'Rounds', 'Fee', 'Sharpe-like']) {
  await page.waitForTimeout(300);
  const r = await page.evaluate(`(async (label) => {
    window.__t = [];
    const table = document.querySelector('[role="table"][aria-label="Models"]');
    const first = () => table.querySelectorAll('[role="row"]')[1]?.textContent ?? null;
    const button = [...table.querySelectorAll('[role="columnheader"] button')].find((b) => b.textContent.startsWith(label));
    const before = first();
    const changed = () => { const now = first(); return now !== null && now !== before && !now.includes('Loading'); };
    const t0 = performance.now();
    button.click();
    const tClickDone = performance.now() - t0;
    await new Promise((resolve) => { const watch = new MutationObserver(() => { if (changed()) { watch.disconnect(); resolve(); } }); watch.observe(table, { childList: true, subtree: true, characterData: true }); });
    const total = performance.now() - t0;
    return { total: total.toFixed(1), click: tClickDone.toFixed(1), marks: window.__t.map(([n, t]) => n + ' ' + (t - t0).toFixed(1)) };
  })(${JSON.stringify(col)})`);
  console.log(col, JSON.stringify(r));
}
await b.close(); await app.stop();

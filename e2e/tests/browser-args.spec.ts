import { readdirSync, readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';

/** The command lines of the Chromium processes this test process started (Linux's /proc). */
function ownBrowserCommandLines(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.includes('--remote-debugging-pipe')) lines.push(args);
    } catch {
      // the process ended meanwhile
    }
  }
  return lines;
}

// Chromium keeps only the last --disable-features it is given: a list of ours after Playwright's
// would silently turn Playwright's back on (e2e/test-support/browser.ts).
test('the browser keeps every feature Playwright turns off, and ours', async ({ browser }) => {
  test.skip(process.platform !== 'linux', 'reads the command line from /proc');
  expect(browser.isConnected()).toBe(true);
  const [args] = ownBrowserCommandLines();
  expect(args, 'the browser process of this test').toBeDefined();
  const lists = args!.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice('--disable-features='.length).split(','));
  expect(lists.length).toBeGreaterThan(0);
  const applied = new Set(lists.at(-1));
  for (const name of [...lists.flat(), 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']) expect(applied, `${name} is off`).toContain(name);
});

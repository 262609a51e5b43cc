import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Stops Chromium's own lookups of Google hosts on a machine with no internet.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/**
 * The browser the tests drive: Playwright's own Chromium when it is installed, else the system's.
 * Never downloads one. Returns null with the reason when there is none.
 */
export function findChromium(): { path: string } | { error: string } {
  const fromEnv = process.env.NMR_DELEGATE_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return { path: fromEnv };
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: own };
  } catch {
    // Playwright has no browser of its own here; fall through to the system's.
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return { path: p };
  return { error: 'No Chromium found: install one with "sudo apt-get install chromium" (Debian/Ubuntu) and run the tests again.' };
}

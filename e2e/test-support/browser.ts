import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The features Playwright turns off itself (playwright-core's chromiumSwitches.ts). Chromium keeps
 * only the last `--disable-features` it is given, so a list of ours must carry these too;
 * e2e/tests/browser-args.spec.ts checks, on the browser's own command line, that none is lost.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];
/**
 * Chromium 156 loads its address bar's popup (a WebUI page, chrome://omnibox-popup.top-chrome) in
 * a renderer of its own for every new window, shown or not. Measured here: ~1.2 s of renderer CPU
 * and ~0.4 s of the browser process's per window, on two cores, in the middle of whatever the tab
 * loads. Playwright opens a window per page; a person opens the app's link in a window they already
 * have. With these off, a new page costs ~0.2 s of renderer CPU.
 */
const OURS_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

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
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OURS_DISABLED_FEATURES].join(',')}`,
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

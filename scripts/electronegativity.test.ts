import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runElectronegativity } from './electronegativity.mjs';

/**
 * The app's own scan is a step of `npm test` (scripts/electronegativity.mjs). This is its negative
 * control: the same scanner, on a copy of our Electron entry with the hardening taken out, must
 * find what was taken out — so a clean scan of the real code means something.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

describe('electronegativity', () => {
  it('flags our Electron entry once its hardening is taken out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eng-control-'));
    mkdirSync(join(dir, 'main', 'entry'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    const weakened = readFileSync(join(root, 'main', 'entry', 'electron.ts'), 'utf8')
      .replace('contextIsolation: true', 'contextIsolation: false')
      .replace(/\n\s*sandbox: true,/, '')
      .replace(/\n\s*disableBlinkFeatures: 'Auxclick',/, '')
      .replace(/ \/\/ eng-disable PRELOAD_JS_CHECK/, '')
      .replace('webSecurity: true', 'webSecurity: false');
    // Without main/electron/harden.ts beside it: no navigation limits, no permission handler, no CSP.
    writeFileSync(join(dir, 'main', 'entry', 'electron.ts'), weakened);
    const r = await runElectronegativity({ input: dir });
    const ids = new Set(r.findings.map((f) => f.id));
    for (const id of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'AUXCLICK_JS_CHECK',
      'PRELOAD_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CSP_GLOBAL_CHECK',
    ]) {
      expect(ids, id).toContain(id);
    }
  }, 60_000);
});

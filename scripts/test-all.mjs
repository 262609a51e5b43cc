// `npm test`: every test, in the order that fails fastest: types, lint, build, the three vitest
// projects in one run and one JSON report (unit; integration and contracts, on a real local EVM), then
// the e2e tests in Chromium against the built app.
// Ends with one summary line, "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'test-results', 'summary');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`--- ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

ok = step('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']) && ok;
ok = step('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']) && ok;
ok = step('lint (ESLint with 0 warnings, Prettier)', 'npm', ['run', 'lint']) && ok;
ok = step('electronegativity (Electron security checklist)', process.execPath, ['scripts/electronegativity.mjs']) && ok;
if (!step('build', process.execPath, ['scripts/build-all.mjs'])) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const vitestJson = join(out, 'vitest.json');
ok =
  step('vitest: unit, integration and contract tests', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]) && ok;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0);
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else totals.failed += 1;

const pwJson = join(out, 'playwright.json');
ok =
  step('e2e tests (Chromium, browser harness)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  }) && ok;
if (existsSync(pwJson)) {
  const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
} else totals.failed += 1;

if (!ok && totals.failed === 0) totals.failed = 1; // a step failed outside any test (types, a crash)
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);

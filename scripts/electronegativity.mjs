// Electronegativity (Doyensec's checker of Electron's security checklist) over the app's Electron
// code, offline; exits 1 on any finding or any file it could not parse.
//
//   node scripts/electronegativity.mjs          (also a step of `npm test`)
//
// What is scanned: main/ (the Electron entry, window, preload, IPC and everything they reach; tests
// left out), the renderer's page (renderer/index.html, with its CSP, and renderer/src), and
// package.json. They are copied to a temporary folder first, because electronegativity takes one
// input folder and would otherwise also read dist/, e2e/, node_modules' neighbours and scratch files.
//
// Where a check cannot apply, the code says so on the line itself with electronegativity's own
// annotation (`// eng-disable CHECK_ID`) and a comment saying why; see main/entry/electron.ts.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = performance.now();
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Checks left out, each with the reason. */
const EXCLUDED = {
  // Downloads Electron's release list from the internet (we run offline); the Electron version is
  // pinned in package.json and raised on purpose.
  AvailableSecurityFixesGlobalCheck: 'needs the internet',
  // Informational only: it reports which Electron version package.json names, nothing to fix.
  ElectronVersionJSONCheck: 'informational (reports the Electron version)',
};

/**
 * Findings reviewed and accepted, each matched exactly (check, file and the code or policy it
 * quotes), so any change to that code brings it back for review. Prefer an `eng-disable`
 * annotation in the file itself; this list is for files this script's owners may not edit.
 */
const ACCEPTED = [];

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return '45.4.1';
  }
}

/** Copies what is scanned into a fresh folder: sources only, no tests, no hidden or scratch folders. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  const keep = (src) => {
    const name = basename(src);
    if (name.startsWith('.') || name === 'node_modules') return false;
    return !/\.test\.tsx?$/.test(name);
  };
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'main'), join(dir, 'main'), { recursive: true, filter: keep });
  cpSync(join(root, 'renderer', 'index.html'), join(dir, 'renderer', 'index.html'));
  cpSync(join(root, 'renderer', 'src'), join(dir, 'renderer', 'src'), { recursive: true, filter: keep });
  return dir;
}

/**
 * Electronegativity asks an S3 bucket for newer translations of its messages on every run (1 s
 * timeout) and falls back to the English it ships; its only other use of that HTTP client is the
 * excluded AvailableSecurityFixesGlobalCheck. We run offline, so the client refuses at once and no
 * socket is opened (the unit tests' guard fails a test that reaches beyond loopback).
 */
function keepOffline() {
  const got = createRequire(require.resolve('@doyensec/electronegativity')).resolve('got');
  const refuse = () => Promise.reject(new Error('electronegativity runs offline here'));
  require.cache[got] ??= { id: got, filename: got, loaded: true, exports: refuse, children: [], paths: [] };
}

/** Scans the app (or, for tests, another folder) and sorts the issues into findings and accepted ones. */
export async function runElectronegativity(opts = {}) {
  keepOffline();
  const mod = require('@doyensec/electronegativity');
  const run = mod.default ?? mod;
  const input = opts.input ?? stage();
  try {
    const version = electronVersion();
    const result = await run({
      input,
      electronVersionOverride: version,
      excludeFromScan: Object.keys(EXCLUDED),
      isRelative: true,
    });
    const seconds = (performance.now() - started) / 1000;
    const accepted = [];
    const findings = [];
    for (const issue of result.issues) {
      const file = String(issue.file).replace(/^\/+/, '');
      const rule = ACCEPTED.find((a) => a.id === issue.id && a.file === file && a.sample === issue.sample);
      (rule ? accepted : findings).push({ ...issue, file, why: rule?.why });
    }
    const broken = result.errors.filter((e) => !e.tolerable);
    return { version, seconds, findings, accepted, broken, checks: result.globalChecks + result.atomicChecks };
  } finally {
    if (!opts.input) rmSync(input, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runElectronegativity();
  for (const f of r.findings) {
    console.log(`FINDING ${f.id} ${f.file}:${f.location.line}:${f.location.column} ${f.severity.name}/${f.confidence.name}`);
    console.log(`  ${f.description}${f.shortenedURL ? ` (${f.shortenedURL})` : ''}`);
    if (f.sample) console.log(`  > ${String(f.sample).trim().slice(0, 200)}`);
  }
  for (const e of r.broken) console.log(`COULD NOT PARSE ${e.file}: ${e.message}`);
  for (const a of r.accepted) console.log(`accepted ${a.id} ${a.file}:${a.location.line}: ${a.why}`);
  for (const [id, why] of Object.entries(EXCLUDED)) console.log(`excluded ${id}: ${why}`);
  const unused = ACCEPTED.filter((a) => !r.accepted.some((x) => x.id === a.id && x.file === a.file));
  for (const a of unused)
    console.log(`note: the accepted ${a.id} in ${a.file} no longer occurs; remove it from scripts/electronegativity.mjs`);
  console.log(
    `electronegativity (Electron ${r.version}, ${r.checks} checks): ${r.findings.length} findings, ` +
      `${r.broken.length} unparsed files, ${r.accepted.length} accepted, in ${r.seconds.toFixed(1)} s`,
  );
  process.exit(r.findings.length === 0 && r.broken.length === 0 ? 0 : 1);
}

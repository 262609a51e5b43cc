import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file';
import { DEFAULT_SETTINGS, Settings, SettingsStore } from './settings';

/**
 * kill -9 while the settings file is being rewritten: after every kill the file must parse and
 * validate as the old content or the new one, never a mix, never empty. The child
 * (test-support/kill9-child.ts) runs the app's own write paths — SettingsStore.update() and the generic
 * writeFileAtomic() — bundled once with esbuild and started with plain node and a compile cache
 * (a start costs about what a bare node start does, instead of ~1.2 s with tsx). A plain writeFileSync() writer is the negative control: the same
 * harness must catch it tearing the file. (Keystores have their own test in main/wallet.)
 */
const SETTINGS_RUNS = 50;
const ATOMIC_RUNS = 50;
const NAIVE_RUNS = 6; // a torn file in ~80% of kills: six runs miss it with a chance of about 1 in 20,000
const LANES = 2;

// Built on the defaults, so fields added to the schema later keep their default values.
const SETTINGS_A: Settings = Settings.parse({
  ...DEFAULT_SETTINGS,
  network: {
    kind: 'remote',
    rpcUrl: `https://rpc.example.org/${'a'.repeat(1900)}`,
    chainId: 11155111,
    poolAddress: `0x${'1'.repeat(40)}`,
    tokenAddress: `0x${'2'.repeat(40)}`,
    label: 'Sepolia',
    deployBlock: 123456,
  },
  lockTimeoutMin: 5,
  theme: 'dark',
  riskAcknowledged: true,
  demoRoundIntervalS: 0,
});
const SETTINGS_B: Settings = Settings.parse({
  ...DEFAULT_SETTINGS,
  network: { kind: 'local' },
  lockTimeoutMin: 30,
  theme: 'light',
  riskAcknowledged: false,
  demoRoundIntervalS: 60,
});
// Two texts of different sizes, so a torn or half-written file cannot pass for either.
const TEXT_A = JSON.stringify({ v: 'A', fill: 'a'.repeat(64 * 1024) });
const TEXT_B = JSON.stringify({ v: 'B', fill: 'b'.repeat(48 * 1024) });

let work = '';
let bundle = '';
let settingsVariants = '';
let textVariants = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kill9-'));
  bundle = join(work, 'kill9-child.cjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./test-support/kill9-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'silent',
  });
  settingsVariants = join(work, 'settings-variants.json');
  writeFileSync(settingsVariants, JSON.stringify([SETTINGS_A, SETTINGS_B]));
  textVariants = join(work, 'text-variants.json');
  writeFileSync(textVariants, JSON.stringify([TEXT_A, TEXT_B]));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Mode = 'settings' | 'atomic' | 'naive';

/** Starts the writer, lets it run a random 0–15 ms after its first write, kills it with SIGKILL. */
async function killOnce(file: string, mode: Mode): Promise<void> {
  const child = spawn(process.execPath, [bundle], {
    // The compile cache keeps each start near a bare node start.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_COMPILE_CACHE: join(work, 'cache'),
      KILL9_FILE: file,
      KILL9_MODE: mode,
      KILL9_VARIANTS: mode === 'settings' ? settingsVariants : textVariants,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.once('data', () => resolve(true))),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the writer exited before its first write: ${stderr.slice(0, 500)}`);
  await sleep(Math.random() * 15);
  child.kill('SIGKILL');
  await exited;
}

/** 'A' or 'B' when the file holds one of the two contents whole; 'corrupt' otherwise. */
function check(file: string, mode: Mode): 'A' | 'B' | 'corrupt' {
  try {
    if (mode !== 'naive' && process.platform !== 'win32' && (statSync(file).mode & 0o777) !== 0o600) return 'corrupt';
    if (mode === 'settings') {
      // The app's own read path: a damaged file would be set aside and reported here.
      const store = new SettingsStore(file);
      if (store.recoveredFrom) return 'corrupt';
      const s = Settings.parse(store.get());
      if (JSON.stringify(s) === JSON.stringify(SETTINGS_A)) return 'A';
      if (JSON.stringify(s) === JSON.stringify(SETTINGS_B)) return 'B';
      return 'corrupt';
    }
    const text = readFileSync(file, 'utf8');
    return text === TEXT_A ? 'A' : text === TEXT_B ? 'B' : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

async function lane(mode: Mode, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), `kill9-${mode}-`));
  const file = join(dir, mode === 'settings' ? 'settings.json' : 'data.json');
  if (mode === 'settings') writeFileAtomic(file, JSON.stringify(SETTINGS_A, null, 2));
  else writeFileAtomic(file, TEXT_A);
  const seen = { A: 0, B: 0, corrupt: 0 };
  for (let r = 0; r < runs; r++) {
    await killOnce(file, mode);
    const got = check(file, mode);
    seen[got]++;
    // Put a known-good file back after a torn one, so the next run starts clean.
    if (got === 'corrupt') writeFileAtomic(file, mode === 'settings' ? JSON.stringify(SETTINGS_A, null, 2) : TEXT_A);
  }
  const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp')).length;
  const setAside = readdirSync(dir).filter((f) => f.includes('.corrupt-')).length;
  return { ...seen, leftovers, setAside };
}

async function runAll(mode: Mode, runs: number) {
  const per = Math.ceil(runs / LANES);
  const lanes = await Promise.all(Array.from({ length: LANES }, () => lane(mode, per)));
  return lanes.reduce((a, b) => ({
    A: a.A + b.A,
    B: a.B + b.B,
    corrupt: a.corrupt + b.corrupt,
    leftovers: a.leftovers + b.leftovers,
    setAside: a.setAside + b.setAside,
  }));
}

describe('kill -9 during writes', () => {
  it(`leaves the settings file whole: SettingsStore and writeFileAtomic, ${SETTINGS_RUNS + ATOMIC_RUNS} kills`, async () => {
    const settings = await runAll('settings', SETTINGS_RUNS);
    const atomic = await runAll('atomic', ATOMIC_RUNS);
    const runs = settings.A + settings.B + settings.corrupt + atomic.A + atomic.B + atomic.corrupt;
    const corrupt = settings.corrupt + atomic.corrupt;
    console.log(`${runs} kill -9 runs, ${corrupt} corrupt files`);
    expect(runs).toBeGreaterThanOrEqual(100);
    expect(corrupt).toBe(0);
    expect(settings.setAside).toBe(0);
    // The kills landed at different points: both contents were seen.
    expect(settings.A > 0 && settings.B > 0).toBe(true);
    expect(atomic.A > 0 && atomic.B > 0).toBe(true);
  }, 120_000);

  it('catches a writer that is not crash-safe (negative control: plain writeFileSync)', async () => {
    const naive = await runAll('naive', NAIVE_RUNS);
    expect(naive.corrupt).toBeGreaterThan(0);
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { decryptKeystore, encryptKeystore, parseKeystore } from './keystore';
import { writeKeystoreFile } from './keystore-file';
import { WalletService } from './wallet-service';

/**
 * kill -9 while the keystore is being rewritten: after every kill the file must parse and decrypt
 * to the old key or the new one. The child runs the app's own write path (test-support/crash-child.ts). It is
 * bundled once with esbuild and started with plain node: a tsx start costs ~1.2 s on these
 * machines, a bundled one ~0.1 s, and the test needs 100+ starts.
 */
const PASSWORD = 'crash test password';
const KEYS = [Wallet.createRandom().privateKey, Wallet.createRandom().privateKey];
const RUNS_PER_LANE = 50;
const LANES = 2;

let work = '';
let bundle = '';
let sources = '';
const made: string[] = [];

afterAll(() => {
  for (const dir of [work, ...made]) if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wallet-crash-'));
  bundle = join(work, 'crash-child.cjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./test-support/crash-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs', // starts a little faster than an ES module
    outfile: bundle,
    logLevel: 'silent',
  });
  // Three differently salted files per key, alternating keys: every write changes every byte that can change.
  const list: { json: string; address: string }[] = [];
  for (let v = 0; v < 3; v++) {
    for (const key of KEYS)
      list.push({ json: await encryptKeystore({ privateKey: key }, PASSWORD, 2 ** 10), address: new Wallet(key).address });
  }
  sources = join(work, 'sources.json');
  writeFileSync(sources, JSON.stringify(list));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the writer, lets it run a random 0–12 ms after its first write, kills it with SIGKILL. */
async function killOnce(dir: string, naive: boolean): Promise<void> {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', CRASH_DIR: dir, CRASH_SOURCES: sources, CRASH_NAIVE: naive ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.once('data', () => resolve(true))),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the writer exited before its first write`);
  await sleep(Math.random() * 12);
  child.kill('SIGKILL');
  await exited;
}

/** 'A' or 'B' for a keystore that opens to one of the two keys; 'corrupt' for anything else. */
async function check(dir: string): Promise<'A' | 'B' | 'corrupt'> {
  try {
    const account = await decryptKeystore(parseKeystore(readFileSync(join(dir, 'keystore.json'), 'utf8')), PASSWORD);
    if (account?.privateKey === KEYS[0]) return 'A';
    if (account?.privateKey === KEYS[1]) return 'B';
    return 'corrupt';
  } catch {
    return 'corrupt';
  }
}

async function lane(naive: boolean, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-crash-lane-'));
  made.push(dir);
  const first = (JSON.parse(readFileSync(sources, 'utf8')) as { json: string; address: string }[])[0]!;
  writeKeystoreFile(dir, first.json, first.address, null);
  const seen = { A: 0, B: 0, corrupt: 0 };
  const temps = new Set<string>();
  let midWrite = 0;
  for (let r = 0; r < runs; r++) {
    await killOnce(dir, naive);
    seen[await check(dir)]++;
    const fresh = readdirSync(dir).filter((n) => n.endsWith('.tmp') && !temps.has(n));
    if (fresh.length) midWrite++;
    for (const n of fresh) temps.add(n);
  }
  return { dir, seen, midWrite };
}

describe('keystore writes survive kill -9', () => {
  it('never leaves a corrupt or partial keystore (≥ 100 SIGKILLs mid-rewrite)', { timeout: 120_000 }, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => lane(false, RUNS_PER_LANE)));
    const runs = LANES * RUNS_PER_LANE;
    const corrupt = lanes.reduce((n, l) => n + l.seen.corrupt, 0);
    const a = lanes.reduce((n, l) => n + l.seen.A, 0);
    const midWrite = lanes.reduce((n, l) => n + l.midWrite, 0);
    console.log(
      `${runs} kill -9 runs, ${corrupt} corrupt keystores (key A/B on disk: ${a}/${runs - a - corrupt}; killed mid-write with a temp file left: ${midWrite})`,
    );
    expect(runs).toBeGreaterThanOrEqual(100);
    expect(corrupt).toBe(0);
    // The writer really was rewriting when killed: both keys were found on disk at some kill.
    expect(a).toBeGreaterThan(0);
    expect(runs - a - corrupt).toBeGreaterThan(0);
    // And the app opens what is left, cleaning up any temp file a kill left behind.
    const service = new WalletService(lanes[0]!.dir, new EventBus(), 2 ** 10);
    expect(readdirSync(lanes[0]!.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await service.unlock(PASSWORD)).state).toBe('unlocked');
  });

  it('negative control: the same harness catches a plain writeFileSync writer', { timeout: 60_000 }, async () => {
    const { seen } = await lane(true, 20);
    console.log(`negative control: 20 kill -9 runs of a plain writeFileSync writer, ${seen.corrupt} corrupt keystores`);
    expect(seen.corrupt).toBeGreaterThan(0);
  });
});

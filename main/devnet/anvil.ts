import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { postJson } from '../chain/loopback-post';
import { dropSavedTraces } from './saved-traces';

const FOUNDRY_PLATFORM: Record<string, string> = {
  'linux-x64': 'linux-amd64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-amd64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-amd64',
};

/**
 * The same path outside the app's archive. In a packaged app, require.resolve finds anvil inside
 * resources/app.asar, which Electron's fs can read but `spawn` cannot execute; electron-builder puts
 * the binary in app.asar.unpacked beside it (electron-builder.yml, asarUnpack).
 */
export function outsideAsar(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}

/** The binary inside an anvil platform package's folder, as a path spawn can run. */
export function anvilBinaryIn(packageDir: string, platform: NodeJS.Platform = process.platform): string {
  return outsideAsar(join(packageDir, 'bin', platform === 'win32' ? 'anvil.exe' : 'anvil'));
}

/** Where the anvil binary is: the platform package npm installed, or ANVIL_PATH. */
export function findAnvil(): string {
  const override = process.env.ANVIL_PATH;
  if (override && existsSync(override)) return override;
  const platform = FOUNDRY_PLATFORM[`${process.platform}-${process.arch}`];
  if (!platform) throw new Error(`No local chain binary is available for ${process.platform}-${process.arch}.`);
  const req = createRequire(import.meta.url);
  const pkg = `@foundry-rs/anvil-${platform}`;
  let pkgJson: string;
  try {
    pkgJson = req.resolve(`${pkg}/package.json`);
  } catch {
    throw new Error(`The local chain (${pkg}) is not installed. Run "npm install" again.`);
  }
  const bin = anvilBinaryIn(dirname(pkgJson));
  if (!existsSync(bin)) throw new Error(`The local chain binary is missing at ${bin}. Run "npm install" again.`);
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AnvilOptions {
  chainId?: number;
  /** The pool uses transient storage (EIP-1153), so the chain must be Cancun or later. */
  hardfork?: string;
  /** Load state from this file if it exists, and save to it on exit and every `stateIntervalS`. */
  stateFile?: string;
  stateIntervalS?: number;
  port?: number;
  extraArgs?: string[];
  /** Start anvil again (same port, same state file) when it dies on its own; see AnvilSupervision. */
  supervise?: AnvilSupervision;
}

/**
 * What happens when anvil dies while the app runs (killed, crashed, out of memory): it is started
 * again on the same port, so every provider keeps its URL, from its state file (saved every
 * `stateIntervalS`, so at most that much of the chain's recent past is lost). A chain that keeps
 * dying is given up after MAX_RESTARTS_PER_MINUTE.
 */
export interface AnvilSupervision {
  onRestarted(info: { exitCode: number | null; signal: string | null }): void;
  onGaveUp(reason: string): void;
}

export const MAX_RESTARTS_PER_MINUTE = 3;

export interface AnvilHandle {
  url: string;
  port: number;
  /** The running anvil (a new one after a restart). */
  readonly process: ChildProcess;
  /** Stops the node; with a state file, waits until anvil has written it, then empties its saved traces (saved-traces.ts). */
  stop(): Promise<void>;
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const res = await postJson(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }), 1000);
    return res.status === 200;
  } catch {
    return false;
  }
}

interface Launched {
  child: ChildProcess;
  exited: Promise<void>;
  up: boolean;
  stderr: () => string;
}

function anvilArgs(port: number, opts: AnvilOptions): string[] {
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(opts.chainId ?? 31337),
    '--hardfork',
    opts.hardfork ?? 'prague',
    '--silent',
  ];
  if (opts.stateFile) {
    args.push('--state', opts.stateFile);
    if (opts.stateIntervalS) args.push('--state-interval', String(opts.stateIntervalS));
  }
  args.push(...(opts.extraArgs ?? []));
  return args;
}

/** Spawns anvil on `port`; the process, its end and the tail of what it printed. */
function spawnAnvil(bin: string, port: number, opts: AnvilOptions): Omit<Launched, 'up'> {
  const child = spawn(bin, anvilArgs(port, opts), { stdio: ['ignore', 'ignore', 'pipe'] });
  // Whoever holds it, it does not outlive the app, even when the app exits in the middle of a start.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, stderr: () => stderr };
}

/** Waits until the spawned anvil answers JSON-RPC, it exits, or 20 s pass (then it is killed). */
async function untilUp(spawned: Omit<Launched, 'up'>, port: number): Promise<Launched> {
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let dead = false;
  void spawned.exited.then(() => (dead = true));
  while (!dead && Date.now() - started < 20_000) {
    if (await rpcAnswers(url)) return { ...spawned, up: true };
    await new Promise((r) => setTimeout(r, 25));
  }
  spawned.child.kill('SIGKILL');
  return { ...spawned, up: false };
}

function launch(bin: string, port: number, opts: AnvilOptions): Promise<Launched> {
  return untilUp(spawnAnvil(bin, port, opts), port);
}

/** An anvil started ahead of the code that uses it, handed over: its port and how its start went. */
export interface EarlyLaunch {
  port: number;
  launched: Launched;
}

/**
 * anvil started before the code that uses it is loaded: the harness starts the saved demo chain's
 * node while the rest of main loads (~0.4 s of a start), instead of after. `take` hands it over (to
 * startAnvil) when it was started with the same options; anything else stops it.
 */
export interface EarlyAnvil {
  /** The node, if it was started with `opts` and not taken yet (otherwise it is stopped): at most once. */
  take(opts: AnvilOptions): Promise<EarlyLaunch> | null;
  /** Stops it unless it was taken (the app opened another network, or the saved chain is not ours). */
  discard(): void;
}

/** Whether two option sets start the same node (the port aside, which the early start chooses). */
const sameStart = (a: AnvilOptions, b: AnvilOptions) =>
  b.port === undefined && JSON.stringify(anvilArgs(0, a)) === JSON.stringify(anvilArgs(0, b));

export function startAnvilEarly(opts: AnvilOptions): EarlyAnvil {
  const bin = findAnvil();
  let state: 'running' | 'taken' | 'discarded' = 'running';
  let child: ChildProcess | null = null;
  const kill = () => child?.kill('SIGKILL');
  const discarded = () => state === 'discarded';
  const early = (async (): Promise<EarlyLaunch> => {
    const port = opts.port ?? (await freePort());
    const spawned = spawnAnvil(bin, port, opts);
    child = spawned.child;
    if (discarded()) kill(); // while its port was chosen
    return { port, launched: await untilUp(spawned, port) };
  })();
  return {
    take(wanted) {
      if (state !== 'running') return null;
      if (!sameStart(opts, wanted)) {
        this.discard();
        return null;
      }
      state = 'taken';
      return early;
    },
    discard() {
      if (state !== 'running') return;
      state = 'discarded';
      kill();
    },
  };
}

/**
 * Starts anvil on a loopback port and resolves once it answers JSON-RPC. `early`: a node already
 * started with these options (EarlyAnvil.take), used when it came up, else a new one is started.
 */
export async function startAnvil(opts: AnvilOptions = {}, early: Promise<EarlyLaunch> | null = null): Promise<AnvilHandle> {
  const bin = findAnvil();
  if (early) {
    const { port, launched } = await early;
    if (launched.up) return supervised(bin, port, launched, opts);
  }
  for (let attempt = 0; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const first = await launch(bin, port, opts);
    if (first.up) return supervised(bin, port, first, opts);
    // A port taken between choosing and binding is the one failure worth a retry.
    if (attempt < 2 && opts.port === undefined && /Address already in use/i.test(first.stderr())) continue;
    throw new Error(`The local chain did not start: ${first.stderr().trim().split('\n').slice(-3).join(' ') || 'no answer'}`);
  }
}

function supervised(bin: string, port: number, first: Launched, opts: AnvilOptions): AnvilHandle {
  let current = first;
  let stopping = false;
  const restarts: number[] = [];

  const watch = (l: Launched) =>
    l.child.once('exit', (exitCode, signal) => {
      if (stopping || !opts.supervise || l !== current) return;
      void restart(opts.supervise, { exitCode, signal });
    });
  async function restart(s: AnvilSupervision, info: { exitCode: number | null; signal: string | null }) {
    const now = Date.now();
    while (restarts.length && now - restarts[0]! > 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      s.onGaveUp(`it stopped ${restarts.length + 1} times within a minute`);
      return;
    }
    restarts.push(now);
    const next = await launch(bin, port, opts);
    if (stopping) {
      next.child.kill('SIGKILL');
      return;
    }
    if (!next.up) {
      s.onGaveUp(next.stderr().trim().split('\n').slice(-2).join(' ') || 'it did not answer after a restart');
      return;
    }
    current = next;
    watch(next);
    s.onRestarted(info);
  }
  watch(first);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get process() {
      return current.child;
    },
    async stop() {
      stopping = true;
      const { child, exited } = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      // anvil has written its state: the next start reads it without the traces nobody asks for.
      if (opts.stateFile) dropSavedTraces(opts.stateFile);
    },
  };
}

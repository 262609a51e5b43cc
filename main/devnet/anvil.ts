import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

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
}

export interface AnvilHandle {
  url: string;
  port: number;
  process: ChildProcess;
  /** Stops the node; with a state file, waits until anvil has written it. */
  stop(): Promise<void>;
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts anvil on a loopback port and resolves once it answers JSON-RPC. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<AnvilHandle> {
  const bin = findAnvil();
  for (let attempt = 0; ; attempt++) {
    const port = opts.port ?? (await freePort());
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
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    let up = false;
    let dead = false;
    void exited.then(() => (dead = true));
    while (!dead && Date.now() - started < 20_000) {
      if (await rpcAnswers(url)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (up) {
      const kill = () => child.kill('SIGKILL');
      process.once('exit', kill);
      return {
        url,
        port,
        process: child,
        async stop() {
          process.removeListener('exit', kill);
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    child.kill('SIGKILL');
    // A port taken between choosing and binding is the one failure worth a retry.
    if (attempt < 2 && opts.port === undefined && /Address already in use/i.test(stderr)) continue;
    throw new Error(`The local chain did not start: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no answer'}`);
  }
}

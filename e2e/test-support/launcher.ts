import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningApp {
  appUrl: string;
  rpcUrl: string;
  userDataDir: string;
  /** The harness process (main): benches read its memory from /proc/<pid>/status. */
  pid: number;
  /** Seconds from spawning the process to the harness answering. */
  startSeconds: number;
  chainStart: { cold: boolean; seconds: number } | null;
  /** Stops the app the way a user quitting does (state is saved). */
  stop(): Promise<void>;
  logs(): string;
}

export function freshUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'nmr-delegate-e2e-'));
}

/** Starts the built harness (dist/) on its own user-data folder and waits until it is ready. */
export async function launchHarness(
  opts: {
    userDataDir?: string;
    env?: Record<string, string>;
    /** Called as soon as the page is served (before the chain is up), with its address. */
    onListening?: (appUrl: string) => void;
  } = {},
): Promise<RunningApp> {
  const userDataDir = opts.userDataDir ?? freshUserDataDir();
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['dist/main/harness.mjs', '--json', '--user-data', userDataDir], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`harness did not start in 120 s\n${stderr}\nlog:\n${logTail(userDataDir)}`));
    }, 120_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.event === 'harness.listening') opts.onListening?.(String(msg.appUrl));
        if (msg.event === 'harness.ready') {
          clearTimeout(timer);
          resolve(msg);
        }
      } catch {
        // not our line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`harness exited with ${code}\n${stderr}`));
    });
  });
  return {
    appUrl: String(ready.appUrl),
    rpcUrl: String(ready.rpcUrl),
    userDataDir,
    pid: child.pid!,
    startSeconds: (performance.now() - t0) / 1000,
    chainStart: (ready.chainStart as RunningApp['chainStart']) ?? null,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
    },
    logs: () => stderr,
  };
}

/** The end of the app's own log, to say where a start got stuck. */
function logTail(userDataDir: string): string {
  const file = join(userDataDir, 'logs', 'main.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
}

export function removeUserData(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

import { randomBytes } from 'node:crypto';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultUserDataDir, distDir } from '../app/paths';
import type { Router } from '../ipc/router';
import type { AnyEvent } from '../../shared/api';
import { createLogger } from '../log/logger';
import { guardProcess } from '../log/process-guard';
import { startHarness, type Harness } from '../harness/server';
import { acquireInstanceLock, AlreadyRunning } from '../harness/instance-lock';
import { startSavedChainEarly } from '../devnet/staking-chain';
import { savedSettingsHints } from '../store/settings-file';
import type * as HarnessAppModule from './harness-app';

type HarnessApp = typeof HarnessAppModule;
type HarnessAppHandle = Awaited<ReturnType<HarnessApp['startHarnessApp']>>;
/** The rest of main, a bundle of its own beside this one (scripts/build-main.mjs): not bundled in here. */
const HARNESS_APP = './harness-app.mjs';

/**
 * The browser harness: main's services on a loopback port, the renderer in any Chromium. Used
 * where no Electron binary exists, and by the e2e tests.
 *
 * This module is small on purpose: it takes the data folder, listens and starts the saved demo
 * chain's node, and only then loads the rest of main (harness-app.ts, a bundle of its own: reading,
 * compiling and running it is ~0.3 s of a start alone, more beside a browser), so the node starts
 * meanwhile instead of after. Calls the page makes meanwhile wait for the router.
 */
async function main() {
  const t0 = performance.now();
  const { values } = parseArgs({
    options: {
      'user-data': { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const userDataDir = values['user-data'] ?? process.env.NMR_DELEGATE_HOME ?? defaultUserDataDir();
  // Before anything touches the folder: a second harness on it would share the chain's state file.
  const lock = acquireInstanceLock(userDataDir, { pid: process.pid });
  process.once('exit', () => lock.release());
  const log = createLogger({ file: join(userDataDir, 'logs', 'main.log') });
  guardProcess(process, log);
  // Listened for from the first moment, not once the app is up: a stop that comes sooner (Ctrl+C
  // while it starts; a test's stop just after "ready", before a later listener would be in place)
  // would end the process at once and leave the chain's node running, writing into the state file
  // the next start reads. A start cut short stops its nodes as the process exits (anvil.ts).
  let harness: Harness | null = null;
  let app: HarnessAppHandle | null = null;
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await harness?.close();
    await app?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // The saved demo chain's node starts now, while the rest of main loads; the app takes it if it opens that chain.
  const earlyChain = startSavedChainEarly(userDataDir, savedSettingsHints(userDataDir).networkIsLocal);
  const token = randomBytes(24).toString('base64url');
  // The page's event streams, open before the app's events exist.
  const streams = new Set<(event: AnyEvent) => void>();
  let routerMade!: (router: Router) => void;
  const routerReady = new Promise<Router>((resolve) => (routerMade = resolve));
  harness = await startHarness({
    router: { handle: async (method, input, sender) => (await routerReady).handle(method, input, sender) },
    events: {
      subscribe(listener) {
        streams.add(listener);
        return () => streams.delete(listener);
      },
    },
    rendererDir: join(distDir(), 'renderer'),
    log,
    token,
    port: values.port ? Number(values.port) : undefined,
  });
  lock.setUrl(harness.appUrl);
  // The link is good from now on: the page says "Starting…" until the chain is up.
  if (values.json) process.stdout.write(JSON.stringify({ event: 'harness.listening', appUrl: harness.appUrl }) + '\n');
  else process.stdout.write(`\nNMR Delegate is starting. Open this link in your browser:\n\n  ${harness.appUrl}\n\n`);
  // V8's compiled code for main's bundle is kept between starts: compiling its 1.9 MB was the largest
  // part of loading it. Node checks each entry against the source, so a new build compiles afresh.
  enableCompileCache(join(userDataDir, 'cache', 'compiled-code'));
  try {
    const { startHarnessApp } = (await import(HARNESS_APP)) as HarnessApp;
    app = await startHarnessApp({
      userDataDir,
      log,
      token,
      harness,
      publish: (event) => streams.forEach((listener) => listener(event)),
      routerMade,
      earlyChain,
    });
  } catch (e) {
    earlyChain?.discard();
    await harness.close();
    throw e;
  }
  if (closing) return; // stopped while it started: shutdown() ends the process
  const ready = {
    event: 'harness.ready',
    appUrl: harness.appUrl,
    rpcUrl: app.localRpcUrl(),
    userDataDir,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    chainStart: app.chainStartup(),
  };
  if (values.json) process.stdout.write(JSON.stringify(ready) + '\n');
  else {
    process.stdout.write(`NMR Delegate is running at ${harness.appUrl}\n`);
    process.stdout.write(`Local demo chain (JSON-RPC): ${ready.rpcUrl}\nData folder: ${userDataDir}\nPress Ctrl+C to quit.\n`);
  }
}

main().catch((e: unknown) => {
  if (e instanceof AlreadyRunning) {
    process.stderr.write(`${e.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`NMR Delegate could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

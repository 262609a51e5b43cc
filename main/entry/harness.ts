import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HARNESS_NO_USB, noUsbLedger } from '../accounts';
import { createApp } from '../app/create-app';
import { walletConnectConfig } from '../walletconnect';
import { defaultUserDataDir, distDir } from '../app/paths';
import { createAppRecords } from '../app/network-records';
import { createRouter, type Handlers } from '../ipc/router';
import { EventBus } from '../ipc/events';
import { API, type MethodName } from '../../shared/api';
import type { App } from '../app/create-app';
import { createLogger } from '../log/logger';
import { guardProcess } from '../log/process-guard';
import { harnessSenderCheck, startHarness, type Harness } from '../harness/server';
import { startHarnessConfirmer } from '../confirm/harness-confirmer';
import { acquireInstanceLock, AlreadyRunning } from '../harness/instance-lock';

/** Every API method, answered by the app once it is made (a call that comes sooner waits for it). */
const METHOD_NAMES = Object.keys(API) as MethodName[];

function handlersOnceMade(made: Promise<App>): Handlers {
  const later = (method: MethodName) => async (input: unknown) => {
    const app = await made;
    return (app.handlers[method] as (input: unknown) => Promise<unknown>)(input);
  };
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, later(m)])) as Handlers;
}

/**
 * The browser harness: main's services on a loopback port, the renderer in any Chromium. Used
 * where no Electron binary exists, and by the e2e tests.
 */
async function main() {
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
  const t0 = performance.now();
  const token = randomBytes(24).toString('base64url');
  let harness: Harness | null = null;
  // The page is served at once and loads while the chain starts; its calls wait for the app.
  const events = new EventBus();
  let app: App | null = null;
  let appMade!: (app: App) => void;
  let appFailed!: (e: unknown) => void;
  const made = new Promise<App>((resolve, reject) => {
    appMade = resolve;
    appFailed = reject;
  });
  made.catch(() => undefined); // the start fails as a whole (below); calls waiting for it get the same failure
  const router = createRouter({ handlers: handlersOnceMade(made), allowSender: harnessSenderCheck(token), log });
  harness = await startHarness({
    router,
    events,
    rendererDir: join(distDir(), 'renderer'),
    log,
    token,
    port: values.port ? Number(values.port) : undefined,
  });
  lock.setUrl(harness.appUrl);
  // The link is good from now on: the page says "Starting…" until the chain is up.
  if (values.json) process.stdout.write(JSON.stringify({ event: 'harness.listening', appUrl: harness.appUrl }) + '\n');
  else process.stdout.write(`\nNMR Delegate is starting. Open this link in your browser:\n\n  ${harness.appUrl}\n\n`);
  try {
    app = await createApp({
      userDataDir,
      transport: 'harness',
      appVersion: process.env.npm_package_version ?? '0.1.0',
      log,
      events,
      // The demo world on the local chain; Numerai's API (NMR_DELEGATE_NUMERAI_URL overrides it) on a real network.
      records: createAppRecords({ userDataDir, log }),
      scryptN: process.env.NMR_DELEGATE_TEST_SCRYPT_N ? Number(process.env.NMR_DELEGATE_TEST_SCRYPT_N) : undefined,
      deliverExport: async (file, fileName, type) => ({ savedTo: null, downloadUrl: harness.offerDownload(file, fileName, type) }),
      ledger: noUsbLedger(HARNESS_NO_USB),
      walletconnect: walletConnectConfig(process.env),
    });
  } catch (e) {
    appFailed(e);
    await harness.close();
    throw e;
  }
  const confirmer = await startHarnessConfirmer(log);
  app.coordinator.setConfirmer(confirmer);
  // Recovery phrases are shown on the confirmer's origin too: the app's page gets a URL, never the words.
  app.setPhraseDisplay(confirmer);
  appMade(app);
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
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await harness?.close();
    await confirmer.close();
    await app?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  if (e instanceof AlreadyRunning) {
    process.stderr.write(`${e.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`NMR Delegate could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HARNESS_NO_USB, noUsbLedger } from '../accounts';
import { createApp } from '../app/create-app';
import { walletConnectConfig } from '../walletconnect';
import { defaultUserDataDir, distDir } from '../app/paths';
import { createAppRecords } from '../app/network-records';
import { createRouter } from '../ipc/router';
import { createLogger } from '../log/logger';
import { guardProcess } from '../log/process-guard';
import { harnessSenderCheck, startHarness, type Harness } from '../harness/server';
import { startHarnessConfirmer } from '../confirm/harness-confirmer';
import { acquireInstanceLock, AlreadyRunning } from '../harness/instance-lock';

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
  const app = await createApp({
    userDataDir,
    transport: 'harness',
    appVersion: process.env.npm_package_version ?? '0.1.0',
    log,
    // The demo world on the local chain; Numerai's API (NMR_DELEGATE_NUMERAI_URL overrides it) on a real network.
    records: createAppRecords({ userDataDir, log }),
    scryptN: process.env.NMR_DELEGATE_TEST_SCRYPT_N ? Number(process.env.NMR_DELEGATE_TEST_SCRYPT_N) : undefined,
    deliverExport: async (file, fileName, type) => ({ savedTo: null, downloadUrl: harness!.offerDownload(file, fileName, type) }),
    ledger: noUsbLedger(HARNESS_NO_USB),
    walletconnect: walletConnectConfig(process.env),
  });
  const confirmer = await startHarnessConfirmer(log);
  app.coordinator.setConfirmer(confirmer);
  // Recovery phrases are shown on the confirmer's origin too: the app's page gets a URL, never the words.
  app.setPhraseDisplay(confirmer);
  const router = createRouter({ handlers: app.handlers, allowSender: harnessSenderCheck(token), log });
  harness = await startHarness({
    router,
    events: app.events,
    rendererDir: join(distDir(), 'renderer'),
    log,
    token,
    port: values.port ? Number(values.port) : undefined,
  });
  lock.setUrl(harness.appUrl);
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
    process.stdout.write(`\nNMR Delegate is running. Open this link in your browser:\n\n  ${harness.appUrl}\n\n`);
    process.stdout.write(`Local demo chain (JSON-RPC): ${ready.rpcUrl}\nData folder: ${userDataDir}\nPress Ctrl+C to quit.\n`);
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await harness?.close();
    await confirmer.close();
    await app.close();
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

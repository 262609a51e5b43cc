import { HARNESS_NO_USB, noUsbLedger } from '../accounts';
import { createApp, type App } from '../app/create-app';
import { walletConnectConfig } from '../walletconnect';
import { createAppRecords } from '../app/network-records';
import { createRouter, type Handlers, type Router } from '../ipc/router';
import { EventBus } from '../ipc/events';
import { API, type AnyEvent, type MethodName } from '../../shared/api';
import type { Logger } from '../log/logger';
import { harnessSenderCheck, type Harness } from '../harness/server';
import { startHarnessConfirmer } from '../confirm/harness-confirmer';
import type { EarlyAnvil } from '../devnet/anvil';

/** Every API method, answered by the app once it is made (a call that comes sooner waits for it). */
const METHOD_NAMES = Object.keys(API) as MethodName[];

function handlersOnceMade(made: Promise<App>): Handlers {
  const later = (method: MethodName) => async (input: unknown) => {
    const app = await made;
    return (app.handlers[method] as (input: unknown) => Promise<unknown>)(input);
  };
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, later(m)])) as Handlers;
}

export interface HarnessAppContext {
  userDataDir: string;
  log: Logger;
  token: string;
  harness: Harness;
  /** Where the app's events go: the page's event streams, already open. */
  publish: (event: AnyEvent) => void;
  /** The API router, as soon as it exists: calls that came sooner wait for it. */
  routerMade: (router: Router) => void;
  /** The demo chain's node, started while this module loaded. */
  earlyChain: EarlyAnvil | null;
}

/**
 * main's services behind the harness's loopback server (main/entry/harness.ts, which serves the
 * page before this module is even loaded): the router at once, the app once the chain is up.
 */
export async function startHarnessApp(ctx: HarnessAppContext): Promise<App> {
  const { log, harness } = ctx;
  const events = new EventBus();
  events.subscribe(ctx.publish);
  let appMade!: (app: App) => void;
  let appFailed!: (e: unknown) => void;
  const made = new Promise<App>((resolve, reject) => {
    appMade = resolve;
    appFailed = reject;
  });
  made.catch(() => undefined); // the start fails as a whole (below); calls waiting for it get the same failure
  ctx.routerMade(createRouter({ handlers: handlersOnceMade(made), allowSender: harnessSenderCheck(ctx.token), log }));
  let app: App;
  try {
    app = await createApp({
      userDataDir: ctx.userDataDir,
      transport: 'harness',
      appVersion: process.env.npm_package_version ?? '0.1.0',
      log,
      events,
      // The demo world on the local chain; Numerai's API (NMR_DELEGATE_NUMERAI_URL overrides it) on a real network.
      records: createAppRecords({ userDataDir: ctx.userDataDir, log }),
      scryptN: process.env.NMR_DELEGATE_TEST_SCRYPT_N ? Number(process.env.NMR_DELEGATE_TEST_SCRYPT_N) : undefined,
      deliverExport: async (file, fileName, type) => ({ savedTo: null, downloadUrl: harness.offerDownload(file, fileName, type) }),
      ledger: noUsbLedger(HARNESS_NO_USB),
      walletconnect: walletConnectConfig(process.env),
      earlyChain: ctx.earlyChain,
    });
  } catch (e) {
    appFailed(e);
    throw e;
  }
  const confirmer = await startHarnessConfirmer(log);
  app.coordinator.setConfirmer(confirmer);
  // Recovery phrases are shown on the confirmer's origin too: the app's page gets a URL, never the words.
  app.setPhraseDisplay(confirmer);
  appMade(app);
  return {
    ...app,
    async close() {
      await confirmer.close();
      await app.close();
    },
  };
}

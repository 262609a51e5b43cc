import { settingsFile } from '../store/settings-file';
import type { EarlyAnvil } from '../devnet/anvil';
import type { ChainStartup } from '../devnet/staking-world';
import { join } from 'node:path';
import { AccountRegistry, type LedgerConnector } from '../accounts';
import { WalletConnectService, type WalletConnectConfig } from '../walletconnect';
import { accountsHandlers } from './accounts-api';
import type { PhraseDisplay } from '../confirm/phrase-display';
import type { Delivery } from '../history/history-service';
import type { Theme } from '../../shared/api';
import { EventBus } from '../ipc/events';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import { SettingsStore } from '../store/settings';
import { TxCoordinator } from '../tx/coordinator';
import type { KeyWrap, LockReason } from '../wallet';
import { WalletService } from '../wallet/wallet-service';
import { claimsHandlers } from './claims-api';
import { devnetHandlers } from './devnet-api';
import { guardHandlers } from './guard';
import { historyHandlers } from './history-api';
import { ModelCatalog } from './model-catalog';
import { modelsHandlers } from './models-api';
import { networkHandlers } from './network-api';
import { notificationsHandlers, notifierChain } from './notifications-api';
import { NotificationStore, Notifier } from '../notifications';
import { operatorHandlers } from './operator-api';
import { AutomaticConsent } from '../operator/automatic-consent';
import { TokenVault } from '../operator/token-vault';
import { PhraseWindows } from './phrase-windows';
import { demoStakingChoices } from './pool-choice';
import { portfolioHandlers } from './portfolio-api';
import { rendererErrorsHandlers } from './renderer-errors-api';
import { Sessions } from './sessions';
import { settingsHandlers } from './settings-api';
import type { TrackRecords } from './track-records';
import { txHandlers } from './tx-api';
import { walletHandlers } from './wallet-api';

export interface AppOptions {
  userDataDir: string;
  transport: 'electron' | 'harness';
  appVersion: string;
  log: Logger;
  records: TrackRecords;
  deliverExport: Delivery;
  /** How often main looks for news on its own (default a minute). */
  notificationPollMs?: number;
  /** Lower scrypt cost for tests only; the app always uses ethers' default (2^17). */
  scryptN?: number;
  /** Electron's safeStorage, when the OS keychain is real. */
  keyWrap?: KeyWrap | null;
  /** The bus main's events go out on; a transport that listens before the app is made passes its own. */
  events?: EventBus;
  /** Where the saved theme goes beyond the page (Electron: native dialogs, menus, the window's colour); called at start and on each change. */
  applyTheme?: (theme: Theme) => void;
  /** Where a Ledger is reached (the desktop app's USB; the harness has none and says so). */
  ledger: LedgerConnector;
  /** WalletConnect's relay and project id (main/walletconnect/config.ts). */
  walletconnect: WalletConnectConfig;
  /** The demo chain's node, started while main loaded (main/entry/harness.ts); stopped if the first session does not use it. */
  earlyChain?: EarlyAnvil | null;
}

export interface App {
  handlers: Handlers;
  events: EventBus;
  /** Where confirmations are decided; each transport plugs in its own confirmer. */
  coordinator: TxCoordinator;
  /** Where recovery phrases are shown (never the renderer); each transport plugs in its own. */
  setPhraseDisplay(display: PhraseDisplay): void;
  /** Locks the wallet for a reason outside the renderer (the OS locking the screen, sleep). */
  lockWallet(reason: LockReason): void;
  /** The JSON-RPC URL of the local demo chain, when that is the network in use. */
  localRpcUrl(): string | null;
  chainStartup(): ChainStartup | null;
  /** Looks for news now and resolves when done: what main does in the background after events and on a timer. */
  lookForNews(): Promise<void>;
  /** Whether the person wants the system's own notifications (Settings). */
  nativeNotifications(): boolean;
  close(): Promise<void>;
}

/**
 * The composition root: builds every service main runs and wires the handler groups both transports
 * serve, one group per domain (main/app/<domain>-api.ts, each `deps → handlers`). No handler is
 * written here, and every group's failures are mapped in one place (guard.ts → errors.ts).
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const { log, records, userDataDir } = opts;
  const events = opts.events ?? new EventBus();
  const coordinator = new TxCoordinator(events, log);
  const settings = new SettingsStore(settingsFile(userDataDir));
  // The harness has no native UI to theme; the page themes itself from settings.get.
  const applyTheme = opts.applyTheme ?? (() => undefined);
  applyTheme(settings.get().theme);
  const wallet = new WalletService(join(userDataDir, 'wallet'), events, opts.scryptN, {
    keyWrap: opts.keyWrap ?? null,
    idleMinutes: settings.get().lockTimeoutMin,
  });
  // The operator's token and consent outlive sessions; the staking session hands them to createOperatorService.
  const operatorTokens = new TokenVault(join(userDataDir, 'operator'), wallet.keys(), opts.keyWrap ?? null);
  const operatorConsent = new AutomaticConsent(join(userDataDir, 'operator', 'automatic-staking.json'));
  const phrases = new PhraseWindows(events);
  const walletconnect = new WalletConnectService(opts.walletconnect, join(userDataDir, 'walletconnect'), log);
  // Filled once the sessions are open: a wallet is paired for the network in use.
  let chainId: () => Promise<number> = () => Promise.reject(new Error('not started'));
  const accounts = new AccountRegistry({
    file: join(userDataDir, 'accounts.json'),
    wallet,
    walletconnect,
    ledger: opts.ledger,
    chainId: () => chainId(),
    events,
    log,
  });
  /** Every lock from outside the wallet (the person, the OS, quitting) withdraws the phrase windows too. */
  const lock = (reason: LockReason) => {
    phrases.forget();
    return wallet.lock(reason);
  };
  const models = new ModelCatalog({ records, settings, events, log });
  const sessions = await Sessions.open({
    settings,
    log,
    session: {
      userDataDir,
      wallet,
      accounts,
      events,
      log,
      demo: () => records.demoSpec(),
      demoStaking: demoStakingChoices(),
      operator: { tokens: operatorTokens, consent: operatorConsent },
      earlyChain: opts.earlyChain ?? null,
    },
    // Real networks show Numerai's track records, the demo chain its demo world.
    onOpen(s) {
      records.useNetwork(s.tx.network().kind);
      models.loadFirst(s);
    },
  });
  // Taken by the local session if it opened on the saved chain; otherwise not needed.
  opts.earlyChain?.discard();
  const session = () => sessions.current();
  chainId = async () => (await session()).tx.network().chainId;
  const notifier = new Notifier({
    store: new NotificationStore(join(userDataDir, 'notifications.json')),
    events,
    log,
    accounts: () => (wallet.status().state === 'none' ? [] : wallet.accounts().accounts.map((a) => a.address)),
    activeAccount: () => wallet.status().address,
    chain: async () => notifierChain(await sessions.current()),
    pollMs: opts.notificationPollMs ?? 60_000,
  });

  const handlers: Handlers = {
    ...networkHandlers({ sessions, appVersion: opts.appVersion, transport: opts.transport }),
    ...rendererErrorsHandlers({ log }),
    ...walletHandlers({ wallet, phrases, lock, userDataDir, deliver: opts.deliverExport }),
    ...accountsHandlers({ accounts }),
    ...portfolioHandlers({ session, accounts }),
    ...modelsHandlers({ session, models }),
    ...txHandlers({ session, coordinator }),
    ...claimsHandlers({ session }),
    ...historyHandlers({ session, accounts, events, deliver: opts.deliverExport, log }),
    ...settingsHandlers({
      settings,
      startNotice: sessions.startNotice,
      applied: { demoRoundIntervalS: () => sessions.startRoundTimer(), lockTimeoutMin: (m) => wallet.setIdleMinutes(m), theme: applyTheme },
    }),
    ...devnetHandlers({ sessions, accounts, userDataDir }),
    ...operatorHandlers({
      operator: async () => (await sessions.current()).staking.operator,
      tokens: operatorTokens,
      consent: operatorConsent,
      account: () => wallet.status().address,
      isUnlocked: () => wallet.status().state === 'unlocked',
      coordinator,
      events,
      log,
    }),
    ...notificationsHandlers({ notifier }),
  };

  // Warm the first screen's data while the person unlocks: the pool's models and their record rows.
  models.prewarm(sessions.now);
  notifier.start();

  return {
    handlers: guardHandlers(handlers, { touch: () => wallet.touch(), nodeFault: (e) => sessions.now.tx.nodeFault(e) }),
    events,
    coordinator,
    setPhraseDisplay: (display) => phrases.set(display),
    lockWallet: (reason) => void lock(reason),
    localRpcUrl: () => sessions.now.local?.url ?? null,
    chainStartup: () => sessions.now.local?.startup ?? null,
    lookForNews: () => notifier.look(),
    nativeNotifications: () => settings.get().nativeNotifications,
    async close() {
      lock('quit');
      await notifier.close();
      await sessions.close(() => records.close());
      await walletconnect.close();
    },
  };
}

import { join } from 'node:path';
import { AppError, type ApiOutput, type MethodName, type ModelRow, type SettingsView } from '../../shared/api';
import { toWei } from '../../shared/money';
import { EventBus } from '../ipc/events';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import { WalletService } from '../wallet/wallet-service';
import type { KeyWrap, LockReason } from '../wallet';
import type { PhraseDisplay } from '../confirm/phrase-display';
import type { Delivery } from '../history/history-service';
import { historyHandlers } from './history-api';
import { faucet } from '../devnet/world';
import { validateRemoteNetwork } from '../chain/network';
import { nodeFault } from '../chain/tx-errors';
import { SettingsStore, type Settings } from '../store/settings';
import { writeFileAtomic } from '../store/atomic-file';
import { advanceRound, eraseDevnet, openSession, type ChainSession, type SessionDeps } from './chain-session';
import type { TrackRecords } from './track-records';
import { compareRows, modelRow, noRecordRow, recordSortKey } from './model-rows';
import type { ModelListRow } from '../records';
import { TxCoordinator } from '../tx/coordinator';
import type { Intent, Plan } from '../tx/plan';
import type { Intent as WireIntent } from '../../shared/api';
import { thin } from '../../shared/thin';

export interface AppOptions {
  userDataDir: string;
  transport: 'electron' | 'harness';
  appVersion: string;
  log: Logger;
  records: TrackRecords;
  deliverExport: Delivery;
  /** Lower scrypt cost for tests only; the app always uses ethers' default (2^17). */
  scryptN?: number;
  /** Electron's safeStorage, when the OS keychain is real. */
  keyWrap?: KeyWrap | null;
}

/** Calls that do not count as the person using the app, so they never hold off the idle lock. */
const PASSIVE_CALLS = new Set<MethodName>(['app.info', 'wallet.status', 'settings.get', 'tx.inFlight']);

function toIntent(w: WireIntent): Intent {
  if (w.kind === 'delegate')
    return { kind: 'delegate', allocations: w.allocations.map((a) => ({ modelId: a.modelId, amountWei: toWei(a.amountWei) })) };
  if (w.kind === 'undelegate')
    return { kind: 'undelegate', modelId: w.modelId, amountWei: w.amountWei === 'all' ? 'all' : toWei(w.amountWei) };
  return w;
}

/** What the page shows while main's confirmation window asks: the plan's facts, never its raw transactions. */
function requestView(plan: Plan, requestId: string, confirmUrl: string | null): ApiOutput<'tx.request'> {
  return {
    requestId,
    title: plan.title,
    networkLabel: plan.networkLabel,
    lines: plan.lines,
    warnings: plan.warnings,
    steps: plan.steps.map(({ kind, description }) => ({ kind, description })),
    gasCostWei: plan.gasCostWei.toString(),
    blocker: plan.blocker,
    highFee: plan.highFee !== null,
    confirmUrl,
  };
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
  chainStartup(): { cold: boolean; seconds: number } | null;
  close(): Promise<void>;
}

const FAUCET_NMR = 1_000n * 10n ** 18n;
/** How long a "Show my recovery phrase" window keeps showing the words. */
const REVEAL_TTL_MS = 10 * 60_000;
const FAUCET_ETH = 10n ** 18n;

/** Builds every service main runs and the handlers both transports serve. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { log, records } = opts;
  const events = new EventBus();
  const coordinator = new TxCoordinator(events, log);
  const settings = new SettingsStore(join(opts.userDataDir, 'settings.json'));
  const wallet = new WalletService(join(opts.userDataDir, 'wallet'), events, opts.scryptN, {
    keyWrap: opts.keyWrap ?? null,
    idleMinutes: settings.get().lockTimeoutMin,
  });
  let phraseDisplay: PhraseDisplay | null = null;
  const phrases = (): PhraseDisplay => {
    if (!phraseDisplay) throw new AppError('NOT_AVAILABLE', 'The recovery phrase window is not set up yet.');
    return phraseDisplay;
  };
  // A phrase window must not outlive the unlocked wallet it was opened from.
  events.subscribe((e) => {
    if (e.name === 'wallet.locked') phraseDisplay?.forget();
  });
  const deps: SessionDeps = { userDataDir: opts.userDataDir, wallet, events, log, demo: () => records.demoSpec() };
  let notice: string | null = settings.recoveredFrom
    ? 'Your settings file was damaged, so the app started with default settings. The old file was kept beside it.'
    : null;

  let session: ChainSession;
  let startNotice: string | null = null;
  try {
    session = await openSession(settings.get().network, deps);
  } catch (e) {
    // A saved real network that cannot be reached must not keep the app from starting.
    if (settings.get().network.kind === 'local') throw e;
    log.warn('network.unavailable_at_start', { error: e instanceof Error ? e.message : String(e) });
    const fault = e instanceof AppError ? e : null;
    notice =
      fault?.code === 'WRONG_CHAIN'
        ? fault.message
        : `Your saved network ${fault?.code === 'RPC_BAD_ANSWER' ? 'answered with nonsense' : 'could not be reached'}, so the app opened the local demo chain. Check Settings → Network.`;
    startNotice = notice;
    session = await openSession({ kind: 'local' }, deps);
  }
  // Real networks show Numerai's track records, the demo chain its demo world.
  records.useNetwork?.(session.pool.ctx.kind);
  loadFirst(session);

  /** A first load of Numerai's ~15,000 models takes an hour: the pool's and the watchlist's come first. */
  function loadFirst(s: ChainSession): void {
    if (!records.prioritize || s.pool.ctx.kind !== 'remote') return;
    const watchlist = settings.get().watchlist;
    void s.pool.models().then(
      (ms) => records.prioritize?.([...ms.map((m) => m.name), ...watchlist]),
      (e: unknown) => log.warn('records.priority_unavailable', { error: e instanceof Error ? e.message : String(e) }),
    );
  }
  let switching: Promise<unknown> = Promise.resolve();
  let roundTimer: NodeJS.Timeout | null = null;

  /** Replaces the session; calls made meanwhile wait for the switch to finish. */
  async function switchTo(network: Settings['network'], before?: () => void): Promise<void> {
    const run = switching.then(async () => {
      stopRoundTimer();
      await session.close();
      before?.();
      session = await openSession(network, deps);
      records.useNetwork?.(session.pool.ctx.kind);
      loadFirst(session);
      settings.update({ network });
      startRoundTimer();
    });
    switching = run.catch(() => undefined);
    await run;
  }

  function stopRoundTimer() {
    if (roundTimer) clearInterval(roundTimer);
    roundTimer = null;
  }
  function startRoundTimer() {
    stopRoundTimer();
    const s = settings.get().demoRoundIntervalS;
    if (s > 0 && session.devnet) {
      roundTimer = setInterval(() => {
        void advanceRound(session, deps).catch((e: unknown) => log.warn('devnet.round_failed', { error: String(e) }));
      }, s * 1000);
      roundTimer.unref();
    }
  }
  startRoundTimer();

  async function current(): Promise<ChainSession> {
    await switching;
    return session;
  }

  function networkInfo(s: ChainSession) {
    return { kind: s.pool.ctx.kind, chainId: s.pool.ctx.chainId, label: s.pool.ctx.label };
  }

  function settingsView(): SettingsView {
    const s = settings.get();
    const view: SettingsView = {
      network:
        s.network.kind === 'local'
          ? { kind: 'local' }
          : {
              kind: 'remote',
              rpcUrl: s.network.rpcUrl,
              chainId: s.network.chainId,
              poolAddress: s.network.poolAddress,
              label: s.network.label,
            },
      lockTimeoutMin: s.lockTimeoutMin,
      theme: s.theme,
      riskAcknowledged: s.riskAcknowledged,
      demoRoundIntervalS: s.demoRoundIntervalS,
      notice,
    };
    notice = null;
    return view;
  }

  const watched = new Set(settings.get().watchlist);

  // A model's track-record half of a row changes only when the set is replaced: build it once per set.
  const recordRows = new Map<string, { row: ModelListRow; spark: number[] }>();
  function recordPart(name: string): { row: ModelListRow; spark: number[] } {
    let part = recordRows.get(name);
    if (!part) {
      part = records.has(name)
        ? { row: records.detail(name, { maxPoints: 2 }).model, spark: records.summary(name, 40)?.spark ?? [] }
        : { row: noRecordRow(name), spark: [] };
      recordRows.set(name, part);
    }
    return part;
  }
  records.onChange?.((setChanged) => {
    if (setChanged) recordRows.clear();
    events.emit('records.updated', { setChanged, dataLabel: records.dataLabel() });
  });

  /** Every pool model as a list row (a few hundred at most: filtered and sorted here). */
  async function poolRows(s: ChainSession): Promise<ModelRow[]> {
    const isDemo = s.pool.ctx.kind === 'local';
    const rows: ModelRow[] = [];
    for (const m of await s.pool.models()) {
      // Listed even without a track record (blank figures), never dropped: it can still be delegated to.
      const part = recordPart(m.name);
      rows.push(modelRow(part.row, m, part.spark, isDemo, watched.has(m.name)));
    }
    return rows;
  }

  async function rowFor(s: ChainSession, name: string): Promise<ModelRow> {
    const chain = (await s.pool.models()).find((m) => m.name === name);
    if (!records.has(name) && !chain) throw new AppError('NOT_FOUND', `There is no model called “${name}”.`);
    const part = recordPart(name);
    return modelRow(part.row, chain, part.spark, s.pool.ctx.kind === 'local', watched.has(name));
  }

  function requireLocal(s: ChainSession) {
    if (!s.devnet) throw new AppError('NOT_AVAILABLE', 'This works only on the local demo chain.');
    return s.devnet;
  }

  /** A speed-up or cancel goes through the same confirmation as every other transaction. */
  async function requestReplacement(txId: string, purpose: 'speed-up' | 'cancel'): Promise<ApiOutput<'tx.request'>> {
    const s = await current();
    const { plan, replacement } = await s.pool.replacementPlan(txId, purpose);
    const { requestId, confirmUrl } = await coordinator.request(plan, () => s.pool.sendReplacement(plan, replacement));
    return requestView(plan, requestId, confirmUrl);
  }

  const handlers: Handlers = {
    'app.info': async () => ({
      appVersion: opts.appVersion,
      transport: opts.transport,
      network: networkInfo(await current()),
      notice: startNotice,
    }),
    'wallet.status': async () => wallet.status(),
    'wallet.createDraft': async ({ words }) => {
      const display = phrases();
      const draft = wallet.createDraft(words);
      const { phraseUrl } = await display.show({
        key: `draft:${draft.draftId}`,
        purpose: 'create',
        words: draft.words,
        expires: draft.expires,
      });
      return { draftId: draft.draftId, wordCount: words, confirmPositions: draft.confirmPositions, phraseUrl };
    },
    'wallet.confirmCreate': async ({ draftId, password, confirmations }) => {
      const state = await wallet.confirmCreate(draftId, password, confirmations);
      phraseDisplay?.forget(`draft:${draftId}`);
      return state;
    },
    'wallet.unlock': async ({ password }) => wallet.unlock(password),
    'wallet.lock': async () => {
      phraseDisplay?.forget();
      return wallet.lock('user');
    },
    'wallet.importPhrase': async ({ phrase, password }) => wallet.importPhrase(phrase, password),
    'wallet.importPrivateKey': async ({ privateKey, password }) => wallet.importPrivateKey(privateKey, password),
    'wallet.importKeystore': async ({ json, filePassword, password }) => wallet.importKeystore(json, filePassword, password),
    'wallet.accounts': async () => wallet.accounts(),
    'wallet.addAccount': async ({ index }) => wallet.addAccount(index),
    'wallet.selectAccount': async ({ index }) => wallet.selectAccount(index),
    'wallet.exportKeystore': async ({ password }) => {
      const json = await wallet.exportKeystore(password);
      const dir = join(opts.userDataDir, 'exports');
      const fileName = `nmr-delegate-keystore-${wallet.address().slice(2, 10).toLowerCase()}.json`;
      writeFileAtomic(join(dir, fileName), json);
      const delivered = await opts.deliverExport(join(dir, fileName), fileName, 'application/json');
      return { fileName, ...delivered };
    },
    'wallet.revealPhrase': async ({ password }) => {
      const display = phrases();
      const words = await wallet.revealPhrase(password);
      const { phraseUrl } = await display.show({ key: 'reveal', purpose: 'reveal', words, expires: Date.now() + REVEAL_TTL_MS });
      return { wordCount: words.length === 24 ? 24 : 12, phraseUrl };
    },
    'account.balances': async () => {
      const address = wallet.address();
      const b = await (await current()).pool.balances(address);
      return { address, ethWei: b.ethWei.toString(), nmrWei: b.nmrWei.toString() };
    },
    'faucet.request': async () => {
      const s = await current();
      const devnet = s.devnet;
      if (!devnet) throw new AppError('NOT_AVAILABLE', 'Demo NMR exists only on the local demo chain.');
      const address = wallet.address();
      await faucet(devnet, address, FAUCET_NMR, FAUCET_ETH);
      const b = await s.pool.balances(address);
      return { nmrWei: FAUCET_NMR.toString(), ethWei: FAUCET_ETH.toString(), balanceNmrWei: b.nmrWei.toString() };
    },
    'models.list': async ({ scope, search, sort, filter, offset, limit }) => {
      const s = await current();
      const currentRound = await s.pool.currentRound();
      const q = search.trim().toLowerCase();
      if (scope === 'pool' || scope === 'watchlist') {
        const chainByName = new Map((await s.pool.models()).map((m) => [m.name, m]));
        const base =
          scope === 'pool'
            ? await poolRows(s)
            : [...watched]
                .filter((n) => records.has(n) || chainByName.has(n))
                .map((n) => {
                  const part = recordPart(n);
                  return modelRow(part.row, chainByName.get(n), part.spark, s.pool.ctx.kind === 'local', true);
                });
        const rows = base.filter(
          (r) =>
            (!q || r.name.toLowerCase().includes(q)) &&
            (filter.minRounds === undefined || r.rounds >= filter.minRounds) &&
            (filter.maxDrawdownPct === undefined || (r.maxDrawdownPct ?? 0) <= filter.maxDrawdownPct) &&
            (filter.maxFeeBps === undefined || r.feeBps <= filter.maxFeeBps),
        );
        rows.sort(compareRows(sort.key, sort.dir));
        return { total: rows.length, rows: rows.slice(offset, offset + limit), currentRound, dataLabel: records.dataLabel() };
      }
      const chain = new Map((await s.pool.models()).map((m) => [m.name, m]));
      const page = records.list({
        sortBy: recordSortKey(sort.key) ?? 'name',
        sortDir: sort.dir,
        filter: {
          nameContains: q || undefined,
          minRounds: filter.minRounds,
          maxDrawdownPct: filter.maxDrawdownPct,
          maxFeeBps: filter.maxFeeBps,
        },
        offset,
        limit,
      });
      const isDemo = s.pool.ctx.kind === 'local';
      const rows = page.rows.map((r) => modelRow(r, chain.get(r.name), recordPart(r.name).spark, isDemo, watched.has(r.name)));
      return { total: page.total, rows, currentRound, dataLabel: records.dataLabel() };
    },
    'models.detail': async ({ name, maxPoints }) => {
      records.prioritize?.([name]); // still loading: this one next
      const s = await current();
      const model = await rowFor(s, name);
      const d = records.has(name) ? records.detail(name, { maxPoints }) : { series: [], totalPoints: 0 };
      return {
        model,
        series: d.series.map((p) => ({
          round: p.round,
          timeMs: p.resolveTimeMs,
          returnPct: p.returnPct,
          cumulativePct: p.cumulativePct,
          corr20: p.corr20,
          mmc: p.mmc,
          tc: p.tc,
          stakeNmr: p.stakeNmr,
        })),
        totalPoints: d.totalPoints,
        lockRounds: await s.pool.lockRounds(),
        currentRound: await s.pool.currentRound(),
      };
    },
    'watchlist.toggle': async ({ name }) => {
      if (!records.has(name) && !(await (await current()).pool.models()).some((m) => m.name === name))
        throw new AppError('NOT_FOUND', `There is no model called “${name}”.`);
      if (watched.has(name)) watched.delete(name);
      else {
        watched.add(name);
        records.prioritize?.([name]);
      }
      settings.update({ watchlist: [...watched] });
      return { watched: watched.has(name), count: watched.size };
    },
    'models.compare': async ({ names }) => {
      const s = await current();
      const unique = [...new Set(names)];
      records.prioritize?.(unique);
      const models = await Promise.all(unique.map((n) => rowFor(s, n)));
      const known = unique.filter((n) => records.has(n));
      const series = unique.map((n) => ({
        name: n,
        points: records.has(n)
          ? records.detail(n, { maxPoints: 400 }).series.map((p) => ({ round: p.round, cumulativePct: p.cumulativePct }))
          : [],
      }));
      // A model without a track record correlates with nothing: its row and column stay blank.
      const m = records.correlation(known).matrix;
      const at = (n: string) => known.indexOf(n);
      const correlation = unique.map((a) => unique.map((b) => (at(a) >= 0 && at(b) >= 0 ? m[at(a)]![at(b)]! : null)));
      return { models, series, correlation };
    },
    'models.backtest': async ({ allocations, fromRound }) => {
      for (const a of allocations) if (!records.has(a.name)) throw new AppError('NOT_FOUND', `“${a.name}” has no track record to replay.`);
      let r;
      try {
        r = records.backtest({ allocations: allocations.map((a) => ({ name: a.name, amountWei: toWei(a.amountWei) })), fromRound });
      } catch (e) {
        throw new AppError('BAD_INPUT', e instanceof Error ? e.message : 'That backtest cannot be run.');
      }
      // Evenly spaced points (first and last kept) so a long replay stays light for the chart.
      const points = thin(
        r.rounds.map((round, k) => ({ round, valueWei: r.totalValueWei[k]! })),
        500,
      );
      return {
        fromRound: r.fromRound,
        atRiskFromRound: r.atRiskFromRound,
        toRound: r.toRound,
        points,
        principalWei: r.totalPrincipalWei,
        finalWei: r.totalFinalWei,
        models: r.models.map((m) => ({
          name: m.name,
          principalWei: m.principalWei,
          finalWei: m.finalWei,
          rewardWei: m.rewardWei,
          feeWei: m.feeWei,
          burnedWei: m.burnedWei,
        })),
      };
    },
    'tx.request': async ({ intent }) => {
      const s = await current();
      const plan = await s.pool.plan(toIntent(intent));
      const { requestId, confirmUrl } = await coordinator.request(plan, (id) => s.pool.execute(plan, id));
      return requestView(plan, requestId, confirmUrl);
    },
    'tx.cancel': async ({ requestId }) => ({ cancelled: coordinator.cancel(requestId) }),
    'tx.speedUp': async ({ txId }) => requestReplacement(txId, 'speed-up'),
    'tx.cancelPending': async ({ txId }) => requestReplacement(txId, 'cancel'),
    'tx.inFlight': async () => ({ transactions: (await current()).pool.inFlight.list() }),
    'portfolio.positions': async (): Promise<ApiOutput<'portfolio.positions'>> => (await current()).pool.positions(wallet.address()),
    ...historyHandlers({ session: current, wallet, events, deliver: opts.deliverExport, log }),
    'settings.get': async () => settingsView(),
    'settings.update': async (patch) => {
      const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      settings.update(clean);
      if (patch.demoRoundIntervalS !== undefined) startRoundTimer();
      if (patch.lockTimeoutMin !== undefined) wallet.setIdleMinutes(patch.lockTimeoutMin);
      return settingsView();
    },
    'network.connect': async (input) => {
      const remote = await validateRemoteNetwork(input);
      await switchTo(remote);
      return networkInfo(session);
    },
    'network.useLocal': async () => {
      if (session.devnet) return networkInfo(session);
      await switchTo({ kind: 'local' });
      return networkInfo(session);
    },
    'devnet.advanceRound': async () => {
      const s = await current();
      requireLocal(s);
      const resolvedRound = await advanceRound(s, deps);
      return { resolvedRound, currentRound: resolvedRound + 1 };
    },
    'devnet.reset': async () => {
      requireLocal(await current());
      await switchTo({ kind: 'local' }, () => eraseDevnet(opts.userDataDir));
      return networkInfo(session);
    },
  };

  // Warm the first screen's data while the person unlocks: the pool's models and their record rows.
  void poolRows(session).catch((e: unknown) => log.warn('models.prewarm_failed', { error: e instanceof Error ? e.message : String(e) }));

  // Every call the person makes keeps the wallet unlocked a little longer (the idle lock), and a
  // node's nonsense (not JSON, wrong shapes, a read that "reverts") comes back as a plain error
  // about the node instead of "something went wrong inside the app".
  const touched = Object.fromEntries(
    Object.entries(handlers).map(([name, h]) => [
      name,
      (input: never) => {
        if (!PASSIVE_CALLS.has(name as MethodName)) wallet.touch();
        return (h as (i: never) => Promise<unknown>)(input).catch((e: unknown) => {
          throw nodeFault(e, session.pool.errorAbis) ?? e;
        });
      },
    ]),
  ) as Handlers;

  return {
    handlers: touched,
    events,
    coordinator,
    setPhraseDisplay(display) {
      phraseDisplay = display;
    },
    lockWallet(reason) {
      phraseDisplay?.forget();
      wallet.lock(reason);
    },
    localRpcUrl: () => session.devnet?.anvil.url ?? null,
    chainStartup: () => session.devnet?.startup ?? null,
    async close() {
      stopRoundTimer();
      wallet.lock('quit');
      await switching;
      await records.close?.();
      await session.close();
    },
  };
}

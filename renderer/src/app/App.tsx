import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HashRouter } from 'react-router';
import type { MainPage, ModelRow } from '../../../shared/api';
import { AllocateDialog } from '../components/AllocateDialog';
import { Compare } from '../pages/Compare';
import { useApi } from '../api/context';
import { Models } from '../pages/Models';
import { ModelDetail } from '../pages/ModelDetail';
import { StakingPortfolio } from '../pages/StakingPortfolio';
import { History } from '../pages/History';
import { Settings } from '../pages/Settings';
import { applyTheme } from './theme';
import { Nmr, shortAddress } from '../components/Amount';
import { toAppError, useLoad } from './hooks';
import { PendingTxs } from '../components/PendingTxs';
import { Notifications } from '../components/Notifications';
import { ScreenBoundary } from '../components/ScreenBoundary';
import { AppNotice } from '../components/AppNotice';
import { errorReporter } from './error-reporting';
import { useAppNavigation } from './navigation';
import { modelsRoute, modelsViewOf, navSection, type ModelsView, type Route } from './routes';
import { useScrollMemory } from './scroll-memory';
import { useWalletGate, WalletGateProvider, WalletNeeded } from './wallet-gate';

/** How long a success notice stays before it clears itself. */
const NOTICE_MS = 8000;

export function App() {
  const api = useApi();
  const wallet = useLoad(() => api.call('wallet.status', {}), [api]);
  useEffect(() => {
    void api.call('settings.get', {}).then(
      (s) => applyTheme(s.theme),
      () => undefined,
    );
  }, [api]);
  const reloadWallet = wallet.reload;
  useEffect(() => api.on('wallet.locked', () => reloadWallet()), [api, reloadWallet]);
  // A wallet connected over WalletConnect (or a Ledger) in use signs without the key on this computer.
  const accounts = useLoad(() => api.call('accounts.list', {}), [api]);
  const reloadAccounts = accounts.reload;
  useEffect(() => api.on('accounts.changed', () => reloadAccounts()), [api, reloadAccounts]);
  const inUse = accounts.data?.accounts.find((a) => a.id === accounts.data?.inUse && a.kind !== 'key');
  const externalAddress = inUse?.address ?? null;
  const external = useMemo(() => (externalAddress ? { address: externalAddress } : null), [externalAddress]);

  if (wallet.status === 'error' && !wallet.data) {
    return (
      <main className="onboarding">
        <div className="card narrow">
          <h1>NMR Delegate cannot start</h1>
          <p role="alert" className="error">
            {wallet.error.message}
          </p>
          <button onClick={wallet.reload}>Try again</button>
        </div>
      </main>
    );
  }
  if (!wallet.data) return <main className="onboarding muted">Starting…</main>;
  // Hash routing: the page lives after "#", so the document's own URL never changes. That works
  // the same under Electron's app:// scheme (which serves only the built files, and refuses every
  // navigation away) and in the browser harness, with real history entries for Back/Forward.
  // Without transitions the URL is the Models page's state even while typing: a deferred update
  // would hand the search field an old value between keystrokes.
  return (
    <HashRouter useTransitions={false}>
      <WalletGateProvider status={wallet.data} external={external} onChanged={wallet.reload}>
        <Shell onLocked={wallet.reload} />
      </WalletGateProvider>
    </HashRouter>
  );
}

function Shell({ onLocked }: { onLocked: () => void }) {
  const api = useApi();
  const gate = useWalletGate();
  const address = gate.ready ? (gate.address ?? '') : null;
  const nav = useAppNavigation();
  const { route, go } = nav;
  // The Models entry of the navigation returns to the list as the person last left it.
  const lastModelsView = useRef<ModelsView>(modelsViewOf(route));
  useEffect(() => {
    if (route.page === 'models') lastModelsView.current = modelsViewOf(route);
  });
  const content = useRef<HTMLElement>(null);
  const report = useMemo(() => errorReporter(api), [api]);
  useScrollMemory(content, 'content', nav.key, true);
  const [selection, setSelection] = useState<Map<string, ModelRow>>(new Map());
  const [allocating, setAllocating] = useState(false);
  const toggle = (m: ModelRow) =>
    setSelection((sel) => {
      const next = new Map(sel);
      if (next.has(m.name)) next.delete(m.name);
      else next.set(m.name, m);
      return next;
    });
  const selected = [...selection.values()];
  const inPool = selected.filter((m) => m.modelId !== null);
  // Bumped when the network changes, so every page reloads from the new chain.
  const [epoch, setEpoch] = useState(0);
  const info = useLoad(() => api.call('app.info', {}), [api, epoch]);
  // Without a wallet (or while it is locked) there is no balance to show, and main would refuse.
  const balances = useLoad(() => (address ? api.call('account.balances', {}) : Promise.resolve(null)), [api, epoch, address]);
  const [faucetMsg, setFaucetMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [faucetBusy, setFaucetBusy] = useState(false);
  const refresh = balances.reload;
  // A success clears itself (it said what happened; nothing to act on); an error stays until dismissed.
  useEffect(() => {
    if (!faucetMsg?.ok) return;
    const t = setTimeout(() => setFaucetMsg(null), NOTICE_MS);
    return () => clearTimeout(t);
  }, [faucetMsg]);

  useEffect(() => api.on('tx.status', (e) => e.state === 'mined' && refresh()), [api, refresh]);

  const faucet = useCallback(async () => {
    setFaucetBusy(true);
    setFaucetMsg(null);
    try {
      const r = await api.call('faucet.request', {});
      setFaucetMsg({ ok: true, text: `Added ${BigInt(r.nmrWei) / 10n ** 18n} demo NMR and some demo ETH for fees.` });
      refresh();
    } catch (e) {
      setFaucetMsg({ ok: false, text: toAppError(e).message });
    } finally {
      setFaucetBusy(false);
    }
  }, [api, refresh]);

  const isLocal = info.data?.network.kind === 'local';
  const tab = navSection(route);
  const sections: { page: MainPage; label: string }[] = [
    { page: 'models', label: 'Models' },
    { page: 'portfolio', label: 'Portfolio' },
    { page: 'history', label: 'History & export' },
    { page: 'settings', label: 'Settings' },
  ];
  const open = (to: Route) => go(to, { from: route });
  const openSection = useCallback((page: MainPage) => go(page === 'models' ? modelsRoute(lastModelsView.current) : { page }), [go]);
  // The desktop app's menu and its shortcuts (⌘1…⌘3, ⌘,) open the same pages as the navigation.
  useEffect(() => api.on('app.navigate', (e) => openSection(e.page)), [api, openSection]);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="history-buttons" role="group" aria-label="History">
          <button className="ghost icon" aria-label="Back" title="Back (Alt+←)" disabled={!nav.canBack} onClick={nav.back}>
            ←
          </button>
          <button className="ghost icon" aria-label="Forward" title="Forward (Alt+→)" disabled={!nav.canForward} onClick={nav.forward}>
            →
          </button>
        </div>
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          NMR Delegate
        </div>
        {info.data && (
          <span className={`network ${isLocal ? 'demo' : ''}`} title={`Chain id ${info.data.network.chainId}`}>
            {info.data.network.label}
          </span>
        )}
        <div className="spacer" />
        {/* Like the balance, the list shows only while the wallet is open (main keeps noticing while it is locked). */}
        {address !== null && <Notifications onGo={open} />}
        {address !== null ? (
          <div className="account" aria-label="Your wallet">
            {/* The account in use (a wallet over WalletConnect may be, not this wallet's key): the one the balance is of. */}
            <span className="mono" title={balances.data?.address ?? address}>
              {shortAddress(balances.data?.address ?? address)}
            </span>
            <span className="balance" aria-label="NMR balance">
              {balances.data ? <Nmr wei={balances.data.nmrWei} digits={2} /> : '…'}
            </span>
          </div>
        ) : (
          <span className="muted">{gate.status.state === 'locked' ? 'Wallet locked' : 'No wallet yet'}</span>
        )}
        {isLocal && (
          <button className="ghost" disabled={faucetBusy} onClick={() => gate.ask(() => void faucet())}>
            {faucetBusy ? 'Adding…' : 'Get demo NMR'}
          </button>
        )}
        {/* Lock closes the key on this computer; a connected wallet locks on its own side. */}
        {gate.status.state === 'unlocked' && (
          <button
            className="ghost"
            onClick={() => {
              void api.call('wallet.lock', {}).then(onLocked);
            }}
          >
            Lock
          </button>
        )}
      </header>
      {!gate.ready && tab === 'models' && <WalletBanner />}
      {info.data?.notice && (
        <div role="alert" className="banner error">
          {info.data.notice}
        </div>
      )}
      {faucetMsg && (
        <div role={faucetMsg.ok ? 'status' : 'alert'} className={`banner ${faucetMsg.ok ? 'ok' : 'error'}`}>
          {faucetMsg.text}
          <button className="link" aria-label="Dismiss" onClick={() => setFaucetMsg(null)}>
            ×
          </button>
        </div>
      )}
      <AppNotice />
      <PendingTxs />
      <div className="body">
        <nav aria-label="Main">
          {sections.map((n) => (
            <button
              key={n.page}
              className={`nav-item ${tab === n.page ? 'active' : ''}`}
              aria-current={tab === n.page ? 'page' : undefined}
              onClick={() => openSection(n.page)}
            >
              {n.label}
            </button>
          ))}
          {isLocal && (
            <p className="demo-note">
              You are on a <strong>demo chain</strong> on this computer. Its NMR has no value; try anything.
            </p>
          )}
        </nav>
        <main className="content" ref={content}>
          {/* One boundary per page (keyed by it): a page that breaks shows "Reload this screen"; the others stay usable. */}
          <ScreenBoundary key={route.page} page={route.page} report={report}>
            {route.page === 'models' && (
              <Models
                key={epoch}
                view={modelsViewOf(route)}
                // A scope, a sort or a filter refines the list in place: Back leaves the list, not each keystroke.
                onView={(view) => nav.refine(modelsRoute(view))}
                scrollKey={nav.key}
                selection={selection}
                onToggle={toggle}
                onOpen={(name) => open({ page: 'model', name })}
              />
            )}
            {route.page === 'compare' && (
              <Compare
                names={route.names}
                backLabel={nav.returnTo.label}
                onBack={nav.returnTo.go}
                onOpen={(name) => open({ page: 'model', name })}
              />
            )}
            {route.page === 'models' && selection.size > 0 && (
              <div className="selection-bar" role="region" aria-label="Selected models">
                <span>
                  {selection.size} selected{inPool.length < selection.size ? ` (${inPool.length} in the pool)` : ''}
                </span>
                <div className="spacer" />
                <button className="ghost" onClick={() => setSelection(new Map())}>
                  Clear
                </button>
                <button
                  className="ghost"
                  disabled={selection.size < 2 || selection.size > 5}
                  title={selection.size < 2 || selection.size > 5 ? 'Select 2 to 5 models to compare them' : undefined}
                  onClick={() => open({ page: 'compare', names: selected.map((m) => m.name) })}
                >
                  Compare
                </button>
                <button className="primary" disabled={inPool.length === 0} onClick={() => gate.ask(() => setAllocating(true))}>
                  Delegate to {inPool.length === 1 ? inPool[0]!.name : `${inPool.length} models`}
                </button>
              </div>
            )}
            {allocating && (
              <AllocateDialog
                models={inPool.map((m) => ({ modelId: m.modelId!, name: m.name, capacityLeftWei: m.capacityLeftWei }))}
                onClose={() => setAllocating(false)}
                onDone={() => {
                  setAllocating(false);
                  setSelection(new Map());
                  refresh();
                  go({ page: 'portfolio' });
                }}
              />
            )}
            {route.page === 'model' && (
              <ModelDetail
                name={route.name}
                backLabel={nav.returnTo.label}
                onBack={nav.returnTo.go}
                onDelegated={() => {
                  refresh();
                  go({ page: 'portfolio' });
                }}
              />
            )}
            {route.page === 'portfolio' &&
              (gate.ready ? (
                <StakingPortfolio key={epoch} focusModel={route.page === 'portfolio' ? route.model : undefined} />
              ) : (
                <WalletNeeded title="Portfolio" what="your positions" />
              ))}
            {route.page === 'history' &&
              (gate.ready ? <History key={epoch} /> : <WalletNeeded title="History & export" what="your history" />)}
            {route.page === 'settings' && (
              <Settings
                onNetworkChanged={() => {
                  setEpoch((e) => e + 1);
                  onLocked();
                }}
              />
            )}
          </ScreenBoundary>
        </main>
      </div>
    </div>
  );
}

/** Over the pages that work without a wallet: a calm line, not an error, with the one button. */
function WalletBanner() {
  const gate = useWalletGate();
  const locked = gate.status.state === 'locked';
  return (
    <section className="banner calm" aria-label="Wallet">
      <span>{locked ? 'Your wallet is locked. Unlock it to delegate.' : 'Create or import a wallet to delegate.'}</span>
      <button className="primary" onClick={() => gate.ask()}>
        {locked ? 'Unlock wallet' : 'Create or import a wallet'}
      </button>
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { ModelRow } from '../../../shared/api';
import { AllocateDialog } from '../components/AllocateDialog';
import { Compare } from '../pages/Compare';
import { useApi } from '../api/context';
import { Onboarding, Unlock } from '../pages/Onboarding';
import { Models } from '../pages/Models';
import { ModelDetail } from '../pages/ModelDetail';
import { StakingPortfolio } from '../pages/StakingPortfolio';
import { History } from '../pages/History';
import { Settings } from '../pages/Settings';
import { applyTheme } from './theme';
import { Nmr, shortAddress } from '../components/Amount';
import { toAppError, useLoad } from './hooks';
import { PendingTxs } from '../components/PendingTxs';

/** How long a success notice stays before it clears itself. */
const NOTICE_MS = 8000;

type View =
  | { page: 'models' }
  | { page: 'model'; name: string }
  | { page: 'compare'; names: string[] }
  | { page: 'portfolio' }
  | { page: 'history' }
  | { page: 'settings' };

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
  if (wallet.data.state === 'none') return <Onboarding onDone={wallet.reload} />;
  if (wallet.data.state === 'locked') return <Unlock address={wallet.data.address} onDone={wallet.reload} />;
  return <Shell address={wallet.data.address ?? ''} onLocked={wallet.reload} />;
}

function Shell({ address, onLocked }: { address: string; onLocked: () => void }) {
  const api = useApi();
  const [view, setView] = useState<View>({ page: 'models' });
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
  const balances = useLoad(() => api.call('account.balances', {}), [api, epoch]);
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
  const tab = view.page === 'model' || view.page === 'compare' ? 'models' : view.page;
  const nav: { page: 'models' | 'portfolio' | 'history' | 'settings'; label: string }[] = [
    { page: 'models', label: 'Models' },
    { page: 'portfolio', label: 'Portfolio' },
    { page: 'history', label: 'History & export' },
    { page: 'settings', label: 'Settings' },
  ];

  return (
    <div className="shell">
      <header className="topbar">
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
        <div className="account" aria-label="Your wallet">
          <span className="mono" title={address}>
            {shortAddress(address)}
          </span>
          <span className="balance" aria-label="NMR balance">
            {balances.data ? <Nmr wei={balances.data.nmrWei} digits={2} /> : '…'}
          </span>
        </div>
        {isLocal && (
          <button className="ghost" disabled={faucetBusy} onClick={() => void faucet()}>
            {faucetBusy ? 'Adding…' : 'Get demo NMR'}
          </button>
        )}
        <button
          className="ghost"
          onClick={() => {
            void api.call('wallet.lock', {}).then(onLocked);
          }}
        >
          Lock
        </button>
      </header>
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
      <PendingTxs />
      <div className="body">
        <nav aria-label="Main">
          {nav.map((n) => (
            <button
              key={n.page}
              className={`nav-item ${tab === n.page ? 'active' : ''}`}
              aria-current={tab === n.page ? 'page' : undefined}
              onClick={() => setView({ page: n.page })}
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
        <main className="content">
          {view.page === 'models' && (
            <Models key={epoch} selection={selection} onToggle={toggle} onOpen={(name) => setView({ page: 'model', name })} />
          )}
          {view.page === 'compare' && (
            <Compare names={view.names} onBack={() => setView({ page: 'models' })} onOpen={(name) => setView({ page: 'model', name })} />
          )}
          {view.page === 'models' && selection.size > 0 && (
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
                onClick={() => setView({ page: 'compare', names: selected.map((m) => m.name) })}
              >
                Compare
              </button>
              <button className="primary" disabled={inPool.length === 0} onClick={() => setAllocating(true)}>
                Delegate to {inPool.length === 1 ? inPool[0]!.name : `${inPool.length} models`}
              </button>
            </div>
          )}
          {allocating && (
            <AllocateDialog
              models={inPool.map((m) => ({ modelId: m.modelId!, name: m.name, feeBps: m.feeBps, capacityLeftWei: m.capacityLeftWei }))}
              onClose={() => setAllocating(false)}
              onDone={() => {
                setAllocating(false);
                setSelection(new Map());
                refresh();
                setView({ page: 'portfolio' });
              }}
            />
          )}
          {view.page === 'model' && (
            <ModelDetail
              name={view.name}
              onBack={() => setView({ page: 'models' })}
              onDelegated={() => {
                refresh();
                setView({ page: 'portfolio' });
              }}
            />
          )}
          {view.page === 'portfolio' && <StakingPortfolio key={epoch} />}
          {view.page === 'history' && <History key={epoch} />}
          {view.page === 'settings' && (
            <Settings
              onNetworkChanged={() => {
                setEpoch((e) => e + 1);
                onLocked();
              }}
            />
          )}
        </main>
      </div>
    </div>
  );
}

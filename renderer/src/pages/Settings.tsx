import { useState } from 'react';
import { Theme, type SettingsView } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError, useLoad, useTask } from '../app/hooks';
import { Notice } from '../components/Notice';
import { applyTheme } from '../app/theme';
import { useWalletGate, WalletNeeded } from '../app/wallet-gate';
import { NetworkCard } from './NetworkCard';
import { OperatorCard } from './OperatorCard';
import { AccountsCard } from './AccountsCard';
import { WalletCard } from './WalletCard';

export function Settings({ onNetworkChanged }: { onNetworkChanged: () => void }) {
  const api = useApi();
  const gate = useWalletGate();
  const settings = useLoad(() => api.call('settings.get', {}), [api]);
  const info = useLoad(() => api.call('app.info', {}), [api]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // Choices show at once; main's answer then confirms them (or the reload puts the saved one back).
  const [pending, setPending] = useState<Partial<SettingsView>>({});
  const s = settings.data ? { ...settings.data, ...pending } : null;

  async function update(patch: Partial<Pick<SettingsView, 'lockTimeoutMin' | 'theme' | 'demoRoundIntervalS' | 'nativeNotifications'>>) {
    setPending((p) => ({ ...p, ...patch }));
    if (patch.theme) applyTheme(patch.theme);
    try {
      const next = await api.call('settings.update', patch);
      if (patch.theme) applyTheme(next.theme);
      settings.replace(next);
      setPending({});
    } catch (e) {
      setMessage({ ok: false, text: toAppError(e).message });
      setPending({});
      settings.reload();
    }
  }

  // The start's notice (a damaged settings file set aside) stays until the person says they read it.
  async function dismissNotice() {
    try {
      settings.replace(await api.call('settings.dismissNotice', {}));
    } catch (e) {
      setMessage({ ok: false, text: toAppError(e).message });
    }
  }

  const isLocal = info.data?.network.kind === 'local';
  return (
    <section aria-labelledby="settings-title">
      <div className="page-head">
        <div>
          <h1 id="settings-title">Settings</h1>
          <p className="muted">Network, security and appearance.</p>
        </div>
      </div>
      {s?.notice && (
        <div role="alert" className="warn notice">
          <span>{s.notice}</span>
          <button type="button" onClick={() => void dismissNotice()}>
            I understand
          </button>
        </div>
      )}
      <Notice message={message} />
      <NetworkCard
        current={info.data?.network ?? null}
        onChanged={(text) => {
          setMessage({ ok: true, text });
          info.reload();
          settings.reload();
          onNetworkChanged();
        }}
        onError={(text) => setMessage({ ok: false, text })}
      />
      <AccountsCard onAccountChanged={onNetworkChanged} />
      {/* The key's own accounts, backups and the operator's part need the key itself, whichever account is in use. */}
      {gate.status.state === 'unlocked' ? (
        <>
          <WalletCard onAccountChanged={onNetworkChanged} />
          <OperatorCard />
        </>
      ) : (
        <WalletNeeded
          title="Key on this computer"
          what="your wallet’s accounts, backup and your models’ operator settings"
          level={2}
          keyOnly
        />
      )}
      {s && (
        <div className="card">
          <h2>Security</h2>
          <label className="field inline-row">
            <span>Lock the wallet after</span>
            <select value={s.lockTimeoutMin} onChange={(e) => void update({ lockTimeoutMin: Number(e.target.value) })}>
              {[1, 5, 15, 30, 60, 0].map((m) => (
                <option key={m} value={m}>
                  {m === 0 ? 'never (not recommended)' : `${m} minute${m === 1 ? '' : 's'} without use`}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {s && (
        <div className="card">
          <h2>Appearance</h2>
          <fieldset className="radios">
            <legend>Theme</legend>
            {Theme.options.map((t) => (
              <label key={t}>
                <input type="radio" name="theme" value={t} checked={s.theme === t} onChange={() => void update({ theme: t })} />
                {t === 'system' ? 'Same as my computer' : t === 'light' ? 'Light' : 'Dark'}
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {s && (
        <div className="card">
          <h2>Notifications</h2>
          <p className="muted small">
            The bell at the top lists what happened to your transactions and positions. The desktop app can also show each one as a
            notification of your computer{info.data?.transport === 'harness' ? ' (not in this browser version)' : ''}.
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={s.nativeNotifications}
              onChange={(e) => void update({ nativeNotifications: e.target.checked })}
            />
            Show notifications from my computer too
          </label>
        </div>
      )}
      {s && isLocal && (
        <DemoCard
          intervalS={s.demoRoundIntervalS}
          onInterval={(v) => void update({ demoRoundIntervalS: v })}
          onReset={(text) => {
            setMessage({ ok: true, text });
            onNetworkChanged();
          }}
        />
      )}
    </section>
  );
}

/** What the demo panel says: the app plays Numerai and the models' operators a day at a time. */
const DEMO_WORDS = {
  intro:
    'On the demo chain the app plays Numerai and the models’ operators. Each demo day the operators stake the open round, Numerai closes it and opens the next, resolves the rounds that are due (payouts and burns from the models’ scores), and the results are claimed for the pool.',
  step: 'Move to the next demo day',
  auto: 'Move on automatically',
} as const;

function DemoCard({
  intervalS,
  onInterval,
  onReset,
}: {
  intervalS: number;
  onInterval: (s: number) => void;
  /** After a reset the whole app reloads: its message goes to the page. */
  onReset: (text: string) => void;
}) {
  const api = useApi();
  // What a button did shows beside it, not at the top of the page out of view.
  const [message, onMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // Numerai's refusals during a step: said as warnings beside the step's success, never in its green.
  const [warnings, setWarnings] = useState<string[]>([]);
  const { busy, run } = useTask((text) => {
    setWarnings([]);
    onMessage({ ok: false, text });
  });
  const words = DEMO_WORDS;
  const [confirmReset, setConfirmReset] = useState(false);

  const advance = () =>
    run(async () => {
      const r = await api.call('devnet.advanceRound', {});
      onMessage({ ok: true, text: r.happened });
      setWarnings(r.warnings);
    });

  const reset = () =>
    run(async () => {
      await api.call('devnet.reset', {});
      setConfirmReset(false);
      onReset('The demo chain was reset. Your wallet is unchanged; its demo NMR and positions are gone.');
    });

  return (
    <div className="card" aria-labelledby="demo-title">
      <h2 id="demo-title">Demo chain (developer panel)</h2>
      <p className="muted small">{words.intro}</p>
      <div className="row gap wrap">
        <button disabled={busy} onClick={() => void advance()}>
          {busy ? 'Working…' : words.step}
        </button>
        <label className="field inline-row">
          <span>{words.auto}</span>
          <select value={intervalS} onChange={(e) => onInterval(Number(e.target.value))}>
            {[0, 30, 60, 300].map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'off' : `every ${s < 60 ? `${s} seconds` : `${s / 60} minute${s === 60 ? '' : 's'}`}`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Notice message={message} />
      {warnings.length > 0 && (
        <div className="warn step-warnings" role="alert">
          <p>Not everything went through this day:</p>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="danger-zone">
        {!confirmReset ? (
          <button className="ghost danger" disabled={busy} onClick={() => setConfirmReset(true)}>
            Reset the demo chain…
          </button>
        ) : (
          <div role="group" aria-label="Confirm reset">
            <p>This deletes the demo chain and every demo position on it, then builds a fresh one. Your wallet stays.</p>
            <div className="row gap">
              <button className="ghost" onClick={() => setConfirmReset(false)}>
                Keep it
              </button>
              <button className="primary danger" disabled={busy} onClick={() => void reset()}>
                {busy ? 'Resetting…' : 'Reset the demo chain'}
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

import { createContext, useCallback, useContext, useId, useMemo, useState, type ReactNode } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { useEscape } from '../components/Dialog';
import { Onboarding, Unlock } from '../pages/Onboarding';

type WalletStatus = ApiOutput<'wallet.status'>;

export interface WalletGate {
  /** The wallet as main last reported it. */
  status: WalletStatus;
  /** True when the wallet can sign (it exists and is unlocked). */
  ready: boolean;
  /**
   * Runs `then` now if the wallet is ready; otherwise asks for it first (create or import, or
   * unlock) and runs `then` once it is, so what the person started (a delegation) carries on.
   * Closing the request drops `then`.
   */
  ask(then?: () => void): void;
}

const Context = createContext<WalletGate | null>(null);

export function useWalletGate(): WalletGate {
  const gate = useContext(Context);
  if (!gate) throw new Error('useWalletGate needs a <WalletGateProvider> above it');
  return gate;
}

/**
 * "Look around first": the app opens without a wallet, and the wallet is asked for where it is
 * needed (the first delegation, the portfolio, the demo faucet), in a dialog over the page the
 * person is on, so nothing on it is lost.
 */
export function WalletGateProvider({ status, onChanged, children }: { status: WalletStatus; onChanged: () => void; children: ReactNode }) {
  // What waits for the wallet while it is asked for (null: nothing waits, the person only asked for it).
  const [asking, setAsking] = useState<{ then: (() => void) | null } | null>(null);
  const ready = status.state === 'unlocked';
  const ask = useCallback(
    (next?: () => void) => {
      if (ready) return next?.();
      setAsking({ then: next ?? null });
    },
    [ready],
  );
  const close = useCallback(() => setAsking(null), []);
  const done = useCallback(() => {
    const next = asking?.then;
    setAsking(null);
    onChanged();
    next?.();
  }, [asking, onChanged]);
  const gate = useMemo(() => ({ status, ready, ask }), [status, ready, ask]);
  return (
    <Context.Provider value={gate}>
      {children}
      {asking && !ready && <WalletDialog status={status} continues={asking.then !== null} onClose={close} onDone={done} />}
    </Context.Provider>
  );
}

function WalletDialog({
  status,
  continues,
  onClose,
  onDone,
}: {
  status: WalletStatus;
  /** Something the person started waits for the wallet (a delegation): say that it carries on. */
  continues: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  useEscape(onClose);
  const label = status.state === 'locked' ? 'Unlock your wallet' : 'Create or import a wallet';
  return (
    <div className="backdrop">
      <div className="dialog wallet-dialog" role="dialog" aria-modal="true" aria-label={label}>
        {status.state === 'locked' ? <Unlock address={status.address} onDone={onDone} /> : <Onboarding onDone={onDone} />}
        <div className="row between">
          <p className="muted small">{continues ? 'Once your wallet is ready, you carry on where you left off.' : ''}</p>
          <button className="ghost" onClick={onClose}>
            Not now
          </button>
        </div>
      </div>
    </div>
  );
}

/** Where a screen needs the wallet: says so plainly, with the one button that gets it. */
export function WalletNeeded({ title, what, level = 1 }: { title: string; what: string; level?: 1 | 2 }) {
  const gate = useWalletGate();
  const id = useId();
  const locked = gate.status.state === 'locked';
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section className="card narrow wallet-needed" aria-labelledby={id}>
      <Heading id={id}>{title}</Heading>
      <p>
        {locked
          ? `Your wallet is locked. Unlock it to see ${what}.`
          : `You need a wallet to see ${what}. Models and their track records are open to everyone.`}
      </p>
      <button className="primary" onClick={() => gate.ask()}>
        {locked ? 'Unlock wallet' : 'Create or import a wallet'}
      </button>
    </section>
  );
}

import { createContext, useCallback, useContext, useId, useMemo, useState, type ReactNode } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { useEscape } from '../components/Dialog';
import { Onboarding, Unlock } from '../pages/Onboarding';

type WalletStatus = ApiOutput<'wallet.status'>;

export interface WalletGate {
  /** The wallet as main last reported it. */
  status: WalletStatus;
  /** True when the account in use can sign: the key exists and is unlocked, or a connected wallet (WalletConnect, Ledger) is in use. */
  ready: boolean;
  /** The address of the account in use when ready (a connected wallet's, else the key's). */
  address: string | null;
  /**
   * Runs `then` now if the wallet is ready; otherwise asks for it first (create or import, or
   * unlock) and runs `then` once it is, so what the person started (a delegation) carries on.
   * Closing the request drops `then`. `key`: the key on this computer itself is what is needed
   * (its backups, the operator's part), even while a connected wallet is in use.
   */
  ask(then?: () => void, opts?: { key: boolean }): void;
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
export function WalletGateProvider({
  status,
  external,
  onChanged,
  children,
}: {
  status: WalletStatus;
  /** The account in use when it is not the key on this computer and can sign (a connected wallet), else null. */
  external: { address: string } | null;
  onChanged: () => void;
  children: ReactNode;
}) {
  // What waits for the wallet while it is asked for (null: nothing waits, the person only asked for it).
  const [asking, setAsking] = useState<{ then: (() => void) | null; key: boolean } | null>(null);
  const keyReady = status.state === 'unlocked';
  const ready = keyReady || external !== null;
  const address = external?.address ?? status.address;
  const ask = useCallback(
    (next?: () => void, opts?: { key: boolean }) => {
      if (opts?.key ? keyReady : ready) return next?.();
      setAsking({ then: next ?? null, key: opts?.key ?? false });
    },
    [ready, keyReady],
  );
  const close = useCallback(() => setAsking(null), []);
  const done = useCallback(() => {
    const next = asking?.then;
    setAsking(null);
    onChanged();
    next?.();
  }, [asking, onChanged]);
  const gate = useMemo(() => ({ status, ready, address: ready ? address : null, ask }), [status, ready, address, ask]);
  return (
    <Context.Provider value={gate}>
      {children}
      {asking && !(asking.key ? keyReady : ready) && (
        <WalletDialog status={status} continues={asking.then !== null} onClose={close} onDone={done} />
      )}
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
export function WalletNeeded({
  title,
  what,
  level = 1,
  keyOnly = false,
}: {
  title: string;
  what: string;
  level?: 1 | 2;
  /** What is needed is the key on this computer itself, not any account that can sign. */
  keyOnly?: boolean;
}) {
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
      <button className="primary" onClick={() => gate.ask(undefined, { key: keyOnly })}>
        {locked ? 'Unlock wallet' : 'Create or import a wallet'}
      </button>
    </section>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import type { ApiOutput, Intent } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError } from '../app/hooks';
import { planView, SLOW_AFTER_MS, type StepView, type TxEvent } from './txSteps';

type Request = ApiOutput<'tx.request'>;

/** Opens main's confirmation window (browser harness; Electron shows its own dialog). */
function openConfirmWindow(url: string | null): void {
  if (url) window.open(url, 'nmr-delegate-confirm', 'popup,width=560,height=760');
}

/** Main's plain-words summary of what will be signed. */
function Summary({ req }: { req: Request }) {
  return (
    <>
      <p className="summary-title">{req.title}</p>
      <dl className="summary">
        {req.lines.map((l) => (
          <div key={l.label} className="summary-row">
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
      </dl>
      {req.warnings.map((w) => (
        <p key={w} className="warn small">
          {w}
        </p>
      ))}
    </>
  );
}

/**
 * One action on the chain, from main's summary to the last transaction: the summary comes from
 * main, the decision is taken in main's own confirmation window, and each transaction's status is
 * shown live. The page itself can only ask and cancel.
 */
export function TxFlow({ intent, onDone, onBack }: { intent: Intent; onDone: () => void; onBack: () => void }) {
  const api = useApi();
  const [req, setReq] = useState<Request | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<'loading' | 'review' | 'waiting' | 'sending' | 'rejected'>('loading');
  const [txs, setTxs] = useState<TxEvent[]>([]);
  const requestId = useRef<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('tx.request', { intent }).then(
      (r) => {
        if (!alive) return;
        requestId.current = r.requestId;
        setReq(r);
        // Electron shows its own dialog at once; the harness needs the person to open a window.
        setPhase(r.confirmUrl ? 'review' : 'waiting');
      },
      (e: unknown) => alive && setError(toAppError(e).message),
    );
    return () => {
      alive = false;
    };
  }, [api, intent]);

  useEffect(() => {
    const offDecision = api.on('tx.decision', (d) => {
      if (d.requestId !== requestId.current) return;
      setPhase(d.decision === 'confirmed' ? 'sending' : 'rejected');
    });
    // Every event of this request: the steps' own transactions and any speed-up or cancel of them.
    const offStatus = api.on('tx.status', (e) => e.requestId === requestId.current && setTxs((list) => [...list, e]));
    return () => {
      offDecision();
      offStatus();
    };
  }, [api]);

  function openConfirmation() {
    openConfirmWindow(req?.confirmUrl ?? null);
    setPhase('waiting');
  }

  async function cancel() {
    if (requestId.current && (phase === 'review' || phase === 'waiting')) await api.call('tx.cancel', { requestId: requestId.current }).catch(() => undefined);
    onBack();
  }

  if (!req) {
    return (
      <div>
        {error ? (
          <>
            <p role="alert" className="error">
              {error}
            </p>
            <div className="row gap end">
              <button className="ghost" onClick={onBack}>
                Back
              </button>
            </div>
          </>
        ) : (
          <p className="muted">Preparing the summary…</p>
        )}
      </div>
    );
  }

  const { views, done, stopped } = planView(txs, req.steps.length);
  const finished = done || stopped !== null;
  return (
    <div>
      <Summary req={req} />
      <p className="muted small">Transactions to sign:</p>
      <ol className="steps">
        {req.steps.map((s, i) => {
          const v = views[i] ?? null;
          return (
            <li key={i} className={v ? `tx-${v.state}` : ''}>
              <span>{s.description}</span>
              <span className="tx-state" aria-live="polite">
                {v ? v.words : phase === 'sending' && !stopped ? 'Waiting' : ''}
              </span>
              {v?.replaceableTxId && <StuckTx view={v} txId={v.replaceableTxId} />}
            </li>
          );
        })}
      </ol>
      {req.blocker && (
        <p role="alert" className="error">
          {req.blocker}
        </p>
      )}
      {(error ?? stopped) && (
        <p role="alert" className="error">
          {error ?? stopped?.message}
        </p>
      )}
      <div className="row gap end">
        {phase === 'review' && (
          <>
            <button className="ghost" onClick={() => void cancel()}>
              Back
            </button>
            <button className="primary" disabled={req.blocker !== null} onClick={openConfirmation}>
              Open the confirmation window
            </button>
          </>
        )}
        {phase === 'waiting' && (
          <>
            <span className="muted" role="status">
              Check the details in the confirmation window and confirm there.
            </span>
            {req.confirmUrl && (
              <button className="ghost" onClick={openConfirmation}>
                Open it again
              </button>
            )}
            <button className="ghost" onClick={() => void cancel()}>
              Cancel
            </button>
          </>
        )}
        {phase === 'sending' && !finished && <span className="muted">Working… keep the app open.</span>}
        {phase === 'rejected' && (
          <>
            <span role="status">You rejected it; nothing was signed.</span>
            <button className="ghost" onClick={onBack}>
              Back
            </button>
          </>
        )}
        {finished && (
          <>
            {done && (
              <span role="status" className="ok">
                All done.
              </span>
            )}
            <button className="primary" onClick={onDone}>
              Close
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** Speed up or cancel for a step that is waiting: what each does and costs, then main's confirmation. */
function StuckTx({ view, txId }: { view: StepView; txId: string }) {
  const explainId = useId();
  const [now, setNow] = useState(() => Date.now());
  const [asking, setAsking] = useState<'speed-up' | 'cancel' | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const slow = view.sentAt !== null && now - view.sentAt > SLOW_AFTER_MS;
  if (asking) {
    return (
      <ReplaceTx
        txId={txId}
        purpose={asking}
        onClose={(message) => {
          setAsking(null);
          setNote(message);
        }}
      />
    );
  }
  return (
    <div className="stuck-tx">
      {slow && <p className="warn small">This is taking longer than usual: the network may be busy, or the fee offered too low.</p>}
      {view.replacementError && (
        <p role="alert" className="error small">
          {view.replacementError}
        </p>
      )}
      {note && (
        <p role="status" className="muted small">
          {note}
        </p>
      )}
      <p id={explainId} className="muted small">
        <strong>Speed up</strong> sends it again with a higher network fee so it goes through sooner. <strong>Cancel</strong> replaces it with an empty transfer
        of 0 ETH to yourself, which also costs a network fee; if that goes through first, this step and the ones after it do not happen. Either way you see the
        new fee and confirm it first, and only one of them is ever paid for.
      </p>
      <div className="row gap">
        <button className="ghost" aria-describedby={explainId} onClick={() => setAsking('speed-up')}>
          Speed up
        </button>
        <button className="ghost" aria-describedby={explainId} onClick={() => setAsking('cancel')}>
          Cancel this transaction
        </button>
      </div>
    </div>
  );
}

/** Asks main for the replacement, shows its cost, and waits for the decision in main's confirmation window. */
function ReplaceTx({ txId, purpose, onClose }: { txId: string; purpose: 'speed-up' | 'cancel'; onClose: (message: string | null) => void }) {
  const api = useApi();
  const [req, setReq] = useState<Request | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState(false);

  useEffect(() => {
    let alive = true;
    api.call(purpose === 'speed-up' ? 'tx.speedUp' : 'tx.cancelPending', { txId }).then(
      (r) => alive && setReq(r),
      (e: unknown) => alive && setError(toAppError(e).message),
    );
    return () => {
      alive = false;
    };
  }, [api, txId, purpose]);

  useEffect(
    () =>
      api.on('tx.decision', (d) => {
        if (d.requestId !== req?.requestId) return;
        onClose(d.decision === 'confirmed' ? null : 'You rejected it; nothing was signed.');
      }),
    [api, req, onClose],
  );

  async function back() {
    if (req) await api.call('tx.cancel', { requestId: req.requestId }).catch(() => undefined);
    onClose(null);
  }

  return (
    <section className="replace-tx" aria-label={purpose === 'speed-up' ? 'Speed up this transaction' : 'Cancel this transaction'}>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
      {!req && !error && <p className="muted small">Working out the new fee…</p>}
      {req && <Summary req={req} />}
      {req?.blocker && (
        <p role="alert" className="error small">
          {req.blocker}
        </p>
      )}
      <div className="row gap end">
        {req && !req.blocker && req.confirmUrl && (
          <button
            className="primary"
            onClick={() => {
              openConfirmWindow(req.confirmUrl);
              setOpened(true);
            }}
          >
            {opened ? 'Open it again' : 'Open the confirmation window'}
          </button>
        )}
        {req && !req.confirmUrl && (
          <span className="muted small" role="status">
            Check the new fee in the confirmation window and confirm there.
          </span>
        )}
        <button className="ghost" onClick={() => void back()}>
          {error ? 'Back' : purpose === 'speed-up' ? 'Don’t speed up' : 'Don’t cancel'}
        </button>
      </div>
    </section>
  );
}

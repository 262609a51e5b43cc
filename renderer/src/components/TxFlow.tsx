import { useEffect, useRef, useState } from 'react';
import type { ApiOutput, Intent } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError } from '../app/hooks';
import { planView, type TxEvent } from './txSteps';
import { openConfirmWindow, StuckTx, Summary } from './StuckTx';

type Request = ApiOutput<'tx.request'>;

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
    if (requestId.current && (phase === 'review' || phase === 'waiting'))
      await api.call('tx.cancel', { requestId: requestId.current }).catch(() => undefined);
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

import { useEffect, useRef, useState } from 'react';
import type { ApiOutput, EventPayload, Intent } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError } from '../app/hooks';

type Request = ApiOutput<'tx.request'>;
type TxEvent = EventPayload<'tx.status'>;

const STATE_WORDS: Record<TxEvent['state'], string> = {
  signing: 'Signing…',
  pending: 'Sent, waiting for the network…',
  mined: 'Done',
  failed: 'Failed',
};

/**
 * One action on the chain, from main's summary to the last transaction: the summary comes from
 * main, the decision is taken in main's own confirmation window, and each transaction's status is
 * shown live. The page itself can only ask and cancel.
 */
export function TxFlow({ intent, onDone, onBack }: { intent: Intent; onDone: () => void; onBack: () => void }) {
  const api = useApi();
  const [req, setReq] = useState<Request | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<'loading' | 'review' | 'waiting' | 'sending' | 'done' | 'rejected'>('loading');
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
    const offStatus = api.on('tx.status', (e) => {
      if (e.requestId !== requestId.current) return;
      setTxs((list) => {
        const next = list.some((t) => t.txId === e.txId) ? list.map((t) => (t.txId === e.txId ? e : t)) : [...list, e];
        if (e.state === 'failed') setError(`${e.error ?? 'A transaction failed.'} Nothing after it was sent.`);
        if (e.state === 'mined' && e.step === e.steps) setPhase('done');
        return next;
      });
    });
    return () => {
      offDecision();
      offStatus();
    };
  }, [api]);

  function openConfirmation() {
    if (!req?.confirmUrl) return;
    window.open(req.confirmUrl, 'nmr-delegate-confirm', 'popup,width=560,height=760');
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

  const failed = txs.some((t) => t.state === 'failed');
  return (
    <div>
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
      <p className="muted small">Transactions to sign:</p>
      <ol className="steps">
        {req.steps.map((s, i) => {
          const t = txs.find((x) => x.step === i + 1);
          return (
            <li key={i} className={t ? `tx-${t.state}` : ''}>
              <span>{s.description}</span>
              <span className="tx-state" aria-live="polite">
                {t ? STATE_WORDS[t.state] : phase === 'sending' ? 'Waiting' : ''}
              </span>
            </li>
          );
        })}
      </ol>
      {req.blocker && (
        <p role="alert" className="error">
          {req.blocker}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
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
        {phase === 'sending' && !failed && <span className="muted">Working… keep the app open.</span>}
        {phase === 'rejected' && (
          <>
            <span role="status">You rejected it; nothing was signed.</span>
            <button className="ghost" onClick={onBack}>
              Back
            </button>
          </>
        )}
        {(phase === 'done' || failed) && (
          <>
            {phase === 'done' && (
              <span role="status" className="ok">
                All done.
              </span>
            )}
            <button className="primary" onClick={onDone}>
              {phase === 'done' ? 'Close' : 'Close'}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

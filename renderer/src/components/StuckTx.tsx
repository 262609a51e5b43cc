import { useEffect, useId, useState } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError } from '../app/hooks';
import { SLOW_AFTER_MS, type StepView } from './txSteps';

type Request = ApiOutput<'tx.request'>;

/** Opens main's confirmation window (browser harness; Electron shows its own dialog). */
export function openConfirmWindow(url: string | null): void {
  if (url) window.open(url, 'nmr-delegate-confirm', 'popup,width=560,height=760');
}

/** Main's plain-words summary of what will be signed. */
export function Summary({ req }: { req: Request }) {
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
      {req.highFee && (
        <p className="small">
          Because this fee is so high, the confirmation window will ask you to tick that you accept it before you can confirm.
        </p>
      )}
    </>
  );
}

/** Speed up or cancel for a step that is waiting: what each does and costs, then main's confirmation. */
export function StuckTx({ view, txId }: { view: StepView; txId: string }) {
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
        <strong>Speed up</strong> sends it again with a higher network fee so it goes through sooner. <strong>Cancel</strong> replaces it
        with an empty transfer of 0 ETH to yourself, which also costs a network fee; if that goes through first, this step and the ones
        after it do not happen. Either way you see the new fee and confirm it first, and only one of them is ever paid for.
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
function ReplaceTx({
  txId,
  purpose,
  onClose,
}: {
  txId: string;
  purpose: 'speed-up' | 'cancel';
  onClose: (message: string | null) => void;
}) {
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

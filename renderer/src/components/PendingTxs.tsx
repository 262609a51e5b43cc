import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/context';
import { StuckTx } from './StuckTx';
import { stepView, type StepView, type TxEvent } from './txSteps';

/**
 * Transactions still waiting for the network, on every screen: the dialog that sent one may have
 * been closed, or the page reloaded, and speed up / cancel must stay within reach. Main keeps the
 * list (tx.inFlight); any tx.status event is a reason to ask again.
 */
export function PendingTxs() {
  const api = useApi();
  const [events, setEvents] = useState<TxEvent[]>([]);

  const load = useCallback(() => {
    api.call('tx.inFlight', {}).then(
      (r) => setEvents(r.transactions),
      () => undefined,
    );
  }, [api]);

  useEffect(() => {
    load();
    return api.on('tx.status', load);
  }, [api, load]);

  const steps = new Map<string, TxEvent[]>();
  for (const e of events) {
    const key = e.replaces ?? e.txId;
    steps.set(key, [...(steps.get(key) ?? []), e]);
  }
  const waiting: { original: TxEvent; view: StepView; txId: string }[] = [];
  for (const group of steps.values()) {
    const view = stepView(group);
    const original = group.find((e) => e.purpose === 'step');
    if (view?.replaceableTxId && original) waiting.push({ original, view, txId: view.replaceableTxId });
  }
  waiting.sort((a, b) => (a.view.sentAt ?? 0) - (b.view.sentAt ?? 0));
  if (waiting.length === 0) return null;
  return (
    <section className="banner pending-txs" aria-label="Transactions waiting for the network">
      <ul>
        {waiting.map(({ view, original, txId }) => (
          <li key={txId}>
            <p>
              <strong>{original.label}</strong>
              {original.steps > 1 && (
                <span className="muted small">
                  {' '}
                  (step {original.step} of {original.steps})
                </span>
              )}
              <span className="muted small"> · {view.words}</span>
            </p>
            <StuckTx view={view} txId={txId} />
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useEffect, useMemo, useState } from 'react';
import type { Intent, Position } from '../../../shared/api';
import { AmountError, parseNmr } from '../../../shared/money';
import { FormFooter } from '../components/FormFooter';
import { Dialog } from '../components/Dialog';
import { TxFlow } from '../components/TxFlow';
import { useApi } from '../api/context';
import { Nmr } from '../components/Amount';
import { useLoad } from '../app/hooks';

export function Portfolio() {
  const api = useApi();
  const p = useLoad(() => api.call('portfolio.positions', {}), [api]);
  const [action, setAction] = useState<{ kind: 'undelegate' | 'withdraw'; position: Position } | null>(null);
  const reload = p.reload;
  // A resolved round or one of our transactions changes the figures: read them again.
  useEffect(() => api.on('chain.round', reload), [api, reload]);
  useEffect(() => api.on('tx.status', (e) => e.state === 'mined' && reload()), [api, reload]);
  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">Portfolio</h1>
          <p className="muted">Your NMR delegated in the pool, per model, as the chain reports it now.</p>
        </div>
        {p.data && (
          <div className="total">
            <div className="stat-label">Total value</div>
            <div className="stat-value big">
              <Nmr wei={p.data.totalValueWei} digits={4} />
            </div>
          </div>
        )}
      </div>
      {p.error && (
        <p role="alert" className="error">
          {p.error.message} <button onClick={p.reload}>Try again</button>
        </p>
      )}
      {p.data && p.data.positions.length === 0 && (
        <div className="card empty">
          <p>You have not delegated any NMR yet. Pick a model in Models to start.</p>
        </div>
      )}
      {p.data && p.data.positions.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Positions">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Delegated</th>
                <th className="num">Value now</th>
                <th className="num">Waiting to enter</th>
                <th className="num">Leaving</th>
                <th className="num">Withdrawable</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.data.positions.map((pos) => (
                <tr key={pos.modelId}>
                  <td>{pos.name}</td>
                  <td className="num">
                    <Nmr wei={pos.principalWei} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.valueWei} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.pendingInWei} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.pendingOutValueWei} />
                    {pos.unlockRound !== null && <span className="muted small"> (round {pos.unlockRound})</span>}
                  </td>
                  <td className="num">
                    <Nmr wei={pos.withdrawableWei} />
                  </td>
                  <td>
                    <div className="actions">
                    {BigInt(pos.valueWei) > 0n && (
                      <button className="ghost small-button" aria-label={`Take back from ${pos.name}`} onClick={() => setAction({ kind: 'undelegate', position: pos })}>
                        Take back
                      </button>
                    )}
                    {BigInt(pos.withdrawableWei) > 0n && (
                      <button className="primary small-button" aria-label={`Withdraw from ${pos.name}`} onClick={() => setAction({ kind: 'withdraw', position: pos })}>
                        Withdraw
                      </button>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.data && p.data.positions.some((x) => BigInt(x.pendingInWei) > 0n) && (
        <p className="muted small">
          “Waiting to enter” is NMR delegated during round {p.data.currentRound}; it starts earning or losing from round{' '}
          {p.data.currentRound + 1}.
        </p>
      )}
      {action && (
        <ActionDialog
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            reload();
          }}
        />
      )}
    </section>
  );
}

function ActionDialog({
  action,
  onClose,
  onDone,
}: {
  action: { kind: 'undelegate' | 'withdraw'; position: Position };
  onClose: () => void;
  onDone: () => void;
}) {
  const { position } = action;
  const [all, setAll] = useState(true);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [amount, setAmount] = useState<string | null>(action.kind === 'withdraw' ? 'withdraw' : null);
  const intent = useMemo<Intent | null>(() => {
    if (amount === null) return null;
    if (action.kind === 'withdraw') return { kind: 'withdraw', modelId: position.modelId };
    return { kind: 'undelegate', modelId: position.modelId, amountWei: amount === 'all' ? 'all' : amount };
  }, [amount, action.kind, position.modelId]);

  function next(e: React.FormEvent) {
    e.preventDefault();
    if (all) return setAmount('all');
    try {
      const wei = parseNmr(text);
      if (wei === 0n) return setError('Enter an amount above zero.');
      setAmount(wei.toString());
    } catch (err) {
      setError(err instanceof AmountError ? err.message : 'Enter an amount.');
    }
  }

  const title = action.kind === 'withdraw' ? `Withdraw from ${position.name}` : `Take back from ${position.name}`;
  return (
    <Dialog title={title} onClose={onClose}>
      {intent ? (
        <TxFlow intent={intent} onBack={action.kind === 'withdraw' ? onClose : () => setAmount(null)} onDone={onDone} />
      ) : (
        <form onSubmit={next}>
          <p>
            Worth <Nmr wei={position.valueWei} /> now. What you take back stays at risk until its lock ends, then you withdraw it.
          </p>
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            Take back all of it
          </label>
          {!all && (
            <label className="field">
              <span>Amount (NMR, at today’s value)</span>
              <input autoFocus inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
            </label>
          )}
          <FormFooter error={error} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}

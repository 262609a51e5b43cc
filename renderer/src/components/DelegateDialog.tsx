import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Intent, ModelRow } from '../../../shared/api';
import { AmountError, formatNmr, parseNmr } from '../../../shared/money';
import { useApi } from '../api/context';
import { useLoad } from '../app/hooks';
import { Nmr } from './Amount';
import { Dialog } from './Dialog';
import { TxFlow } from './TxFlow';

/** Amount → main's summary → confirmation in main's window → live status of each transaction. */
export function DelegateDialog({ model, onClose, onDone }: { model: ModelRow; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const balances = useLoad(() => api.call('account.balances', {}), [api]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [amountWei, setAmountWei] = useState<bigint | null>(null);
  const intent = useMemo<Intent | null>(
    () => (amountWei === null ? null : { kind: 'delegate', allocations: [{ modelId: model.modelId, amountWei: amountWei.toString() }] }),
    [amountWei, model.modelId],
  );

  useEffect(() => setError(null), [text]);

  function toReview(e: FormEvent) {
    e.preventDefault();
    let wei: bigint;
    try {
      wei = parseNmr(text);
    } catch (err) {
      return setError(err instanceof AmountError ? err.message : 'Enter an amount.');
    }
    if (wei === 0n) return setError('Enter an amount above zero.');
    setAmountWei(wei);
  }

  const balance = balances.data ? BigInt(balances.data.nmrWei) : null;
  return (
    <Dialog title={`Delegate to ${model.name}`} onClose={onClose}>
      {intent ? (
        <TxFlow intent={intent} onBack={() => setAmountWei(null)} onDone={onDone} />
      ) : (
        <form onSubmit={toReview}>
          <label className="field">
            <span>Amount (NMR)</span>
            <input autoFocus inputMode="decimal" placeholder="0.0" value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <p className="muted small">
            Available: {balance === null ? '…' : <Nmr wei={balance} />}
            {balance !== null && balance > 0n && (
              <button type="button" className="link" onClick={() => setText(formatNmr(balance))}>
                Use all
              </button>
            )}
          </p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <div className="row gap end">
            <button type="button" className="ghost" onClick={onClose}>
              Cancel
            </button>
            <button className="primary" type="submit">
              Review
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

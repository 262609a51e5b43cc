import { useEffect, useState, type FormEvent } from 'react';
import type { ApiOutput, EventPayload, ModelRow } from '../../../shared/api';
import { AmountError, formatNmr, parseNmr } from '../../../shared/money';
import { useApi } from '../api/context';
import { toAppError, useLoad } from '../app/hooks';
import { Nmr } from './Amount';

type Review = ApiOutput<'pool.reviewDelegate'>;
type TxEvent = EventPayload<'tx.status'>;

const STATE_WORDS: Record<TxEvent['state'], string> = {
  signing: 'Signing…',
  pending: 'Sent, waiting for the network…',
  mined: 'Done',
  failed: 'Failed',
};

/** Amount → review of exactly what will happen → confirm → live status of each transaction. */
export function DelegateDialog({ model, onClose, onDone }: { model: ModelRow; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const balances = useLoad(() => api.call('account.balances', {}), [api]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [phase, setPhase] = useState<'amount' | 'review' | 'sending' | 'done'>('amount');
  const [txs, setTxs] = useState<TxEvent[]>([]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && phase !== 'sending' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, phase]);

  useEffect(
    () =>
      api.on('tx.status', (e) =>
        setTxs((list) => {
          const i = list.findIndex((t) => t.txId === e.txId);
          return i < 0 ? [...list, e] : list.map((t, j) => (j === i ? e : t));
        }),
      ),
    [api],
  );

  async function toReview(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let wei: bigint;
    try {
      wei = parseNmr(text);
    } catch (err) {
      return setError(err instanceof AmountError ? err.message : 'Enter an amount.');
    }
    if (wei === 0n) return setError('Enter an amount above zero.');
    try {
      setReview(await api.call('pool.reviewDelegate', { allocations: [{ modelId: model.modelId, amountWei: wei.toString() }] }));
      setPhase('review');
    } catch (err) {
      setError(toAppError(err).message);
    }
  }

  async function confirm() {
    if (!review) return;
    setPhase('sending');
    setError(null);
    setTxs([]);
    try {
      await api.call('pool.delegate', { allocations: review.allocations.map(({ modelId, amountWei }) => ({ modelId, amountWei })) });
      setPhase('done');
    } catch (err) {
      setError(`${toAppError(err).message} Nothing more was sent; you can try again.`);
      setPhase('review');
    }
  }

  const balance = balances.data ? BigInt(balances.data.nmrWei) : null;
  const short = review ? BigInt(review.totalWei) > BigInt(review.balanceWei) : false;
  const noGas = review ? BigInt(review.gasCostWei) > BigInt(review.ethBalanceWei) : false;

  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="delegate-title">
        <h2 id="delegate-title">Delegate to {model.name}</h2>
        {phase === 'amount' && (
          <form onSubmit={(e) => void toReview(e)}>
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
        {(phase === 'review' || phase === 'sending' || phase === 'done') && review && (
          <>
            <dl className="summary">
              <dt>You delegate</dt>
              <dd>
                <Nmr wei={review.totalWei} digits={6} />
              </dd>
              <dt>To</dt>
              <dd>
                {review.allocations.map((a) => `${a.name} (fee ${(a.feeBps / 100).toFixed(1)}% of gains)`).join(', ')}
              </dd>
              <dt>At risk from</dt>
              <dd>Round {review.atRiskFromRound} (the round after the current one, {review.currentRound})</dd>
              <dt>Taking it back</dt>
              <dd>
                When you ask to withdraw, your NMR stays at risk for {review.lockRounds} more round{review.lockRounds === 1 ? '' : 's'},
                then you can withdraw it.
              </dd>
              <dt>Network fee (estimate)</dt>
              <dd>{formatNmr(BigInt(review.gasCostWei))} ETH</dd>
            </dl>
            <p className="muted small">Transactions to sign:</p>
            <ol className="steps">
              {review.steps.map((s, i) => {
                const t = txs.find((x) => x.step === i + 1);
                return (
                  <li key={i} className={t ? `tx-${t.state}` : ''}>
                    <span>{s.description}</span>
                    <span className="tx-state" aria-live="polite">
                      {t ? STATE_WORDS[t.state] : phase === 'sending' ? 'Waiting' : ''}
                    </span>
                    {t?.error && <span className="error small">{t.error}</span>}
                  </li>
                );
              })}
            </ol>
            <p className="warn small">
              Delegated NMR can grow or be burned each round, depending on how the model scores.
            </p>
            {short && <p role="alert" className="error">You have only {formatNmr(BigInt(review.balanceWei))} NMR.</p>}
            {noGas && <p role="alert" className="error">You need ETH to pay the network fee.</p>}
            <div className="row gap end">
              {phase === 'review' && (
                <>
                  <button className="ghost" onClick={() => setPhase('amount')}>
                    Back
                  </button>
                  <button className="primary" disabled={short || noGas} onClick={() => void confirm()}>
                    Confirm and delegate
                  </button>
                </>
              )}
              {phase === 'sending' && <span className="muted">Working… keep the app open.</span>}
              {phase === 'done' && (
                <>
                  <span role="status" className="ok">
                    Delegated. Your position is in your portfolio.
                  </span>
                  <button className="primary" onClick={onDone}>
                    View portfolio
                  </button>
                </>
              )}
            </div>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

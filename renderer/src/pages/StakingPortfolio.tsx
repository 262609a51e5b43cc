import { useEffect, useMemo, useState } from 'react';
import type { ApiOutput, Intent, RoundState } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import { useApi } from '../api/context';
import { Nmr } from '../components/Amount';
import { Dialog } from '../components/Dialog';
import { TakeBackForm } from '../components/TakeBackForm';
import { TxFlow } from '../components/TxFlow';
import { useLoad, useTask } from '../app/hooks';
import { Returns } from '../components/PortfolioReturns';

type Portfolio = ApiOutput<'portfolio.staking'>;
type Position = Portfolio['positions'][number];
type ModelRound = Position['rounds'][number];
type Verdict = ApiOutput<'claims.check'>;

/** A round as a holder reads it: where the pool's stake is, and what happens next. */
const ROUND_WORDS: Record<RoundState, { label: string; hint: string }> = {
  open: { label: 'Staked, round open', hint: 'Numerai is taking stakes for this round.' },
  closed: { label: 'Staked, being scored', hint: 'The round is closed; the model’s predictions are being scored.' },
  resolving: { label: 'Waiting for Numerai', hint: 'Scoring is over; Numerai has not posted this round’s results yet.' },
  resolved: { label: 'Result posted', hint: 'Numerai posted the result; it reaches the pool when someone claims it.' },
  claimed: { label: 'Settled', hint: 'The pool claimed the result: it is in the model’s value.' },
};

type Action =
  { kind: 'take-back' | 'withdraw' | 'cancel-deposit'; position: Position } | { kind: 'relay-claim'; position: Position; roundId: number };

/**
 * The holder's NMR in the pool that stakes on Numerai: per model, what waits to enter, what is at
 * stake in each Numerai round and that round's state, what each settled round paid or burned, what
 * is leaving or withdrawable and what was withdrawn; every settled result can be checked against
 * Numerai's own contract.
 */
export function StakingPortfolio({ focusModel }: { focusModel?: number } = {}) {
  const api = useApi();
  const p = useLoad(() => api.call('portfolio.staking', {}), [api]);
  // A notification's link names a position: bring it into view once it is on screen.
  const hasPositions = p.data !== null;
  useEffect(() => {
    if (focusModel === undefined || !hasPositions) return;
    document.getElementById(`position-${focusModel}`)?.closest('article')?.scrollIntoView({ block: 'start' });
  }, [focusModel, hasPositions]);
  const returns = useLoad(() => api.call('portfolio.returns', {}), [api]);
  const [action, setAction] = useState<Action | null>(null);
  const { reload: reloadPositions } = p;
  const { reload: reloadReturns } = returns;
  const reload = useMemo(
    () => () => {
      reloadPositions();
      reloadReturns();
    },
    [reloadPositions, reloadReturns],
  );
  useEffect(() => api.on('chain.round', reload), [api, reload]);
  // The holder's own result of each settled round, from the reward history (their shares at the time).
  const yoursByModel = useMemo(
    () => new Map((returns.data?.positions ?? []).map((x) => [x.modelId, new Map(x.rounds.map((r) => [r.round, r.resultWei]))])),
    [returns.data],
  );
  useEffect(() => api.on('tx.status', (e) => e.state === 'mined' && reload()), [api, reload]);

  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">Portfolio</h1>
          <p className="muted">
            Your NMR in the pool, per model: the pool stakes it on Numerai for the models you chose, and each round’s result comes from
            Numerai’s own settlement. Hover an amount for every digit.
          </p>
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
      {!p.data && !p.error && (
        <p className="muted" role="status">
          Reading your positions and Numerai’s rounds from the chain…
        </p>
      )}
      {p.data && p.data.positions.length === 0 && (
        <div className="card empty">
          <p>You have not delegated any NMR yet. Pick a model in Models to start.</p>
        </div>
      )}
      {p.data?.positions.map((pos) => (
        <PositionCard
          key={pos.modelId}
          position={pos}
          yours={returns.data ? (yoursByModel.get(pos.modelId) ?? new Map()) : null}
          onAction={setAction}
        />
      ))}
      {p.data && p.data.positions.length > 0 && (
        <Returns data={returns.data} error={returns.error?.message ?? null} onRetry={reloadReturns} />
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

/** The holder's result per settled round (signed wei), or null while the history is read. */
type Yours = Map<number, string> | null;

function PositionCard({ position: pos, yours, onAction }: { position: Position; yours: Yours; onAction: (a: Action) => void }) {
  const waiting = BigInt(pos.waitingWei);
  const leaving = BigInt(pos.leavingValueWei);
  const withdrawable = BigInt(pos.withdrawableWei);
  return (
    <article className="card position" aria-labelledby={`position-${pos.modelId}`}>
      <div className="row gap position-head">
        <h2 id={`position-${pos.modelId}`}>{pos.name}</h2>
        <div className="actions">
          {waiting > 0n && (
            <button
              className="ghost small-button"
              aria-label={`Cancel waiting NMR in ${pos.name}`}
              onClick={() => onAction({ kind: 'cancel-deposit', position: pos })}
            >
              Cancel waiting
            </button>
          )}
          {BigInt(pos.shares) > 0n && (
            <button
              className="ghost small-button"
              aria-label={`Take back from ${pos.name}`}
              onClick={() => onAction({ kind: 'take-back', position: pos })}
            >
              Take back
            </button>
          )}
          {(withdrawable > 0n || pos.leavingMatured) && (
            <button
              className="primary small-button"
              aria-label={`Withdraw from ${pos.name}`}
              onClick={() => onAction({ kind: 'withdraw', position: pos })}
            >
              Withdraw
            </button>
          )}
        </div>
      </div>
      <dl className="stats" aria-label={`${pos.name} in figures`}>
        <Figure label="Value now" wei={pos.valueWei} hint="Your shares of the model at today’s value, including NMR staked on Numerai." />
        <Figure
          label="Waiting to enter"
          wei={pos.waitingWei}
          hint="Delegated, not staked yet: it enters at the model’s next round, and you can cancel it until then."
        />
        <Figure
          label="Leaving"
          wei={pos.leavingValueWei}
          hint="Asked back; still at risk until every round it was staked in has settled."
          note={
            leaving > 0n ? (pos.leavingMatured ? 'ready to withdraw' : pos.unlockRound ? `after round ${pos.unlockRound}` : null) : null
          }
        />
        <Figure label="Withdrawable" wei={pos.withdrawableWei} hint="Back from staking and yours to withdraw now." />
        <Figure label="Withdrawn so far" wei={pos.withdrawnWei} hint="Sent back to your wallet from this model." />
      </dl>
      <RoundsTable position={pos} yours={yours} onClaim={(roundId) => onAction({ kind: 'relay-claim', position: pos, roundId })} />
    </article>
  );
}

function Figure({ label, wei, hint, note = null }: { label: string; wei: string; hint: string; note?: string | null }) {
  return (
    <div className="stat" title={hint}>
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">
        <Nmr wei={wei} digits={2} />
        {note && <span className="muted small"> ({note})</span>}
      </dd>
    </div>
  );
}

/** The model's stake in each Numerai round, newest first, with each settled round's result. */
function RoundsTable({ position: pos, yours, onClaim }: { position: Position; yours: Yours; onClaim: (roundId: number) => void }) {
  if (pos.rounds.length === 0)
    return <p className="muted small">Not staked on Numerai yet: the model’s operator stakes it in the next round that opens.</p>;
  return (
    <div className="table-wrap">
      <table aria-label={`Numerai rounds of ${pos.name}`}>
        <thead>
          <tr>
            <th>Round</th>
            <th>State</th>
            <th className="num">Staked by the pool</th>
            <th className="num" title="The pool’s result for the model in this round: paid after the operator’s fee, or burned">
              Pool’s result
            </th>
            <th
              className="num"
              title="While a round runs: your part of the pool’s stake, by your shares today. Once settled: what it added to or burned from your position"
            >
              Yours
            </th>
            <th>
              <span className="visually-hidden">Check</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pos.rounds.map((r) => (
            <RoundRow
              key={r.roundId}
              modelId={pos.modelId}
              name={pos.name}
              round={r}
              yours={yours === null ? undefined : (yours.get(r.roundId) ?? null)}
              onClaim={onClaim}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RoundRow({
  modelId,
  name,
  round: r,
  yours,
  onClaim,
}: {
  modelId: number;
  name: string;
  round: ModelRound;
  /** The holder's settled result (signed wei) from the history; null: none (not theirs); undefined: not read yet. */
  yours: string | null | undefined;
  onClaim: (roundId: number) => void;
}) {
  const words = ROUND_WORDS[r.state];
  const settledOrPosted = r.state === 'claimed' || r.state === 'resolved';
  return (
    <tr>
      <td>{r.roundId}</td>
      <td title={words.hint}>
        <span className={`tag state-${r.state}`}>{words.label}</span>
      </td>
      <td className="num">
        <Nmr wei={r.stakedWei} unit={false} focusable={false} />
      </td>
      <td className="num">
        <RoundResult round={r} />
      </td>
      <td className="num">
        <YourPart round={r} yours={yours} />
      </td>
      <td>
        <div className="actions">
          {r.state === 'resolved' && (
            <button className="primary small-button" aria-label={`Claim round ${r.roundId} for ${name}`} onClick={() => onClaim(r.roundId)}>
              Claim
            </button>
          )}
          {settledOrPosted && <CheckWithNumerai modelId={modelId} roundId={r.roundId} name={name} />}
        </div>
      </td>
    </tr>
  );
}

/** What a settled round paid (after the operator's fee) or burned; nothing before it settles. */
function RoundResult({ round: r }: { round: ModelRound }) {
  if (!r.result) return <span className="muted">{r.state === 'resolved' ? 'not claimed yet' : '—'}</span>;
  const paid = BigInt(r.result.paidWei);
  const burned = BigInt(r.result.burnedWei);
  const fee = BigInt(r.result.feeWei);
  if (burned > 0n)
    return (
      <span className="neg" title="Burned by Numerai for this round">
        <Nmr wei={burned} unit={false} focusable={false} /> burned
      </span>
    );
  if (paid === 0n) return <span className="muted">no change</span>;
  return (
    <span
      className="pos"
      title={fee > 0n ? `Paid ${formatNmr(paid)} NMR, of which the operator’s fee ${formatNmr(fee)} NMR` : 'Paid by Numerai for this round'}
    >
      <Nmr wei={paid - fee} unit={false} focusable={false} /> paid
      {fee > 0n && (
        <span className="muted small">
          {' '}
          (fee <Nmr wei={fee} unit={false} focusable={false} />)
        </span>
      )}
    </span>
  );
}

/** At stake while the round runs; once settled, what it added or burned for this holder. */
function YourPart({ round: r, yours }: { round: ModelRound; yours: string | null | undefined }) {
  if (r.holderPartWei !== null)
    return (
      <span title="Your part of the pool’s stake, by your shares today">
        <Nmr wei={r.holderPartWei} unit={false} focusable={false} /> <span className="muted small">at stake</span>
      </span>
    );
  if (yours === undefined) return <span className="muted">—</span>;
  if (yours === null)
    return (
      <span className="muted" title={r.result ? 'You held no shares of this model when this round settled.' : undefined}>
        {r.result ? 'before you joined' : '—'}
      </span>
    );
  const v = BigInt(yours);
  if (v === 0n) return <span className="muted">no change</span>;
  return (
    <span className={v > 0n ? 'pos' : 'neg'}>
      <Nmr wei={v} unit={false} focusable={false} />
    </span>
  );
}

/** "Check with Numerai": main verifies the claim's proof against the root on Numerai's contract. */
function CheckWithNumerai({ modelId, roundId, name }: { modelId: number; roundId: number; name: string }) {
  const api = useApi();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useTask(setError);
  const check = () =>
    run(async () => {
      setError(null);
      setVerdict(await api.call('claims.check', { modelId, roundId }));
    });
  return (
    <span className="check-result">
      {/* The visible words start the button's name (axe: label-content-name-mismatch); the round and model follow for screen readers. */}
      <button className="ghost small-button" disabled={busy} onClick={() => void check()}>
        {busy ? 'Checking…' : 'Check with Numerai'}
        <span className="visually-hidden">
          {' '}
          round {roundId} of {name}
        </span>
      </button>
      {verdict && (
        <span role="status" className={`small ${verdict.verdict === 'verified' ? 'ok' : 'warn'}`}>
          {verdict.words}
        </span>
      )}
      {error && (
        <span role="alert" className="small error">
          {error}
        </span>
      )}
    </span>
  );
}

function ActionDialog({ action, onClose, onDone }: { action: Action; onClose: () => void; onDone: () => void }) {
  const { position } = action;
  const [intent, setIntent] = useState<Intent | null>(() => {
    switch (action.kind) {
      case 'withdraw':
        return { kind: 'withdraw', modelId: position.modelId };
      case 'cancel-deposit':
        return { kind: 'cancel-deposit', modelId: position.modelId };
      case 'relay-claim':
        return { kind: 'relay-claim', modelId: position.modelId, roundId: action.roundId };
      case 'take-back':
        return null;
    }
  });
  const title = {
    withdraw: `Withdraw from ${position.name}`,
    'cancel-deposit': `Cancel NMR waiting in ${position.name}`,
    'relay-claim': `Claim a round’s result for ${position.name}`,
    'take-back': `Take back from ${position.name}`,
  }[action.kind];
  return (
    <Dialog title={title} onClose={onClose}>
      {intent ? (
        <TxFlow intent={intent} onBack={action.kind === 'take-back' ? () => setIntent(null) : onClose} onDone={onDone} />
      ) : (
        <TakeBackForm
          valueWei={position.valueWei}
          explain="What you take back stays staked, at risk, until every Numerai round it is in has settled; then you withdraw it."
          onCancel={onClose}
          onAmount={(amountWei) =>
            setIntent({ kind: 'take-back', modelId: position.modelId, amountWei: amountWei === 'all' ? 'all' : amountWei.toString() })
          }
        />
      )}
    </Dialog>
  );
}

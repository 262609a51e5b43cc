import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { IntentWei, type ApiOutput, type Intent, type Position, type PositionReturns } from '../../../shared/api';
import { Dialog } from '../components/Dialog';
import { TakeBackForm } from '../components/TakeBackForm';
import { TxFlow } from '../components/TxFlow';
import { useApi } from '../api/context';
import { Nmr } from '../components/Amount';
import { useLoad } from '../app/hooks';
import { resultBars, valuePoints } from '../components/charts/portfolioSeries';
import { formatRound } from '../components/charts/series';

const PortfolioValueChart = lazy(() => import('../components/charts/PortfolioValueChart'));
const RoundBarsChart = lazy(() => import('../components/charts/RoundBarsChart'));
/** Bars drawn at most: more rounds are summed into one bar each. */
const MAX_RESULT_BARS = 200;

export function Portfolio() {
  const api = useApi();
  const p = useLoad(() => api.call('portfolio.positions', {}), [api]);
  const returns = useLoad(() => api.call('portfolio.returns', {}), [api]);
  const [action, setAction] = useState<{ kind: 'undelegate' | 'withdraw'; position: Position } | null>(null);
  const reloadPositions = p.reload;
  const reloadReturns = returns.reload;
  const reload = useMemo(
    () => () => {
      reloadPositions();
      reloadReturns();
    },
    [reloadPositions, reloadReturns],
  );
  // A resolved round or one of our transactions changes the figures: read them again.
  useEffect(() => api.on('chain.round', reload), [api, reload]);
  useEffect(() => api.on('tx.status', (e) => e.state === 'mined' && reload()), [api, reload]);
  const earned = useMemo(() => new Map((returns.data?.positions ?? []).map((r) => [r.modelId, r])), [returns.data]);
  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">Portfolio</h1>
          <p className="muted">
            Your NMR delegated in the pool, per model, as the chain reports it now. Amounts in NMR; hover one for every digit.
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
                <th className="num" title="Rewards after the operator's fee, since you first delegated">
                  Earned
                </th>
                <th className="num" title="Burned by losing rounds, since you first delegated">
                  Burned
                </th>
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
                    <Nmr wei={pos.principalWei} unit={false} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.valueWei} unit={false} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.pendingInWei} unit={false} />
                  </td>
                  <td className="num">
                    <Nmr wei={pos.pendingOutValueWei} unit={false} />
                    {pos.unlockRound !== null && <span className="muted small"> (round {pos.unlockRound})</span>}
                  </td>
                  <td className="num">
                    <Nmr wei={pos.withdrawableWei} unit={false} />
                  </td>
                  <EarnedCells r={earned.get(pos.modelId)} loading={returns.status === 'loading'} />
                  <td>
                    <div className="actions">
                      {BigInt(pos.valueWei) > 0n && (
                        <button
                          className="ghost small-button"
                          aria-label={`Take back from ${pos.name}`}
                          onClick={() => setAction({ kind: 'undelegate', position: pos })}
                        >
                          Take back
                        </button>
                      )}
                      {BigInt(pos.withdrawableWei) > 0n && (
                        <button
                          className="primary small-button"
                          aria-label={`Withdraw from ${pos.name}`}
                          onClick={() => setAction({ kind: 'withdraw', position: pos })}
                        >
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
  const [intent, setIntent] = useState<Intent | null>(action.kind === 'withdraw' ? { kind: 'withdraw', modelId: position.modelId } : null);
  const title = action.kind === 'withdraw' ? `Withdraw from ${position.name}` : `Take back from ${position.name}`;
  return (
    <Dialog title={title} onClose={onClose}>
      {intent ? (
        <TxFlow intent={intent} onBack={action.kind === 'withdraw' ? onClose : () => setIntent(null)} onDone={onDone} />
      ) : (
        <TakeBackForm
          valueWei={position.valueWei}
          explain="What you take back stays at risk until its lock ends, then you withdraw it."
          onCancel={onClose}
          onAmount={(amountWei) => setIntent(IntentWei.encode({ kind: 'undelegate', modelId: position.modelId, amountWei }))}
        />
      )}
    </Dialog>
  );
}

/** A position's rewards (after the operator's fee) and burns, from the reward history. */
function EarnedCells({ r, loading }: { r: PositionReturns | undefined; loading: boolean }) {
  if (!r)
    return (
      <>
        <td className="num muted">{loading ? '…' : '—'}</td>
        <td className="num muted">{loading ? '…' : '—'}</td>
      </>
    );
  const net = BigInt(r.rewardWei) - BigInt(r.feeWei);
  return (
    <>
      <td className={`num ${net > 0n ? 'pos' : ''}`}>
        <Nmr wei={net} unit={false} />
      </td>
      <td className={`num ${BigInt(r.burnWei) > 0n ? 'neg' : ''}`}>
        <Nmr wei={r.burnWei} unit={false} />
      </td>
    </>
  );
}

/** The portfolio's value over time and each round's result, for all positions or one. */
export function Returns({
  data,
  error,
  onRetry,
}: {
  data: ApiOutput<'portfolio.returns'> | null;
  error: string | null;
  onRetry: () => void;
}) {
  const [which, setWhich] = useState<'all' | number>('all');
  const value = useMemo(() => valuePoints(data?.points ?? []), [data]);
  const chosen = which === 'all' ? null : (data?.positions.find((x) => x.modelId === which) ?? null);
  const bars = useMemo(() => resultBars(chosen ? chosen.rounds : (data?.points ?? []), MAX_RESULT_BARS), [chosen, data]);
  const first = data?.points[0];
  const last = data?.points[data.points.length - 1];
  return (
    <section className="card returns" aria-labelledby="returns-title">
      <h2 id="returns-title">Returns</h2>
      {error && (
        <p role="alert" className="error">
          Your returns could not be read: {error} <button onClick={onRetry}>Try again</button>
        </p>
      )}
      {!data && !error && <p className="muted">Reading your history from the chain…</p>}
      {data && data.points.length === 0 && (
        <p className="muted">No round has been resolved since you delegated yet. Your returns appear here after the next round.</p>
      )}
      {data && first && last && (
        <>
          <h3 className="chart-title">Value after each round</h3>
          <p className="muted small">
            From round {formatRound(first.round)} to round {formatRound(last.round)}: now <Nmr wei={last.valueWei} />, for{' '}
            <Nmr wei={last.netDepositedWei} /> put in (less what you took back).
          </p>
          <Suspense fallback={<div className="chart-placeholder" />}>
            <PortfolioValueChart
              data={value}
              label={`Your portfolio's value after each round, from round ${first.round} to ${last.round}`}
            />
          </Suspense>
          <div className="row gap chart-head">
            <h3 className="chart-title">Result of each round</h3>
            <label className="inline-field">
              <span>Show</span>
              <select value={String(which)} onChange={(e) => setWhich(e.target.value === 'all' ? 'all' : Number(e.target.value))}>
                <option value="all">All positions</option>
                {data.positions.map((x) => (
                  <option key={x.modelId} value={x.modelId}>
                    {x.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {bars.bars.length === 0 ? (
            <p className="muted">No result yet for this position.</p>
          ) : (
            <Suspense fallback={<div className="chart-placeholder" />}>
              <RoundBarsChart
                unit="nmr"
                height={200}
                data={bars.bars}
                roundsPerBar={bars.roundsPerBar}
                label={`What each round added or burned${chosen ? ` for ${chosen.name}` : ''}, in NMR${bars.roundsPerBar > 1 ? `, ${bars.roundsPerBar} rounds per bar` : ''}`}
              />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}

import { lazy, Suspense, useMemo, useState } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { Nmr } from './Amount';
import { resultBars, valuePoints } from './charts/portfolioSeries';
import { formatRound } from './charts/series';

// recharts loads with the first chart, not with the page.
const PortfolioValueChart = lazy(() => import('./charts/PortfolioValueChart'));
const RoundBarsChart = lazy(() => import('./charts/RoundBarsChart'));

const MAX_RESULT_BARS = 200;

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

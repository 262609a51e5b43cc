import { lazy, Suspense, useEffect } from 'react';
import { useApi } from '../api/context';
import { Pct } from '../components/Amount';
import { useLoad } from '../app/hooks';
import { feeText } from '../app/model-fee';

const CompareChart = lazy(() => import('../components/CompareChart'));

/** 2–5 models side by side: their figures, overlaid returns, and how their results move together. */
export function Compare({
  names,
  backLabel,
  onBack,
  onOpen,
}: {
  names: string[];
  backLabel: string;
  onBack: () => void;
  onOpen: (name: string) => void;
}) {
  const api = useApi();
  const data = useLoad(() => api.call('models.compare', { names }), [api, names.join('|')]);
  const reload = data.reload;
  // Records that arrive while the page is open (real networks) replace the figures shown.
  useEffect(() => api.on('records.updated', (e) => e.setChanged && reload()), [api, reload]);
  return (
    <section aria-labelledby="compare-title">
      <button className="ghost back" onClick={onBack}>
        ← {backLabel}
      </button>
      <div className="page-head">
        <div>
          <h1 id="compare-title">Compare {names.length} models</h1>
          <p className="muted">Models whose results move together give little diversification.</p>
        </div>
      </div>
      {data.error && (
        <p role="alert" className="error">
          {data.error.message}
        </p>
      )}
      {data.data && (
        <>
          <div className="table-wrap">
            <table aria-label="Compared figures">
              <thead>
                <tr>
                  <th>Model</th>
                  <th className="num">3 months</th>
                  <th className="num">1 year</th>
                  <th className="num">Sharpe-like</th>
                  <th className="num">Worst drop</th>
                  <th className="num">Rounds</th>
                  <th className="num">Fee</th>
                </tr>
              </thead>
              <tbody>
                {data.data.models.map((m) => (
                  <tr key={m.name}>
                    <td>
                      <button className="link" onClick={() => onOpen(m.name)}>
                        {m.name}
                      </button>
                    </td>
                    <td className="num">
                      <Pct value={m.return3mPct} />
                    </td>
                    <td className="num">
                      <Pct value={m.return1yPct} />
                    </td>
                    <td className="num">{m.sharpe === null ? '—' : m.sharpe.toFixed(2)}</td>
                    <td className="num">
                      <Pct value={m.maxDrawdownPct === null ? null : -Math.abs(m.maxDrawdownPct)} />
                    </td>
                    <td className="num">{m.rounds}</td>
                    <td className="num">{feeText(m.feeBps)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="card">
            <h2>Cumulative return</h2>
            <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
              <CompareChart series={data.data.series} />
            </Suspense>
          </div>
          <div className="card">
            <h2>Correlation of round results</h2>
            <p className="muted small">1 means the two always move together; 0 means unrelated; below 0, they tend to move opposite.</p>
            <table aria-label="Correlation matrix" className="matrix">
              <thead>
                <tr>
                  <th />
                  {data.data.models.map((m) => (
                    <th key={m.name} scope="col">
                      {m.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.data.correlation.map((row, p) => (
                  <tr key={p}>
                    <th scope="row">{data.data!.models[p]!.name}</th>
                    {row.map((v, q) => (
                      <td
                        key={q}
                        className="num"
                        style={{
                          background:
                            v === null ? undefined : `color-mix(in srgb, var(--accent) ${Math.round(Math.abs(v) * 45)}%, transparent)`,
                        }}
                      >
                        {v === null ? '—' : v.toFixed(2)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

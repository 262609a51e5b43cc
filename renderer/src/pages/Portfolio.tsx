import { useEffect } from 'react';
import { useApi } from '../api/context';
import { Nmr } from '../components/Amount';
import { useLoad } from '../app/hooks';

export function Portfolio() {
  const api = useApi();
  const p = useLoad(() => api.call('portfolio.positions', {}), [api]);
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.data && (
        <p className="muted small">
          “Waiting to enter” is NMR delegated during round {p.data.currentRound}; it starts earning or losing from round{' '}
          {p.data.currentRound + 1}.
        </p>
      )}
    </section>
  );
}

import { lazy, Suspense, useState } from 'react';
import { useApi } from '../api/context';
import { Nmr, Pct } from '../components/Amount';
import { AllocateDialog } from '../components/AllocateDialog';
import { useLoad } from '../app/hooks';

const ReturnsChart = lazy(() => import('../components/ReturnsChart'));

export function ModelDetail({ name, onBack, onDelegated }: { name: string; onBack: () => void; onDelegated: () => void }) {
  const api = useApi();
  const detail = useLoad(() => api.call('models.detail', { name }), [api, name]);
  const [delegating, setDelegating] = useState(false);
  const m = detail.data?.model;
  if (!m) {
    return (
      <section>
        <button className="ghost back" onClick={onBack}>
          ← All models
        </button>
        {detail.error ? <p role="alert" className="error">{detail.error.message}</p> : <p className="muted">Loading {name}…</p>}
      </section>
    );
  }
  return (
    <section aria-labelledby="model-title">
      <button className="ghost back" onClick={onBack}>
        ← All models
      </button>
      <div className="page-head">
        <div>
          <h1 id="model-title">
            {m.name} {m.isDemo && <span className="tag">demo</span>}
          </h1>
          <p className="muted">
            {m.rounds} rounds of history · operator fee {(m.feeBps / 100).toFixed(1)}% of gains
          </p>
        </div>
        {m.modelId !== null ? (
          <button className="primary" onClick={() => setDelegating(true)}>
            Delegate to {m.name}
          </button>
        ) : (
          <p className="muted small">This model is not in the pool, so it cannot be delegated to.</p>
        )}
      </div>
      <div className="stats">
        <Stat label="Return, last year" hint="Compounded over the last year of rounds">
          <Pct value={m.return1yPct} />
        </Stat>
        <Stat label="Return, last 20 rounds" hint="Compounded over the last 20 rounds">
          <Pct value={m.return20Pct} />
        </Stat>
        <Stat label="Sharpe-like ratio" hint="Average result per round divided by how much results swing; higher is steadier">
          {m.sharpe === null ? '—' : m.sharpe.toFixed(2)}
        </Stat>
        <Stat label="Worst drop" hint="The largest fall from a high point before recovering">
          <Pct value={m.maxDrawdownPct === null ? null : -Math.abs(m.maxDrawdownPct)} />
        </Stat>
        <Stat label="Delegated in the pool" hint="NMR that holders have delegated to this model">
          <Nmr wei={m.delegatedWei} digits={2} />
        </Stat>
        <Stat label="Room left" hint="How much more NMR this model accepts">
          {m.capacityLeftWei === null ? '—' : <Nmr wei={m.capacityLeftWei} digits={0} />}
        </Stat>
      </div>
      <div className="card">
        <h2>Cumulative return</h2>
        {detail.error && <p role="alert" className="error">{detail.error.message}</p>}
        {detail.data ? (
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <ReturnsChart data={detail.data.series} />
          </Suspense>
        ) : (
          <div className="chart-placeholder">Loading chart…</div>
        )}
      </div>
      {delegating && m.modelId !== null && (
        <AllocateDialog
          models={[{ modelId: m.modelId, name: m.name, feeBps: m.feeBps, capacityLeftWei: m.capacityLeftWei }]}
          onClose={() => setDelegating(false)}
          onDone={() => {
            setDelegating(false);
            onDelegated();
          }}
        />
      )}
    </section>
  );
}

function Stat({ label, hint, children }: { label: string; hint: string; children: React.ReactNode }) {
  return (
    <div className="stat" title={hint}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{children}</div>
    </div>
  );
}

import { lazy, Suspense, useState } from 'react';
import type { ModelRow } from '../../../shared/api';
import { useApi } from '../api/context';
import { Nmr, Pct } from '../components/Amount';
import { DelegateDialog } from '../components/DelegateDialog';
import { useLoad } from '../app/hooks';

const ReturnsChart = lazy(() => import('../components/ReturnsChart'));

export function ModelDetail({ model, onBack, onDelegated }: { model: ModelRow; onBack: () => void; onDelegated: () => void }) {
  const api = useApi();
  const detail = useLoad(() => api.call('models.detail', { modelId: model.modelId }), [api, model.modelId]);
  const [delegating, setDelegating] = useState(false);
  const m = detail.data?.model ?? model;
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
        <button className="primary" onClick={() => setDelegating(true)}>
          Delegate to {m.name}
        </button>
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
          <Nmr wei={m.capacityLeftWei} digits={0} />
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
      {delegating && (
        <DelegateDialog
          model={m}
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

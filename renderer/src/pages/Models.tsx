import { useDeferredValue, useState } from 'react';
import type { ApiInput, ModelRow } from '../../../shared/api';
import { useApi } from '../api/context';
import { Nmr, Pct } from '../components/Amount';
import { Sparkline } from '../components/Sparkline';
import { useLoad } from '../app/hooks';

const PAGE = 50;

type SortKey = NonNullable<ApiInput<'models.list'>['sort']>['key'];

const COLUMNS: { key: SortKey; label: string; hint: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Model', hint: 'Model name' },
  { key: 'return1yPct', label: 'Return 1y', hint: 'Compounded return over the last year of rounds', numeric: true },
  { key: 'return20Pct', label: 'Last 20 rounds', hint: 'Compounded return over the last 20 rounds', numeric: true },
  { key: 'sharpe', label: 'Sharpe-like', hint: 'Average round return divided by its volatility, per year; higher is steadier', numeric: true },
  { key: 'maxDrawdownPct', label: 'Worst drop', hint: 'The largest fall from a peak, in percent', numeric: true },
  { key: 'delegatedWei', label: 'Delegated', hint: 'NMR delegated to this model in the pool', numeric: true },
  { key: 'feeBps', label: 'Fee', hint: 'Share of gains the model’s operator keeps', numeric: true },
];

export function Models({ onOpen }: { onOpen: (m: ModelRow) => void }) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'return1yPct', dir: 'desc' });
  const [limit, setLimit] = useState(PAGE);
  const list = useLoad(() => api.call('models.list', { search: deferredSearch, sort, offset: 0, limit }), [api, deferredSearch, sort, limit]);

  function sortBy(key: SortKey) {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' || key === 'feeBps' ? 'asc' : 'desc' }));
  }

  return (
    <section aria-labelledby="models-title">
      <div className="page-head">
        <div>
          <h1 id="models-title">Models</h1>
          <p className="muted">
            Track records of the models you can delegate to. Past results do not promise future ones.
            {list.data ? ` Round ${list.data.currentRound} is open.` : ''}
          </p>
        </div>
        <label className="field inline">
          <span>Search models</span>
          <input type="search" placeholder="Name…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      {list.error && (
        <p role="alert" className="error">
          {list.error.message} <button onClick={list.reload}>Try again</button>
        </p>
      )}
      <div className="table-wrap">
        <table className="models">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={c.numeric ? 'num' : ''}
                  aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button className="th-button" title={c.hint} onClick={() => sortBy(c.key)}>
                    {c.label}
                    <span aria-hidden="true" className="sort-mark">
                      {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
              <th>Trend</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.rows.map((m) => (
              <tr key={m.modelId} onClick={() => onOpen(m)} className="clickable">
                <td>
                  <button className="link" onClick={() => onOpen(m)}>
                    {m.name}
                  </button>
                  {m.isDemo && <span className="tag">demo</span>}
                </td>
                <td className="num">
                  <Pct value={m.return1yPct} />
                </td>
                <td className="num">
                  <Pct value={m.return20Pct} />
                </td>
                <td className="num">{m.sharpe === null ? '—' : m.sharpe.toFixed(2)}</td>
                <td className="num">
                  <Pct value={m.maxDrawdownPct === null ? null : -Math.abs(m.maxDrawdownPct)} />
                </td>
                <td className="num">
                  <Nmr wei={m.delegatedWei} digits={0} />
                </td>
                <td className="num">{(m.feeBps / 100).toFixed(1)}%</td>
                <td>
                  <Sparkline points={m.spark} label={`Return trend of ${m.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.status === 'loading' && !list.data && <p className="muted pad">Loading models…</p>}
        {list.data && list.data.rows.length === 0 && <p className="muted pad">No model matches “{search}”.</p>}
        {list.data && list.data.rows.length < list.data.total && (
          <div className="more">
            <button onClick={() => setLimit((l) => l + PAGE)}>Show {Math.min(PAGE, list.data.total - list.data.rows.length)} more</button>
          </div>
        )}
      </div>
      {list.data && (
        <p className="muted small">
          Showing {list.data.rows.length} of {list.data.total} models.
        </p>
      )}
    </section>
  );
}

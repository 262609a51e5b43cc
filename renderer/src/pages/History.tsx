import { useEffect, useMemo, useState } from 'react';
import type { ApiOutput, HistoryEntry } from '../../../shared/api';
import { useApi } from '../api/context';
import { useLoad } from '../app/hooks';
import { usePages } from '../app/usePages';
import { EntriesTable } from './history/EntriesTable';
import { ExportForm } from './history/ExportForm';
import { filterOf, isFiltered, NO_FILTER, yearsOf, type FilterChoice } from './history/filters';
import { KIND_CHOICES } from './history/kinds';
import { TotalsTable } from './history/TotalsTable';

type Meta = Pick<ApiOutput<'history.entries'>, 'positions' | 'overall' | 'asOfBlock'>;
type Order = 'newest' | 'oldest';

const PAGE_SIZE = 200;

/**
 * The reward history as a statement: every entry of the wallet's positions (virtualized), filtered
 * by model, kind and period, the totals of what is listed per position, and an export of exactly
 * those entries.
 */
export function History() {
  const api = useApi();
  const summary = useLoad(() => api.call('history.summary', {}), [api]);
  const info = useLoad(() => api.call('app.info', {}), [api]);
  const [choice, setChoice] = useState<FilterChoice>(NO_FILTER);
  const [order, setOrder] = useState<Order>('newest');
  const set = (patch: Partial<FilterChoice>) => setChoice((c) => ({ ...c, ...patch }));
  const filter = filterOf(choice);
  const valid = typeof filter === 'string' ? null : filter;

  const list = usePages<HistoryEntry, Meta>(
    (offset, limit, first) =>
      api
        .call('history.entries', { ...valid!, order, offset, limit, asOfBlock: first?.asOfBlock ?? null })
        .then((r) => ({ total: r.total, rows: r.rows, meta: { positions: r.positions, overall: r.overall, asOfBlock: r.asOfBlock } })),
    // Nothing is asked while the period needs fixing.
    valid ? JSON.stringify({ valid, order }) : null,
    PAGE_SIZE,
  );

  // New entries arrive with a confirmed transaction or a new round: read the list again.
  const { reload: reloadSummary } = summary;
  const { retry: reloadList } = list;
  useEffect(() => {
    const again = () => {
      reloadSummary();
      reloadList();
    };
    const offRound = api.on('chain.round', again);
    const offTx = api.on('tx.status', (e) => e.state === 'confirmed' && again());
    return () => {
      offRound();
      offTx();
    };
  }, [api, reloadSummary, reloadList]);

  const s = summary.data;
  const years = useMemo(() => yearsOf(s?.firstDay ?? null, s?.lastDay ?? null), [s]);
  const manyAccounts = (s?.accounts.length ?? 0) > 1;
  const showAccount = manyAccounts && choice.allAccounts;
  const meta = valid ? list.meta : null;
  const empty =
    s && s.rows === 0 && !isFiltered(choice)
      ? 'No entries yet. Your history starts with your first delegation: open Models, choose a model and delegate some NMR. Each delegation, stake, payout, burn and withdrawal then appears here.'
      : 'No entry matches these filters. Choose another model, kind or period.';

  return (
    <section aria-labelledby="history-title" className="history-page">
      <div className="page-head">
        <div>
          <h1 id="history-title">Reward history</h1>
          <p className="muted">
            Every delegation, stake, payout, fee, burn and withdrawal of your wallet, read from the chain. Dates are UTC; hover a figure for
            its exact amount.
          </p>
        </div>
        <p className="muted small as-of" role="status">
          {meta ? `As of block ${meta.asOfBlock.toLocaleString()}` : summary.status === 'loading' ? 'Reading…' : ''}{' '}
          <button className="link" onClick={reloadList}>
            Refresh
          </button>
        </p>
      </div>
      {summary.error && (
        <p role="alert" className="error">
          Your history could not be read: {summary.error.message} <button onClick={summary.reload}>Try again</button>
        </p>
      )}

      <div className="filters history-filters" role="search" aria-label="Filter entries">
        <label className="field">
          <span>Model</span>
          <select value={choice.modelId ?? ''} onChange={(e) => set({ modelId: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">Every model</option>
            {(s?.models ?? []).map((m) => (
              <option key={m.modelId} value={m.modelId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={choice.kindChoice} onChange={(e) => set({ kindChoice: e.target.value })}>
            {KIND_CHOICES.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Period</span>
          <select
            value={choice.period === 'year' ? String(choice.year) : choice.period}
            onChange={(e) => {
              const v = e.target.value;
              set(v === 'all' || v === 'range' ? { period: v } : { period: 'year', year: Number(v) });
            }}
          >
            <option value="all">All time</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
            <option value="range">Between two days…</option>
          </select>
        </label>
        {choice.period === 'range' && (
          <>
            <label className="field">
              <span>First day</span>
              <input type="date" value={choice.fromDay} onChange={(e) => set({ fromDay: e.target.value })} />
            </label>
            <label className="field">
              <span>Last day (included)</span>
              <input type="date" value={choice.toDay} onChange={(e) => set({ toDay: e.target.value })} />
            </label>
          </>
        )}
        {manyAccounts && (
          <label className="option-inline accounts-choice">
            <input type="checkbox" checked={choice.allAccounts} onChange={(e) => set({ allAccounts: e.target.checked })} />
            All {s!.accounts.length} accounts of this wallet
          </label>
        )}
      </div>
      {typeof filter === 'string' && (
        <p role="alert" className="error">
          {filter}
        </p>
      )}

      {meta && meta.positions.length > 0 && <TotalsTable positions={meta.positions} overall={meta.overall} showAccount={showAccount} />}
      <EntriesTable
        list={valid ? list : { ...list, total: 0, error: null }}
        chainId={info.data?.network.chainId ?? null}
        showAccount={showAccount}
        order={order}
        onOrder={setOrder}
        empty={valid ? empty : 'Fix the period above to see entries.'}
      />
      <ExportForm filter={valid} count={valid ? list.total : null} />
    </section>
  );
}

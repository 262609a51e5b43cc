import { memo, useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ModelRow, ModelScope as Scope, SortKey } from '../../../shared/api';
import { Nmr, Pct, wholeNumber } from '../components/Amount';
import { Sparkline } from '../components/Sparkline';
import { RiskTags } from '../components/RiskTags';
import { VirtualRows } from '../components/VirtualRows';
import { useModelPages } from '../app/useModelPages';
import { modelsQuery } from '../app/models-view';
import { useApi } from '../api/context';
import type { ModelsView } from '../app/routes';
import { useScrollMemory } from '../app/scroll-memory';
import { feeText } from '../app/model-fee';

type Column = { key: SortKey; label: string; hint: string; numeric?: boolean; poolOnly?: boolean };
const COLUMNS: Column[] = [
  { key: 'name', label: 'Model', hint: 'Model name' },
  { key: 'return3mPct', label: '3 months', hint: 'Compounded return over the last three months', numeric: true },
  { key: 'return1yPct', label: '1 year', hint: 'Compounded return over the last year', numeric: true },
  {
    key: 'sharpe',
    label: 'Sharpe-like',
    hint: 'Average round result divided by how much results swing, per year; higher is steadier',
    numeric: true,
  },
  { key: 'maxDrawdownPct', label: 'Worst drop', hint: 'The largest fall from a high point, in percent', numeric: true },
  { key: 'rounds', label: 'Rounds', hint: 'How many rounds of history the model has', numeric: true },
  { key: 'currentStakeNmr', label: 'Own stake', hint: 'NMR the model’s author stakes on it at Numerai', numeric: true },
  { key: 'delegatedWei', label: 'Delegated', hint: 'NMR delegated to this model in the pool', numeric: true, poolOnly: true },
  { key: 'capacityLeftWei', label: 'Room left', hint: 'How much more NMR the model accepts in the pool', numeric: true, poolOnly: true },
  { key: 'feeBps', label: 'Fee', hint: 'Share of gains the model’s operator keeps', numeric: true },
];
/** Select, name, six figures, [delegated, room left: pool only], fee, trend; fits a 1280-px window. */
const gridFor = (scope: Scope) =>
  '3.4rem minmax(8rem, 2.4fr) repeat(2, minmax(4.4rem, 1fr)) minmax(5.8rem, 1fr) minmax(6.2rem, 1fr) minmax(4.4rem, 0.8fr) minmax(5.6rem, 1fr)' +
  `${scope === 'pool' ? ' repeat(2, minmax(5.4rem, 1fr))' : ''} minmax(4.3rem, 0.7fr) 5rem`;
const ROW_HEIGHT = 44;

export type Selection = Map<string, ModelRow>;

/**
 * The model list. Its scope, sort and filters are the route's (app/routes.ts), so Back and a model
 * page's back link return to the list exactly as it was, scrolled where it was.
 */
export function Models({
  view,
  onView,
  scrollKey,
  onOpen,
  selection,
  onToggle,
}: {
  view: ModelsView;
  onView: (view: ModelsView) => void;
  /** The history entry the scroll position is remembered under. */
  scrollKey: string;
  onOpen: (name: string) => void;
  selection: Selection;
  onToggle: (row: ModelRow) => void;
}) {
  const { scope, search, minRounds, maxDrawdown, maxFee, sort } = view;
  const change = (patch: Partial<ModelsView>) => onView({ ...view, ...patch });
  const setScope = (s: Scope) => change({ scope: s });
  const setSearch = (v: string) => change({ search: v });
  const setMinRounds = (v: string) => change({ minRounds: v });
  const setMaxDrawdown = (v: string) => change({ maxDrawdown: v });
  const setMaxFee = (v: string) => change({ maxFee: v });
  const deferredSearch = useDeferredValue(search);
  const query = modelsQuery(view, deferredSearch);
  const [watchVersion, setWatchVersion] = useState(0);
  const list = useModelPages(query, watchVersion);
  const api = useApi();
  // Main replaces the track records when a refresh finishes (reload the rows) and reports a long
  // first load's progress (only the label changes: the rows and the scroll position stay).
  const [liveLabel, setLiveLabel] = useState<string | null>(null);
  useEffect(
    () =>
      api.on('records.updated', (e) => {
        if (e.setChanged) setWatchVersion((v) => v + 1);
        else setLiveLabel(e.dataLabel);
      }),
    [api],
  );
  useEffect(() => setLiveLabel(null), [list.meta]);
  // Stable callbacks, so that rows whose model did not change are not drawn again (Row is memoized);
  // they call the newest props.
  const props = useRef({ onOpen, onToggle });
  useEffect(() => {
    props.current = { onOpen, onToggle };
  });
  const openRow = useCallback((name: string) => props.current.onOpen(name), []);
  const toggleRow = useCallback((row: ModelRow) => props.current.onToggle(row), []);
  const toggleWatch = useCallback(
    (name: string) =>
      void api.call('watchlist.toggle', { name }).then(
        () => setWatchVersion((v) => v + 1),
        () => undefined,
      ),
    [api],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const count = list.total ?? 0;
  const virtual = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  useScrollMemory(scroller, 'models', scrollKey, list.total !== null);

  function sortBy(key: SortKey) {
    const next: ModelsView['sort'] =
      sort.key === key
        ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
        : { key, dir: key === 'name' || key === 'feeBps' || key === 'maxDrawdownPct' ? 'asc' : 'desc' };
    // The request goes now; the render the new sort brings takes its answer (usePages.prefetch).
    list.prefetch({ ...query, sort: next });
    change({ sort: next });
  }
  const columns = COLUMNS.filter((c) => scope === 'pool' || !c.poolOnly);
  const grid = gridFor(scope);

  return (
    <section aria-labelledby="models-title" className="models-page">
      <div className="page-head">
        <div>
          <h1 id="models-title">Models</h1>
          <p className="muted">
            Track records of Numerai models. Past results do not promise future ones.
            {/* 0: no round known yet (a pool on a real network that has staked in none). */}
            {list.meta && list.meta.currentRound > 0 ? ` Round ${list.meta.currentRound} is open.` : ''}
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Which models">
          <button aria-pressed={scope === 'pool'} onClick={() => setScope('pool')}>
            In the pool
          </button>
          <button aria-pressed={scope === 'all'} onClick={() => setScope('all')}>
            All models
          </button>
          <button aria-pressed={scope === 'watchlist'} onClick={() => setScope('watchlist')}>
            Watchlist
          </button>
        </div>
      </div>
      <div className="filters" role="search" aria-label="Filter models">
        <label className="field">
          <span>Search models</span>
          <input type="search" placeholder="Name…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="field">
          <span>At least (rounds)</span>
          <input inputMode="numeric" placeholder="any" value={minRounds} onChange={(e) => setMinRounds(e.target.value)} />
        </label>
        <label className="field">
          <span>Worst drop at most (%)</span>
          <input inputMode="decimal" placeholder="any" value={maxDrawdown} onChange={(e) => setMaxDrawdown(e.target.value)} />
        </label>
        <label className="field">
          <span>Fee at most (%)</span>
          <input inputMode="decimal" placeholder="any" value={maxFee} onChange={(e) => setMaxFee(e.target.value)} />
        </label>
      </div>
      {list.error && (
        <p role="alert" className="error">
          {list.error} <button onClick={list.retry}>Try again</button>
        </p>
      )}
      <div className="vtable" role="table" aria-label="Models" aria-rowcount={count + 1} aria-busy={list.busy}>
        <div className="vrow vhead" role="row" style={{ gridTemplateColumns: grid }}>
          <div role="columnheader" className="vcell">
            <span className="visually-hidden">Select</span>
          </div>
          {columns.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={`vcell ${c.numeric ? 'num' : ''}`}
              aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button className="th-button" title={c.hint} onClick={() => sortBy(c.key)}>
                {c.label}
                <span aria-hidden="true" className="sort-mark">
                  {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            </div>
          ))}
          <div role="columnheader" className="vcell">
            Trend
          </div>
        </div>
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- the rows inside take focus; their arrow keys bubble here to move between them */}
        <div ref={scroller} className="vbody" role="rowgroup" onKeyDown={(e) => moveBetweenRows(e, count, virtual)}>
          <VirtualRows
            virtual={virtual}
            grid={grid}
            rowHeight={ROW_HEIGHT}
            row={list.row}
            render={(m) => (
              <Row m={m} scope={scope} selected={selection.has(m.name)} onToggle={toggleRow} onOpen={openRow} onWatch={toggleWatch} />
            )}
          />
          {list.total === 0 && (
            <p className="muted pad">
              {scope === 'watchlist'
                ? 'Your watchlist is empty. Click the star beside a model to keep an eye on it.'
                : 'No model matches these filters.'}
            </p>
          )}
          {list.total === null && !list.error && <p className="muted pad">Loading models…</p>}
        </div>
      </div>
      {list.meta && (
        <p className="muted small">
          {count.toLocaleString()} models · {liveLabel ?? list.meta.dataLabel}
        </p>
      )}
    </section>
  );
}

const ROW_KEYS: Record<string, (i: number, page: number, count: number) => number> = {
  ArrowDown: (i) => i + 1,
  ArrowUp: (i) => i - 1,
  PageDown: (i, page) => i + page,
  PageUp: (i, page) => i - page,
  Home: () => 0,
  End: (_i, _page, count) => count - 1,
};

/**
 * Arrow keys (and Page Up/Down, Home/End) move the focus to the same control of another row, as in
 * a spreadsheet: with a virtualized list, Tab alone would crawl through 15,000 rows' buttons.
 */
function moveBetweenRows(e: React.KeyboardEvent, count: number, virtual: { scrollToIndex: (i: number) => void }) {
  const move = ROW_KEYS[e.key];
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>('[role="row"]');
  if (!move || !row || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  // Inside a text field the keys belong to the field; checkboxes and buttons do not use them.
  if (target instanceof HTMLInputElement && target.type !== 'checkbox') return;
  const controls = (r: Element) => [...r.querySelectorAll<HTMLElement>('button, input')];
  const slot = Math.max(0, controls(row).indexOf(target));
  const from = Number(row.getAttribute('aria-rowindex')) - 2;
  const to = Math.min(count - 1, Math.max(0, move(from, 10, count)));
  if (Number.isNaN(from) || to === from) return;
  e.preventDefault();
  virtual.scrollToIndex(to);
  // The row may not exist yet (far rows are drawn after the scroll and their page may still be
  // loading): look for it on the next frames, for up to about five seconds.
  const body = e.currentTarget;
  const focusTarget = (tries: number) => {
    const next = body.querySelector(`[role="row"][aria-rowindex="${to + 2}"]`);
    const el = next ? (controls(next)[slot] ?? controls(next)[0]) : undefined;
    if (el) el.focus();
    else if (tries > 0) requestAnimationFrame(() => focusTarget(tries - 1));
  };
  focusTarget(300);
}

/** Where a figure needs the model's history and it is still being fetched (a first load lists every model first). */
function HistoryLoading() {
  return (
    <span className="muted" title="This model’s round-by-round history is still loading">
      …
    </span>
  );
}

/** A return: the model's own, or while its history loads, Numerai's leaderboard figure, said so on hover. */
function ReturnCell({ m, value }: { m: ModelRow; value: number | null }) {
  if (!m.historyLoading) return <Pct value={value} />;
  if (value === null) return <HistoryLoading />;
  return (
    <span className="from-leaderboard" title="Numerai’s own figure from its leaderboard; this model’s history is still loading">
      <Pct value={value} />
    </span>
  );
}

/** The model's own stake at Numerai: an exact decimal string, shown whole (exact on hover). */
function StakeCell({ nmr }: { nmr: string }) {
  const whole = nmr.split('.')[0] ?? '0';
  const shown = /^\d+$/.test(whole) ? wholeNumber.format(BigInt(whole)) : nmr;
  return (
    <span className="amount" title={`${nmr} NMR`} data-exact={nmr}>
      {shown}
    </span>
  );
}

const Row = memo(function Row({
  m,
  scope,
  selected,
  onToggle,
  onOpen,
  onWatch,
}: {
  m: ModelRow;
  scope: Scope;
  selected: boolean;
  onToggle: (m: ModelRow) => void;
  onOpen: (name: string) => void;
  onWatch: (name: string) => void;
}) {
  return (
    <>
      <div role="cell" className="vcell select-cell">
        <input type="checkbox" aria-label={`Select ${m.name}`} checked={selected} onChange={() => onToggle(m)} />
        <button
          className={`star ${m.watched ? 'on' : ''}`}
          aria-pressed={m.watched}
          aria-label={`Watch ${m.name}`}
          title={m.watched ? 'On your watchlist' : 'Add to your watchlist'}
          onClick={() => onWatch(m.name)}
        >
          {m.watched ? '★' : '☆'}
        </button>
      </div>
      <div role="cell" className="vcell name-cell">
        <button className="link" onClick={() => onOpen(m.name)}>
          {m.name}
        </button>
        {m.numeraiRank !== null && (
          <span className="rank" title="Rank on Numerai’s leaderboard of its tournament">
            #{m.numeraiRank.toLocaleString()}
          </span>
        )}
        {m.isDemo && <span className="tag">demo</span>}
        {scope !== 'pool' && m.modelId !== null && <span className="tag pool">in pool</span>}
        <RiskTags labels={m.riskLabels} />
      </div>
      <div role="cell" className="vcell num">
        <ReturnCell m={m} value={m.return3mPct} />
      </div>
      <div role="cell" className="vcell num">
        <ReturnCell m={m} value={m.return1yPct} />
      </div>
      <div role="cell" className="vcell num">
        {m.historyLoading ? <HistoryLoading /> : m.sharpe === null ? '—' : m.sharpe.toFixed(2)}
      </div>
      <div role="cell" className="vcell num">
        {m.historyLoading ? <HistoryLoading /> : <Pct value={m.maxDrawdownPct === null ? null : -Math.abs(m.maxDrawdownPct)} />}
      </div>
      <div role="cell" className="vcell num">
        {m.historyLoading ? <HistoryLoading /> : wholeNumber.format(m.rounds)}
      </div>
      <div role="cell" className="vcell num">
        {m.riskLabels.includes('no-record') ? <span className="muted">—</span> : <StakeCell nmr={m.numeraiStakeNmr} />}
      </div>
      {scope === 'pool' && (
        <div role="cell" className="vcell num">
          <Nmr wei={m.delegatedWei} digits={0} unit={false} focusable={false} />
        </div>
      )}
      {scope === 'pool' && (
        <div role="cell" className="vcell num">
          {m.capacityLeftWei === null ? '—' : <Nmr wei={m.capacityLeftWei} digits={0} unit={false} focusable={false} />}
        </div>
      )}
      <div role="cell" className="vcell num">
        {feeText(m.feeBps)}
      </div>
      <div role="cell" className="vcell">
        {m.historyLoading ? (
          <span className="muted small" title="This model’s round-by-round history is still loading">
            loading…
          </span>
        ) : (
          <Sparkline points={m.spark} label={`Return trend of ${m.name}`} />
        )}
      </div>
    </>
  );
});

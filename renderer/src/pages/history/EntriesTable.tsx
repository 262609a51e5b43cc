import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { HistoryEntry } from '../../../../shared/api';
import { txExplorerUrl } from '../../../../shared/explorer';
import { Nmr, shortAddress } from '../../components/Amount';
import { VirtualRows } from '../../components/VirtualRows';
import { KIND_WORDS } from './kinds';

const ROW_HEIGHT = 36;

/** "2026-12-05 21:03" (UTC), the whole ISO time on hover. */
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export interface EntriesList {
  total: number | null;
  error: string | null;
  row: (i: number) => HistoryEntry | null;
  retry: () => void;
}

/**
 * Every entry of the filtered history as a statement: date, model, what happened, the amount and
 * the position's value after it, and its transaction. Virtualized: only the rows in view exist,
 * fetched a page at a time.
 */
export function EntriesTable({
  list,
  chainId,
  showAccount,
  order,
  onOrder,
  empty,
}: {
  list: EntriesList;
  chainId: number | null;
  showAccount: boolean;
  order: 'newest' | 'oldest';
  onOrder: (order: 'newest' | 'oldest') => void;
  empty: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = list.total ?? 0;
  const virtual = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const grid = `9.4rem ${showAccount ? '7.4rem ' : ''}minmax(7rem, 1.2fr) minmax(12rem, 2fr) minmax(6.5rem, 1fr) minmax(6.5rem, 1fr) 8.4rem`;
  const heads = [...(showAccount ? ['Account'] : []), 'Model', 'What happened', 'Amount', 'Value after', 'Transaction'];

  return (
    <div className="vtable entries">
      <div className="vtable-inner" role="table" aria-label="Entries" aria-rowcount={count + 1}>
        <div className="vrow vhead" role="row" style={{ gridTemplateColumns: grid }}>
          <div role="columnheader" className="vcell" aria-sort={order === 'newest' ? 'descending' : 'ascending'}>
            <button
              className="th-button"
              title={order === 'newest' ? 'Newest first: show the oldest first' : 'Oldest first: show the newest first'}
              onClick={() => onOrder(order === 'newest' ? 'oldest' : 'newest')}
            >
              Date (UTC)
              <span aria-hidden="true" className="sort-mark">
                {order === 'newest' ? '▼' : '▲'}
              </span>
            </button>
          </div>
          {heads.map((h) => (
            <div key={h} role="columnheader" className={`vcell ${h === 'Amount' || h === 'Value after' ? 'num' : ''}`}>
              {h}
            </div>
          ))}
        </div>
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling list without links must take focus, so the keyboard can scroll it */}
        <div ref={scroller} className="vbody" role="rowgroup" tabIndex={0}>
          <VirtualRows
            virtual={virtual}
            grid={grid}
            rowHeight={ROW_HEIGHT}
            row={list.row}
            render={(e) => <Entry e={e} chainId={chainId} showAccount={showAccount} />}
          />
        </div>
      </div>
      {/* Outside the table's roles: a table holds rows only. */}
      {list.total === 0 && <p className="muted vtable-message">{empty}</p>}
      {list.total === null && !list.error && <p className="muted vtable-message">Reading your history from the chain…</p>}
      {list.error && (
        <p role="alert" className="error vtable-message">
          Your entries could not be read: {list.error} <button onClick={list.retry}>Try again</button>
        </p>
      )}
    </div>
  );
}

function Entry({ e, chainId, showAccount }: { e: HistoryEntry; chainId: number | null; showAccount: boolean }) {
  const words = KIND_WORDS[e.kind];
  const amount = BigInt(e.amountWei);
  const tone = !words.moves ? 'muted' : amount > 0n ? 'pos' : amount < 0n ? 'neg' : '';
  const url = chainId === null ? null : txExplorerUrl(chainId, e.txHash);
  return (
    <>
      <div role="cell" className="vcell" title={new Date(e.timeMs).toISOString()}>
        {dateOf(e.timeMs)}
      </div>
      {showAccount && (
        <div role="cell" className="vcell mono" title={e.account}>
          {shortAddress(e.account)}
        </div>
      )}
      <div role="cell" className="vcell" title={e.model}>
        {e.model}
      </div>
      <div role="cell" className="vcell" title={words.moves ? undefined : 'Says where your NMR is; the value did not change'}>
        {words.text(e.roundId)}
      </div>
      <div role="cell" className={`vcell num ${tone}`}>
        <Nmr wei={amount} digits={4} unit={false} focusable={false} />
      </div>
      <div role="cell" className="vcell num">
        <Nmr wei={e.valueAfterWei} digits={4} unit={false} focusable={false} />
      </div>
      <div role="cell" className="vcell mono small">
        {url ? (
          <a href={url} target="_blank" rel="noreferrer" title={`Open transaction ${e.txHash} on the block explorer`}>
            {shortAddress(e.txHash)} ↗
          </a>
        ) : (
          <span title={`Transaction ${e.txHash}, block ${e.block}`}>{shortAddress(e.txHash)}</span>
        )}
      </div>
    </>
  );
}

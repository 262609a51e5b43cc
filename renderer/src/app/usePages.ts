import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError } from './hooks';

export interface Page<Row, Meta> {
  total: number;
  rows: Row[];
  meta: Meta;
}

/**
 * Fetches the page at `offset`; `first` is the list's first page's meta (null for the first page
 * itself), for a list that must stay the one its first page described.
 */
export type FetchPage<Row, Meta> = (offset: number, limit: number, first: Meta | null) => Promise<Page<Row, Meta>>;

/**
 * A long list as pages fetched on demand: main filters and sorts; the page asks only for the rows
 * that scroll into view. A new `key` (the query's contents) starts over; answers to an older query
 * are dropped. A null key loads nothing (a query that is not complete yet).
 *
 * While a new query's first page is on its way the old rows stay on screen (`busy` is true): a
 * sort or filter then changes the rows once, when the answer is in, instead of emptying the table,
 * drawing "Loading…" and drawing it again (twice the work, and a flash a person sees).
 */
export function usePages<Row, Meta>(fetchPage: FetchPage<Row, Meta>, key: string | null, pageSize: number) {
  const [total, setTotal] = useState<number | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, Row[]>());
  // True while the rows in `pages` are an older query's, kept on screen until the new first page arrives.
  const stale = useRef(false);
  const loading = useRef(new Set<number>());
  const first = useRef<Meta | null>(null);
  const generation = useRef(0);
  // The key `restart` last started: a render with a new key (before its effect runs) asks for nothing,
  // or its requests would go out and be dropped by the restart that follows.
  const started = useRef<string | null>(null);
  // A first page asked for ahead of its key (prefetch), taken by the restart that key brings.
  const ahead = useRef<{ key: string; page: Promise<Page<Row, Meta>> } | null>(null);
  // The newest closure, called by a `load` that only changes with the key.
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  const load = useCallback(
    (page: number) => {
      if (key === null || key !== started.current || (pages.current.has(page) && !stale.current) || loading.current.has(page)) return;
      const gen = generation.current;
      loading.current.add(page);
      const early = page === 0 && ahead.current?.key === key ? ahead.current.page : null;
      if (page === 0) ahead.current = null;
      (early ?? fetchRef.current(page * pageSize, pageSize, page === 0 ? null : first.current)).then(
        (r) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          if (stale.current) {
            pages.current = new Map();
            stale.current = false;
            setBusy(false);
          }
          pages.current.set(page, r.rows);
          if (page === 0) first.current = r.meta;
          setTotal(r.total);
          setMeta(first.current ?? r.meta);
          setError(null);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          if (stale.current) {
            // The old query's rows would pass for the answer to the new one: take them away.
            pages.current = new Map();
            stale.current = false;
            setBusy(false);
            setTotal(null);
          }
          setError(toAppError(e).message);
        },
      );
    },
    [key, pageSize],
  );

  /**
   * Starts over (answers still on their way are dropped) and loads the first page again; the rows
   * loaded so far stay on screen until it arrives.
   */
  const restart = useCallback(() => {
    generation.current++;
    started.current = key;
    loading.current = new Set();
    first.current = null;
    // Nothing to ask for (an incomplete query): nothing old to show either.
    if (key === null) pages.current = new Map();
    stale.current = pages.current.size > 0;
    setBusy(stale.current);
    if (!stale.current) setTotal(null);
    load(0);
  }, [key, load]);

  useEffect(() => restart(), [restart]);

  const row = useCallback(
    (i: number): Row | null => {
      const page = Math.floor(i / pageSize);
      const rows = pages.current.get(page);
      if (!rows) {
        // An older query's missing page is not asked for: its rows are about to be replaced.
        if (!stale.current) load(page);
        return null;
      }
      return rows[i - page * pageSize] ?? null;
    },
    [load, pageSize],
  );

  /**
   * Asks for the first page of the query `nextKey` stands for now, before a render brings that key:
   * a click that changes the query (a column's sort) sends its request at once instead of after
   * the page has drawn the click (~10 ms of the page's work at 20,000 models), and the restart the
   * new key brings takes this answer. A prefetch for the current key, or one superseded, is dropped.
   */
  const prefetch = useCallback(
    (nextKey: string, fetchNext: FetchPage<Row, Meta>) => {
      if (nextKey === key) return;
      const page = fetchNext(0, pageSize, null);
      page.catch(() => undefined); // its failure is reported by the load that takes it, if one does
      ahead.current = { key: nextKey, page };
    },
    [key, pageSize],
  );

  const retry = useCallback(() => {
    setError(null);
    restart();
  }, [restart]);

  // The render that brings a new key draws before its restart (an effect) marks the old rows busy:
  // they are already the old query's, and a reader of aria-busy must not take them for the answer.
  const waiting = busy || (key !== started.current && pages.current.size > 0);
  return { total, meta, error, busy: waiting, row, retry, prefetch };
}

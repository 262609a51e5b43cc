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
 */
export function usePages<Row, Meta>(fetchPage: FetchPage<Row, Meta>, key: string | null, pageSize: number) {
  const [total, setTotal] = useState<number | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, Row[]>());
  const loading = useRef(new Set<number>());
  const first = useRef<Meta | null>(null);
  const generation = useRef(0);
  // The newest closure, called by a `load` that only changes with the key.
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  const load = useCallback(
    (page: number) => {
      if (key === null || pages.current.has(page) || loading.current.has(page)) return;
      const gen = generation.current;
      loading.current.add(page);
      fetchRef.current(page * pageSize, pageSize, page === 0 ? null : first.current).then(
        (r) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
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
          setError(toAppError(e).message);
        },
      );
    },
    [key, pageSize],
  );

  /** Forgets every page loaded so far (answers still on their way are dropped) and loads the first again. */
  const restart = useCallback(() => {
    generation.current++;
    pages.current = new Map();
    loading.current = new Set();
    first.current = null;
    load(0);
  }, [load]);

  useEffect(() => {
    setTotal(null);
    restart();
  }, [restart]);

  const row = useCallback(
    (i: number): Row | null => {
      const page = Math.floor(i / pageSize);
      const rows = pages.current.get(page);
      if (!rows) {
        load(page);
        return null;
      }
      return rows[i - page * pageSize] ?? null;
    },
    [load, pageSize],
  );

  const retry = useCallback(() => {
    setError(null);
    restart();
  }, [restart]);

  return { total, meta, error, row, retry };
}

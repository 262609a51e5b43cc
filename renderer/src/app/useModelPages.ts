import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiOutput, ModelRow } from '../../../shared/api';
import { useApi } from '../api/context';
import { toAppError } from './hooks';

export const PAGE_SIZE = 100;
type Query = Omit<ApiInput<'models.list'>, 'offset' | 'limit'>;

/**
 * The model list as pages fetched on demand: main sorts and filters all models; the page asks
 * only for the rows that scroll into view. A new query starts over.
 */
export function useModelPages(query: Query, version = 0) {
  const api = useApi();
  const [total, setTotal] = useState<number | null>(null);
  const [meta, setMeta] = useState<Pick<ApiOutput<'models.list'>, 'currentRound' | 'dataLabel'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, ModelRow[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  // `version` bumps when something outside the query changed the rows (a watchlist star).
  const key = JSON.stringify({ ...query, version });

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || loading.current.has(page)) return;
      const gen = generation.current;
      loading.current.add(page);
      api.call('models.list', { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (r) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          pages.current.set(page, r.rows);
          setTotal(r.total);
          setMeta({ currentRound: r.currentRound, dataLabel: r.dataLabel });
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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the query's contents
    [api, key],
  );

  /** Forgets every page loaded so far (answers still on their way are dropped) and loads the first again. */
  const restart = useCallback(() => {
    generation.current++;
    pages.current = new Map();
    loading.current = new Set();
    load(0);
  }, [load]);

  useEffect(() => {
    setTotal(null);
    restart();
  }, [restart]);

  const row = useCallback(
    (i: number): ModelRow | null => {
      const page = Math.floor(i / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) {
        load(page);
        return null;
      }
      return rows[i - page * PAGE_SIZE] ?? null;
    },
    [load],
  );

  const retry = useCallback(() => {
    setError(null);
    restart();
  }, [restart]);

  return { total, meta, error, row, retry };
}

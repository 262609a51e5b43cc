import { useCallback } from 'react';
import type { ApiInput, ApiOutput, ModelRow } from '../../../shared/api';
import type { ApiClient } from '../api/client';
import { useApi } from '../api/context';
import { usePages, type FetchPage } from './usePages';
import { MODEL_PAGE_SIZE } from './page-size';

type Query = Omit<ApiInput<'models.list'>, 'offset' | 'limit'>;
type Meta = Pick<ApiOutput<'models.list'>, 'currentRound' | 'dataLabel'>;

/** The pages of `query`, fetched from main. */
const pagesOf =
  (api: ApiClient, query: Query): FetchPage<ModelRow, Meta> =>
  (offset, limit) =>
    api
      .call('models.list', { ...query, offset, limit })
      .then((r) => ({ total: r.total, rows: r.rows, meta: { currentRound: r.currentRound, dataLabel: r.dataLabel } }));

/** What a list is: its query's contents and the version of the rows outside it. */
const keyOf = (query: Query, version: number) => JSON.stringify({ ...query, version });

/**
 * The model list as pages fetched on demand (usePages): main sorts and filters all models. A new
 * query starts over; `version` bumps when something outside the query changed the rows (a watchlist star).
 */
export function useModelPages(query: Query, version = 0) {
  const api = useApi();
  const pages = usePages<ModelRow, Meta>(pagesOf(api, query), keyOf(query, version), MODEL_PAGE_SIZE);
  const { prefetch } = pages;
  /** Asks for the first page of `next` ahead of the render that makes it the query (a sort click). */
  const prefetchQuery = useCallback((next: Query) => prefetch(keyOf(next, version), pagesOf(api, next)), [prefetch, api, version]);
  return { ...pages, prefetch: prefetchQuery };
}

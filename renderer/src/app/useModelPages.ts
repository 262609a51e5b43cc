import { useCallback } from 'react';
import type { ApiOutput, ModelRow } from '../../../shared/api';
import type { ApiClient } from '../api/client';
import type { EarlyTransport } from '../api/early-calls';
import { useApi } from '../api/context';
import { usePages, type FetchPage } from './usePages';
import { MODEL_PAGE_SIZE } from './page-size';
import { parseRoute } from './routes';
import { modelsListInput, modelsQuery, type ModelsQuery } from './models-view';
import { splitPath } from './navigation';

type Meta = Pick<ApiOutput<'models.list'>, 'currentRound' | 'dataLabel'>;

/** The pages of `query`, fetched from main. */
const pagesOf =
  (api: ApiClient, query: ModelsQuery): FetchPage<ModelRow, Meta> =>
  (offset, limit) =>
    api
      .call('models.list', modelsListInput(query, offset, limit))
      .then((r) => ({ total: r.total, rows: r.rows, meta: { currentRound: r.currentRound, dataLabel: r.dataLabel } }));

/** What a list is: its query's contents and the version of the rows outside it. */
const keyOf = (query: ModelsQuery, version: number) => JSON.stringify({ ...query, version });

/**
 * At the page's boot, before the wallet's status is in: when the address opens the model list, sends
 * its first page's call at once (the list takes the answer from the transport when it asks), instead
 * of once the app has drawn the list (after the status: a round trip later at a start). The start's
 * own address went out already, before the page's code was evaluated (early-calls.ts).
 * `hash` is the location's hash as the hash router reads it ("#/models?scope=all", or empty).
 */
export function sendBootModels(transport: EarlyTransport, hash: string): void {
  const route = parseRoute(...splitPath(hash.replace(/^#/, '') || '/'));
  if (route.page !== 'models') return;
  transport.sendEarly('models.list', modelsListInput(modelsQuery(route), 0, MODEL_PAGE_SIZE));
}

/**
 * The model list as pages fetched on demand (usePages): main sorts and filters all models. A new
 * query starts over; `version` bumps when something outside the query changed the rows (a watchlist star).
 */
export function useModelPages(query: ModelsQuery, version = 0) {
  const api = useApi();
  const pages = usePages<ModelRow, Meta>(pagesOf(api, query), keyOf(query, version), MODEL_PAGE_SIZE);
  const { prefetch } = pages;
  /** Asks for the first page of `next` ahead of the render that makes it the query (a sort click). */
  const prefetchQuery = useCallback((next: ModelsQuery) => prefetch(keyOf(next, version), pagesOf(api, next)), [prefetch, api, version]);
  return { ...pages, prefetch: prefetchQuery };
}

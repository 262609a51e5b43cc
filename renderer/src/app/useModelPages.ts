import { useCallback } from 'react';
import type { ApiOutput, ModelRow } from '../../../shared/api';
import type { ApiClient } from '../api/client';
import { useApi } from '../api/context';
import { usePages, type FetchPage, type Page } from './usePages';
import { MODEL_PAGE_SIZE } from './page-size';
import { parseRoute } from './routes';
import { modelsListInput, modelsQuery, type ModelsQuery } from './models-view';
import { splitPath } from './navigation';

type Query = ModelsQuery;
type Meta = Pick<ApiOutput<'models.list'>, 'currentRound' | 'dataLabel'>;

/** The pages of `query`, fetched from main. */
const pagesOf =
  (api: ApiClient, query: Query): FetchPage<ModelRow, Meta> =>
  (offset, limit) =>
    api
      .call('models.list', modelsListInput(query, offset, limit))
      .then((r) => ({ total: r.total, rows: r.rows, meta: { currentRound: r.currentRound, dataLabel: r.dataLabel } }));

/** What a list is: its query's contents and the version of the rows outside it. */
const keyOf = (query: Query, version: number) => JSON.stringify({ ...query, version });

/** The first page asked for at the page's boot, until the list it belongs to takes it. */
let bootPage: { key: string; page: Promise<Page<ModelRow, Meta>> } | null = null;

/**
 * At the page's boot, before the wallet's status is in: when the address opens the model list, asks
 * for its first page at once, alongside the wallet's status, instead of after it (the list needs no
 * wallet, and the page draws the list only once the status is in: a round trip later at a start).
 * `hash` is the location's hash as the hash router reads it ("#/models?scope=all", or empty).
 */
export function prefetchBootModels(api: ApiClient, hash: string): void {
  const route = parseRoute(...splitPath(hash.replace(/^#/, '') || '/'));
  if (route.page !== 'models') return;
  const query = modelsQuery(route);
  const page = pagesOf(api, query)(0, MODEL_PAGE_SIZE, null);
  page.catch(() => undefined); // its failure is reported by the list that takes it
  bootPage = { key: keyOf(query, 0), page };
}

/** The boot's first page when it is `key`'s, once: a later list of the same query asks main again. */
function takeBootPage(key: string): Promise<Page<ModelRow, Meta>> | null {
  if (bootPage?.key !== key) return null;
  const { page } = bootPage;
  bootPage = null;
  return page;
}

/**
 * The model list as pages fetched on demand (usePages): main sorts and filters all models. A new
 * query starts over; `version` bumps when something outside the query changed the rows (a watchlist star).
 */
export function useModelPages(query: Query, version = 0) {
  const api = useApi();
  const pages = usePages<ModelRow, Meta>(pagesOf(api, query), keyOf(query, version), MODEL_PAGE_SIZE, takeBootPage);
  const { prefetch } = pages;
  /** Asks for the first page of `next` ahead of the render that makes it the query (a sort click). */
  const prefetchQuery = useCallback((next: Query) => prefetch(keyOf(next, version), pagesOf(api, next)), [prefetch, api, version]);
  return { ...pages, prefetch: prefetchQuery };
}

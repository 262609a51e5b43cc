import type { ApiInput, ModelScope, SortDir, SortKey } from '../../../shared/api';

/**
 * The Models page's choices and the list query they stand for. Types only from the contract, no
 * schemas: the page's first module (early-calls.ts) builds the first list's query from here
 * before the rest of the page's code (zod among it) has been evaluated.
 */

/** The Models page's choices; the filters stay as typed (a half-typed "1." must survive a Back). */
export interface ModelsView {
  scope: ModelScope;
  sort: { key: SortKey; dir: SortDir };
  search: string;
  minRounds: string;
  maxDrawdown: string;
  maxFee: string;
}

export const DEFAULT_MODELS_VIEW: ModelsView = {
  scope: 'pool',
  sort: { key: 'return1yPct', dir: 'desc' },
  search: '',
  minRounds: '',
  maxDrawdown: '',
  maxFee: '',
};

export type ModelsQuery = Omit<ApiInput<'models.list'>, 'offset' | 'limit'>;

/** A filter field as typed, as a number; blank or not a number is no filter. */
const typedNumber = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

/**
 * The list query a Models view stands for: its filters as typed, made numbers within their bounds.
 * `search` is the search the list follows (the page passes its deferred value while typing).
 */
export function modelsQuery(view: ModelsView, search = view.search): ModelsQuery {
  const minRounds = typedNumber(view.minRounds);
  const maxDrawdown = typedNumber(view.maxDrawdown);
  const maxFee = typedNumber(view.maxFee);
  return {
    scope: view.scope,
    search,
    sort: view.sort,
    filter: {
      minRounds: minRounds === undefined ? undefined : Math.max(0, Math.floor(minRounds)),
      maxDrawdownPct: maxDrawdown === undefined ? undefined : Math.min(100, Math.max(0, maxDrawdown)),
      maxFeeBps: maxFee === undefined ? undefined : Math.round(Math.min(100, Math.max(0, maxFee)) * 100),
    },
  };
}

/** What models.list is asked for a page of `query`. */
export const modelsListInput = (query: ModelsQuery, offset: number, limit: number): ApiInput<'models.list'> => ({
  ...query,
  offset,
  limit,
});

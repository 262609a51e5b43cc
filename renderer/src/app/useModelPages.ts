import type { ApiInput, ApiOutput, ModelRow } from '../../../shared/api';
import { useApi } from '../api/context';
import { usePages } from './usePages';
import { MODEL_PAGE_SIZE } from './page-size';

type Query = Omit<ApiInput<'models.list'>, 'offset' | 'limit'>;
type Meta = Pick<ApiOutput<'models.list'>, 'currentRound' | 'dataLabel'>;

/**
 * The model list as pages fetched on demand (usePages): main sorts and filters all models. A new
 * query starts over; `version` bumps when something outside the query changed the rows (a watchlist star).
 */
export function useModelPages(query: Query, version = 0) {
  const api = useApi();
  return usePages<ModelRow, Meta>(
    (offset, limit) =>
      api
        .call('models.list', { ...query, offset, limit })
        .then((r) => ({ total: r.total, rows: r.rows, meta: { currentRound: r.currentRound, dataLabel: r.dataLabel } })),
    JSON.stringify({ ...query, version }),
    MODEL_PAGE_SIZE,
  );
}

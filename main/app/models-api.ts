import type { Handlers } from '../ipc/router';
import type { ChainSession } from './chain-session';
import type { ModelCatalog } from './model-catalog';

export interface ModelsApiDeps {
  session: () => Promise<ChainSession>;
  models: ModelCatalog;
}

/** The model calls: the list of every scope, a model's page, comparison, "what if" replay, the watchlist. */
export function modelsHandlers({
  session,
  models,
}: ModelsApiDeps): Pick<Handlers, 'models.list' | 'models.detail' | 'models.compare' | 'models.backtest' | 'watchlist.toggle'> {
  return {
    'models.list': async (query) => models.list(await session(), query),
    'models.detail': async ({ name, maxPoints }) => models.detail(await session(), name, maxPoints),
    'models.compare': async ({ names }) => models.compare(await session(), names),
    'models.backtest': async (input) => models.backtest(await session(), input),
    'watchlist.toggle': async ({ name }) => models.toggleWatch(await session(), name),
  };
}

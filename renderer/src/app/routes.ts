import { ModelScope, SortDir, SortKey, type MainPage } from '../../../shared/api';
import { DEFAULT_MODELS_VIEW, type ModelsView } from './models-view';

export { DEFAULT_MODELS_VIEW, type ModelsView };

/**
 * Where the person is, as the URL says it: the page, the model, the compared names and the Models
 * page's scope, sort and filters. The URL is the one source of this state, so Back/Forward and a
 * "back" link land exactly where the person was. Pure functions, tested both ways (routes.test.ts).
 */

export type Route =
  | ({ page: 'models' } & ModelsView)
  | { page: 'model'; name: string }
  | { page: 'compare'; names: string[] }
  /** `model`: the position to bring into view (a notification's link). */
  | { page: 'portfolio'; model?: number }
  | { page: 'history' }
  | { page: 'settings' };

export type Page = Route['page'];

/** The query names of the Models page's filters (short, since they show in no address bar). */
const FILTER_PARAMS = { search: 'q', minRounds: 'minRounds', maxDrawdown: 'maxDrop', maxFee: 'maxFee' } as const;

/** A compare page shows 2 to 5 models; more names in a URL are dropped, not an error. */
const MAX_COMPARED = 5;

export function modelsRoute(view: Partial<ModelsView> = {}): Route {
  return { page: 'models', ...DEFAULT_MODELS_VIEW, ...view };
}

/**
 * The route a location stands for. Anything unknown (an old link, a typo, a value that no longer
 * exists) falls back to the nearest sensible page instead of an error screen.
 */
export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const parts = pathname.split('/').filter(Boolean);
  const [first, second] = parts;
  if (first === 'models' && second !== undefined && parts.length === 2) return { page: 'model', name: decoded(second) };
  if (first === 'compare') {
    const names = [...new Set(params.getAll('m').filter((n) => n !== ''))].slice(0, MAX_COMPARED);
    return names.length > 0 ? { page: 'compare', names } : modelsRoute();
  }
  if (first === 'portfolio' && parts.length === 1) {
    const model = Number(params.get('model'));
    return Number.isSafeInteger(model) && model > 0 ? { page: 'portfolio', model } : { page: 'portfolio' };
  }
  if ((first === 'history' || first === 'settings') && parts.length === 1) return { page: first };
  return parseModelsView(params);
}

/** A path segment as written by routePath (encoded), or as typed (a stray "%" stays as it is). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseModelsView(params: URLSearchParams): Route {
  const scope = ModelScope.safeParse(params.get('scope'));
  const [key, dir] = (params.get('sort') ?? '').split('.');
  const sortKey = SortKey.safeParse(key);
  const sortDir = SortDir.safeParse(dir);
  return modelsRoute({
    scope: scope.success ? scope.data : DEFAULT_MODELS_VIEW.scope,
    sort: sortKey.success && sortDir.success ? { key: sortKey.data, dir: sortDir.data } : DEFAULT_MODELS_VIEW.sort,
    search: params.get(FILTER_PARAMS.search) ?? '',
    minRounds: params.get(FILTER_PARAMS.minRounds) ?? '',
    maxDrawdown: params.get(FILTER_PARAMS.maxDrawdown) ?? '',
    maxFee: params.get(FILTER_PARAMS.maxFee) ?? '',
  });
}

/** The path (with its query) of a route; defaults are left out, so the plain list is "/models". */
export function routePath(route: Route): string {
  switch (route.page) {
    case 'model':
      return `/models/${encodeURIComponent(route.name)}`;
    case 'compare': {
      const params = new URLSearchParams();
      for (const name of route.names) params.append('m', name);
      return `/compare?${params.toString()}`;
    }
    case 'models': {
      const params = new URLSearchParams();
      if (route.scope !== DEFAULT_MODELS_VIEW.scope) params.set('scope', route.scope);
      const { key, dir } = DEFAULT_MODELS_VIEW.sort;
      if (route.sort.key !== key || route.sort.dir !== dir) params.set('sort', `${route.sort.key}.${route.sort.dir}`);
      for (const field of ['search', 'minRounds', 'maxDrawdown', 'maxFee'] as const)
        if (route[field] !== '') params.set(FILTER_PARAMS[field], route[field]);
      const query = params.toString();
      return query ? `/models?${query}` : '/models';
    }
    case 'portfolio':
      return route.model === undefined ? '/portfolio' : `/portfolio?model=${route.model}`;
    default:
      return `/${route.page}`;
  }
}

/** The Models page's view of a route (its defaults when the route is another page). */
export function modelsViewOf(route: Route): ModelsView {
  if (route.page !== 'models') return DEFAULT_MODELS_VIEW;
  const { page: _page, ...view } = route;
  return view;
}

/** The main navigation's entry a route belongs to: a model's page and a comparison belong to Models. */
export function navSection(route: Route): MainPage {
  return route.page === 'model' || route.page === 'compare' ? 'models' : route.page;
}

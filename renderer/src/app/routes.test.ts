import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_VIEW, modelsRoute, modelsViewOf, navSection, parseRoute, routePath, type Route } from './routes';

/** What the router hands parseRoute for a path written by routePath. */
function roundTrip(route: Route): Route {
  const url = new URL(routePath(route), 'http://app.invalid');
  return parseRoute(url.pathname, url.search);
}

describe('route ↔ state', () => {
  it('writes the plain model list as /models and reads it back with the defaults', () => {
    expect(routePath(modelsRoute())).toBe('/models');
    expect(parseRoute('/models', '')).toEqual(modelsRoute());
    expect(parseRoute('/', '')).toEqual(modelsRoute());
  });

  it('keeps the Models page’s scope, sort and filters, exactly as typed', () => {
    const route = modelsRoute({
      scope: 'all',
      sort: { key: 'maxDrawdownPct', dir: 'asc' },
      search: 'integration test & more',
      minRounds: '20',
      maxDrawdown: '12,5',
      maxFee: '1.',
    });
    expect(routePath(route)).toBe(
      '/models?scope=all&sort=maxDrawdownPct.asc&q=integration+test+%26+more&minRounds=20&maxDrop=12%2C5&maxFee=1.',
    );
    expect(roundTrip(route)).toEqual(route);
    expect(modelsViewOf(route)).not.toHaveProperty('page');
    expect(modelsViewOf(route).maxDrawdown).toBe('12,5');
  });

  it('leaves out only what is at its default', () => {
    expect(routePath(modelsRoute({ scope: 'watchlist' }))).toBe('/models?scope=watchlist');
    expect(routePath(modelsRoute({ sort: { key: 'return1yPct', dir: 'asc' } }))).toBe('/models?sort=return1yPct.asc');
  });

  it('carries a model’s name, encoded, and the compared names in order', () => {
    const model: Route = { page: 'model', name: 'odd name/ü?#' };
    expect(routePath(model)).toBe('/models/odd%20name%2F%C3%BC%3F%23');
    expect(roundTrip(model)).toEqual(model);
    const compare: Route = { page: 'compare', names: ['zeta', 'alpha', 'mid'] };
    expect(routePath(compare)).toBe('/compare?m=zeta&m=alpha&m=mid');
    expect(roundTrip(compare)).toEqual(compare);
  });

  it('reads the plain pages', () => {
    for (const page of ['portfolio', 'history', 'settings'] as const) {
      expect(routePath({ page })).toBe(`/${page}`);
      expect(parseRoute(`/${page}`, '')).toEqual({ page });
    }
  });

  it('names the position a notification leads to in Portfolio, and ignores a model that is no number', () => {
    const toPosition: Route = { page: 'portfolio', model: 12 };
    expect(routePath(toPosition)).toBe('/portfolio?model=12');
    expect(roundTrip(toPosition)).toEqual(toPosition);
    expect(parseRoute('/portfolio', '?model=x')).toEqual({ page: 'portfolio' });
    expect(parseRoute('/portfolio', '?model=-3')).toEqual({ page: 'portfolio' });
  });

  it('falls back to sensible pages on what it does not know', () => {
    expect(parseRoute('/models', '?scope=everything&sort=gas.up')).toEqual(modelsRoute());
    expect(parseRoute('/models', '?sort=name')).toEqual(modelsRoute());
    expect(parseRoute('/nowhere', '')).toEqual(modelsRoute());
    expect(parseRoute('/portfolio/extra', '')).toEqual(modelsRoute());
    expect(parseRoute('/models/a/b', '')).toEqual(modelsRoute());
    expect(parseRoute('/compare', '')).toEqual(modelsRoute());
    expect(parseRoute('/models/100%', '')).toEqual({ page: 'model', name: '100%' });
  });

  it('compares each name once and at most five', () => {
    expect(parseRoute('/compare', '?m=a&m=b&m=a&m=&m=c&m=d&m=e&m=f')).toEqual({ page: 'compare', names: ['a', 'b', 'c', 'd', 'e'] });
  });

  it('puts a model’s page and a comparison under Models in the navigation', () => {
    expect(navSection({ page: 'model', name: 'x' })).toBe('models');
    expect(navSection({ page: 'compare', names: ['x', 'y'] })).toBe('models');
    expect(navSection({ page: 'history' })).toBe('history');
    expect(modelsViewOf({ page: 'history' })).toBe(DEFAULT_MODELS_VIEW);
  });
});

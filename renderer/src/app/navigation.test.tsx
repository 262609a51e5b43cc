// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createMemoryRouter, RouterProvider, type DataRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppNavigation, WRITE_ADDRESS_AFTER_MS } from './navigation';
import { modelsRoute, routePath } from './routes';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let nav: ReturnType<typeof useAppNavigation>;
function Probe() {
  nav = useAppNavigation();
  return null;
}

let root: Root;
let router: DataRouter;
const address = () => `${router.state.location.pathname}${router.state.location.search}`;
const byRating = modelsRoute({ scope: 'all', sort: { key: 'sharpe', dir: 'desc' } });
const byFee = modelsRoute({ scope: 'all', sort: { key: 'feeBps', dir: 'asc' } });
const byFeeDesc = modelsRoute({ scope: 'all', sort: { key: 'feeBps', dir: 'desc' } });

beforeEach(async () => {
  vi.useFakeTimers();
  router = createMemoryRouter([{ path: '*', element: <Probe /> }], {
    initialEntries: ['/portfolio', routePath(byRating)],
    initialIndex: 1,
  });
  root = createRoot(document.createElement('div'));
  await act(async () => root.render(<RouterProvider router={router} />));
});
afterEach(async () => {
  await act(async () => root.unmount());
  vi.useRealTimers();
});

describe('a route refined in place', () => {
  it('is shown at once and written to the address a moment later, under the same key', async () => {
    const before = nav.key;
    await act(async () => nav.refine(byFee));
    expect(nav.route).toEqual(byFee);
    expect(address()).toBe(routePath(byRating));
    const shownKey = nav.key;
    expect(shownKey).not.toBe(before); // a new view starts at the top
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS));
    expect(address()).toBe(routePath(byFee));
    expect(nav.route).toEqual(byFee);
    expect(nav.key).toBe(shownKey); // no second jump to the top once written
    expect(router.state.historyAction).toBe('REPLACE');
  });

  it('writes the address once for refinements in quick succession (typing)', async () => {
    const navigate = vi.spyOn(router, 'navigate');
    await act(async () => nav.refine(byFee));
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS / 2));
    await act(async () => nav.refine(byFeeDesc));
    expect(nav.route).toEqual(byFeeDesc);
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS));
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(address()).toBe(routePath(byFeeDesc));
  });

  it('is written before going elsewhere, so Back returns to the list as it was shown', async () => {
    await act(async () => nav.refine(byFee));
    await act(async () => nav.go({ page: 'model', name: 'alpha' }));
    expect(address()).toBe('/models/alpha');
    await act(async () => nav.back());
    expect(address()).toBe(routePath(byFee));
    expect(nav.route).toEqual(byFee);
  });

  it('is dropped when the entry is left another way (the browser Back), and never comes back', async () => {
    await act(async () => nav.refine(byFee));
    await act(async () => router.navigate(-1));
    expect(address()).toBe('/portfolio');
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS * 2));
    expect(address()).toBe('/portfolio');
    await act(async () => router.navigate(1));
    expect(nav.route).toEqual(byRating);
  });
});

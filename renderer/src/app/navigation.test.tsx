// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route as Path, Routes, useLocation, useNavigate, type NavigateFunction } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppNavigation, WRITE_ADDRESS_AFTER_MS } from './navigation';
import { modelsRoute, routePath } from './routes';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let nav: ReturnType<typeof useAppNavigation>;
let address: string;

/** The router's own navigate, as the browser's Back and Forward move it: not through the app's navigation. */
let browser: NavigateFunction;
function Probe() {
  nav = useAppNavigation();
  const location = useLocation();
  address = `${location.pathname}${location.search}`;
  browser = useNavigate();
  return null;
}

let root: Root;
const byRating = modelsRoute({ scope: 'all', sort: { key: 'sharpe', dir: 'desc' } });
const byFee = modelsRoute({ scope: 'all', sort: { key: 'feeBps', dir: 'asc' } });
const byFeeDesc = modelsRoute({ scope: 'all', sort: { key: 'feeBps', dir: 'desc' } });

beforeEach(async () => {
  vi.useFakeTimers();
  root = createRoot(document.createElement('div'));
  await act(async () =>
    root.render(
      <MemoryRouter useTransitions={false} initialEntries={['/portfolio', routePath(byRating)]} initialIndex={1}>
        <Routes>
          <Path path="*" element={<Probe />} />
        </Routes>
      </MemoryRouter>,
    ),
  );
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
    expect(address).toBe(routePath(byRating));
    const shownKey = nav.key;
    expect(shownKey).not.toBe(before); // a new view starts at the top
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS));
    expect(address).toBe(routePath(byFee));
    expect(nav.route).toEqual(byFee);
    expect(nav.key).toBe(shownKey); // no second jump to the top once written
    // In place: Back from here leaves the list.
    await act(async () => nav.back());
    expect(address).toBe('/portfolio');
  });

  it('writes the address once for refinements in quick succession (typing)', async () => {
    const addresses: string[] = [];
    await act(async () => nav.refine(byFee));
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS / 2));
    addresses.push(address);
    await act(async () => nav.refine(byFeeDesc));
    expect(nav.route).toEqual(byFeeDesc);
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS / 2));
    addresses.push(address);
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS));
    addresses.push(address);
    expect(addresses).toEqual([routePath(byRating), routePath(byRating), routePath(byFeeDesc)]);
  });

  it('is drawn as the address is written, so a sort right after refines the written entry', async () => {
    await act(async () => nav.refine(byFee));
    await act(async () => {
      vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS);
      // No render has been let through yet (act holds them): the write must have been drawn by itself,
      // or a click now would be handled by a page that still names the replaced entry.
      expect(address).toBe(routePath(byFee));
      nav.refine(byFeeDesc);
    });
    expect(nav.route).toEqual(byFeeDesc);
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS));
    expect(address).toBe(routePath(byFeeDesc));
    expect(nav.route).toEqual(byFeeDesc);
  });

  it('is written before going elsewhere, so Back returns to the list as it was shown', async () => {
    await act(async () => nav.refine(byFee));
    await act(async () => nav.go({ page: 'model', name: 'alpha' }));
    expect(address).toBe('/models/alpha');
    await act(async () => nav.back());
    expect(address).toBe(routePath(byFee));
    expect(nav.route).toEqual(byFee);
    // …and Forward is there: the written entry is the one Back returned to, not a stranger.
    expect(nav.canForward).toBe(true);
    await act(async () => nav.forward());
    expect(address).toBe('/models/alpha');
  });

  it('is dropped when the entry is left another way (the browser Back), and never comes back', async () => {
    await act(async () => nav.refine(byFee));
    await act(async () => browser(-1));
    expect(address).toBe('/portfolio');
    expect(nav.route).toEqual({ page: 'portfolio' });
    await act(async () => vi.advanceTimersByTime(WRITE_ADDRESS_AFTER_MS * 2));
    expect(address).toBe('/portfolio');
    await act(async () => browser(1));
    expect(address).toBe(routePath(byRating));
    expect(nav.route).toEqual(byRating);
  });
});

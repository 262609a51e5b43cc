import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate, useNavigationType } from 'react-router';
import { canGoBack, canGoForward, nextPosition, startPosition } from './history-position';
import { modelsRoute, parseRoute, routePath, type Route } from './routes';

/** What a page was opened from, kept in its history entry so its back link can name it. */
interface CameFrom {
  from: string;
}

function cameFrom(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('from' in state)) return null;
  const from = (state as CameFrom).from;
  return typeof from === 'string' ? from : null;
}

/** Words for the page a back link returns to ("← In the pool"). */
export function backLabel(route: Route): string {
  switch (route.page) {
    case 'models':
      return route.scope === 'pool' ? 'In the pool' : route.scope === 'all' ? 'All models' : 'Watchlist';
    case 'model':
      return route.name;
    case 'compare':
      return 'Comparison';
    case 'portfolio':
      return 'Portfolio';
    case 'history':
      return 'History';
    case 'settings':
      return 'Settings';
  }
}

/** Alt+← and Alt+→ as in browsers; inside a text field they stay the field's (macOS moves by word). */
function historyKey(e: KeyboardEvent): -1 | 1 | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const t = e.target;
  if (
    t instanceof HTMLElement &&
    (t.isContentEditable || t instanceof HTMLTextAreaElement || (t instanceof HTMLInputElement && t.type !== 'checkbox'))
  )
    return null;
  return e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : null;
}

/**
 * The app's navigation over the router: the route the URL stands for, going somewhere (a new
 * history entry, or in place for the Models page's filters), Back/Forward with whether each can
 * move, and the back link of a page opened from another (a real Back when it came from the page
 * before, so that page's scope and scroll come back with it).
 */
export function useAppNavigation() {
  const location = useLocation();
  const navigate = useNavigate();
  const how = useNavigationType();
  const route = parseRoute(location.pathname, location.search);
  // Follows the location as it changes, during render (React's pattern for state derived from a prop).
  const [position, setPosition] = useState(() => startPosition(location.key));
  const next = nextPosition(position, location.key, how);
  if (next !== position) setPosition(next);

  const go = useCallback(
    (to: Route, opts: { replace?: boolean; from?: Route } = {}) =>
      void navigate(routePath(to), {
        replace: opts.replace,
        state: opts.from ? ({ from: routePath(opts.from) } satisfies CameFrom) : null,
      }),
    [navigate],
  );
  const back = useCallback(() => void navigate(-1), [navigate]);
  const forward = useCallback(() => void navigate(1), [navigate]);
  const canBack = canGoBack(next);
  const canForward = canGoForward(next);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const step = historyKey(e);
      if (step === null || (step === -1 ? !canBack : !canForward)) return;
      e.preventDefault();
      void navigate(step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, canBack, canForward]);

  const fromPath = cameFrom(location.state);
  const fromRoute = fromPath === null ? null : parseRoute(...splitPath(fromPath));
  /** The page this one was opened from, and how to return to it (or the model list, when opened directly). */
  const returnTo = {
    label: fromRoute ? backLabel(fromRoute) : 'All models',
    go: () => (fromRoute && canBack ? back() : go(fromRoute ?? modelsRoute({ scope: 'all' }))),
  };

  return { route, key: location.key, go, back, forward, canBack, canForward, returnTo };
}

/** A path with its query ("/models?scope=all") as the pathname and search parseRoute takes. */
export function splitPath(path: string): [string, string] {
  const q = path.indexOf('?');
  return q === -1 ? [path, ''] : [path.slice(0, q), path.slice(q)];
}

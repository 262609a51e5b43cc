import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useLocation, useNavigate, useNavigationType } from 'react-router';
import { canGoBack, canGoForward, nextPosition, startPosition } from './history-position';
import { modelsRoute, parseRoute, routePath, type Route } from './routes';

/**
 * What a history entry keeps: the page it was opened from, so its back link can name it; and, for
 * a list refined in place, the name it was shown under before its address was written (`refine`).
 */
interface EntryState {
  from?: string;
  entry?: string;
}

function stateString(state: unknown, name: keyof EntryState): string | null {
  if (typeof state !== 'object' || state === null || !(name in state)) return null;
  const value = (state as EntryState)[name];
  return typeof value === 'string' ? value : null;
}

/**
 * How long a refinement of the model list is shown before the address follows (`refine`). Typing
 * in the search writes the address once, after the last keystroke.
 */
export const WRITE_ADDRESS_AFTER_MS = 250;

/** A route shown ahead of its address: `base` is the entry it refines, `id` the entry's name meanwhile and after. */
interface Ahead {
  route: Route;
  id: string;
  base: string;
}

let aheadCount = 0;

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
 *
 * `refine` changes the route in place, as the model list's sort, scope and filters do, and shows
 * it at once; the address is written WRITE_ADDRESS_AFTER_MS later. Writing it (history.replaceState)
 * makes Chromium commit a navigation and fetch the page's icon again, on the path of the sort's own
 * answer: measured, it was ~20 ms of a sort's 40–60 (click to the new first row) on two cores.
 * Going anywhere writes a waiting address first; an entry left another way (the browser's Back)
 * drops it. `key` names the entry for the scroll memory, the same before and after its address is
 * written.
 */
export function useAppNavigation() {
  const location = useLocation();
  const navigate = useNavigate();
  const how = useNavigationType();
  const [ahead, setAhead] = useState<Ahead | null>(null);
  const pending = useRef<Ahead | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const entry = stateString(location.state, 'entry') ?? location.key;
  const writeAhead = useCallback(() => {
    clearTimeout(timer.current);
    const waiting = pending.current;
    pending.current = null;
    if (waiting) void navigate(routePath(waiting.route), { replace: true, state: { entry: waiting.id } satisfies EntryState });
  }, [navigate]);
  // The timer's write is drawn before anything else happens: until then the page's handlers were
  // made with the replaced entry, and a click then (a sort right after the last) would refine an
  // entry that is gone and be dropped. With nothing waiting there is nothing to draw (and going
  // somewhere from an effect must not flush React's work from inside it).
  const writeAheadNow = useCallback(() => {
    if (pending.current) flushSync(writeAhead);
  }, [writeAhead]);
  const refine = useCallback(
    (to: Route) => {
      const next = pending.current ? { ...pending.current, route: to } : { route: to, id: `ahead-${++aheadCount}`, base: entry };
      pending.current = next;
      setAhead(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(writeAheadNow, WRITE_ADDRESS_AFTER_MS);
    },
    [entry, writeAheadNow],
  );
  // Once the entry changes (its address written, or left another way), nothing is ahead of it.
  useEffect(() => {
    if (pending.current && pending.current.base !== entry) {
      clearTimeout(timer.current);
      pending.current = null;
    }
    setAhead((a) => (a && a.base !== entry ? null : a));
  }, [entry]);
  // The app going away (a locked wallet's screen) keeps the list as it was shown. Through a ref:
  // the router's navigate (so writeAhead) changes with the location, and a cleanup run for that
  // change would write a waiting address into the entry just arrived at (a browser Back).
  const latestWrite = useRef(writeAhead);
  latestWrite.current = writeAhead;
  useEffect(() => () => latestWrite.current(), []);
  const shown = ahead && ahead.base === entry ? ahead : null;
  const route = shown ? shown.route : parseRoute(location.pathname, location.search);
  // Follows the location as it changes, during render (React's pattern for state derived from a prop).
  const [position, setPosition] = useState(() => startPosition(location.key));
  const next = nextPosition(position, location.key, how);
  if (next !== position) setPosition(next);

  // Going anywhere draws the waiting address first (writeAheadNow): written and followed at once
  // by the next navigation, the replaced entry's new key was never seen by the position, so Back
  // to it started a history of its own and Forward was off.
  const go = useCallback(
    (to: Route, opts: { replace?: boolean; from?: Route } = {}) => {
      writeAheadNow();
      void navigate(routePath(to), {
        replace: opts.replace,
        state: opts.from ? ({ from: routePath(opts.from) } satisfies EntryState) : null,
      });
    },
    [navigate, writeAheadNow],
  );
  const back = useCallback(() => {
    writeAheadNow();
    void navigate(-1);
  }, [navigate, writeAheadNow]);
  const forward = useCallback(() => {
    writeAheadNow();
    void navigate(1);
  }, [navigate, writeAheadNow]);
  const canBack = canGoBack(next);
  const canForward = canGoForward(next);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const step = historyKey(e);
      if (step === null || (step === -1 ? !canBack : !canForward)) return;
      e.preventDefault();
      writeAheadNow();
      void navigate(step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, canBack, canForward, writeAheadNow]);

  const fromPath = stateString(location.state, 'from');
  const fromRoute = fromPath === null ? null : parseRoute(...splitPath(fromPath));
  /** The page this one was opened from, and how to return to it (or the model list, when opened directly). */
  const returnTo = {
    label: fromRoute ? backLabel(fromRoute) : 'All models',
    go: () => (fromRoute && canBack ? back() : go(fromRoute ?? modelsRoute({ scope: 'all' }))),
  };

  return { route, key: shown ? shown.id : entry, go, refine, back, forward, canBack, canForward, returnTo };
}

/** A path with its query ("/models?scope=all") as the pathname and search parseRoute takes. */
export function splitPath(path: string): [string, string] {
  const q = path.indexOf('?');
  return q === -1 ? [path, ''] : [path.slice(0, q), path.slice(q)];
}

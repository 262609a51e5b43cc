import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Scroll positions by history entry, so Back returns to where the person was in a list. Kept for
 * the session (sessionStorage) so a reload of the window keeps them too. React Router's own
 * <ScrollRestoration> restores only the window's scroll and needs a data router; here the lists
 * scroll inside their own boxes (the virtualized model table, the page's content area).
 */
const STORE_KEY = 'nmr-delegate.scroll';
const positions = new Map<string, number>(readStored());

function readStored(): [string, number][] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is [string, number] => Array.isArray(e) && typeof e[1] === 'number') : [];
  } catch {
    return [];
  }
}

/**
 * The boxes this page has scrolled or put back. Writing scrollTop makes the browser lay the whole
 * page out there and then, in the middle of React's commit; a box it has never seen is new, so at
 * the top, and one whose position is 0 is left alone (the first screen's list and content box).
 */
const seen = new WeakSet<HTMLElement>();

/** Only the latest entries matter; an old session's positions are dropped. */
const KEEP = 200;

function remember(key: string, top: number) {
  positions.delete(key);
  positions.set(key, top);
  while (positions.size > KEEP) positions.delete(positions.keys().next().value!);
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify([...positions]));
  } catch {
    // A full or unavailable store costs only the restore after a reload.
  }
}

/**
 * Remembers the scroll position of the box `name` (`ref`) in history entry `entry`, and puts it
 * back when that entry is shown again, once `ready` (its content is tall enough to scroll that far). A new entry
 * starts at the top.
 */
export function useScrollMemory(ref: RefObject<HTMLElement | null>, name: string, entry: string, ready: boolean) {
  // Each scrolling box of an entry keeps its own position (the page's content and the list inside it).
  const key = `${name}@${entry}`;
  const restored = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !ready || restored.current === key) return;
    restored.current = key;
    const top = positions.get(key) ?? 0;
    if (top !== 0 || seen.has(el)) el.scrollTop = top;
    seen.add(el);
  }, [ref, key, ready]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Saved only once this entry's own position was put back, so a re-render cannot record a stale one.
    const onScroll = () => restored.current === key && remember(key, el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ref, key]);
}

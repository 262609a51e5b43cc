/**
 * Where the person stands in the app's own history, so the header's Back and Forward can be
 * disabled when there is nowhere to go (the History API does not say). Built only from what the
 * router reports for each location (its key and how it was reached), so it relies on no router
 * internals. A key it has never seen on a Back/Forward (the page was reloaded) starts a new list.
 */
export interface HistoryPosition {
  keys: string[];
  index: number;
}

export type Arrival = 'PUSH' | 'REPLACE' | 'POP';

export function startPosition(key: string): HistoryPosition {
  return { keys: [key], index: 0 };
}

export function nextPosition(at: HistoryPosition, key: string, how: Arrival): HistoryPosition {
  if (at.keys[at.index] === key) return at;
  if (how === 'PUSH') return { keys: [...at.keys.slice(0, at.index + 1), key], index: at.index + 1 };
  if (how === 'REPLACE') return { keys: at.keys.map((k, i) => (i === at.index ? key : k)), index: at.index };
  const found = at.keys.indexOf(key);
  return found === -1 ? startPosition(key) : { keys: at.keys, index: found };
}

export const canGoBack = (at: HistoryPosition) => at.index > 0;
export const canGoForward = (at: HistoryPosition) => at.index < at.keys.length - 1;

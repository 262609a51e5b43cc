import { describe, expect, it } from 'vitest';
import { canGoBack, canGoForward, nextPosition, startPosition } from './history-position';

describe('history position', () => {
  it('has nowhere to go at the start', () => {
    const at = startPosition('a');
    expect(canGoBack(at)).toBe(false);
    expect(canGoForward(at)).toBe(false);
  });

  it('follows pushes, Back and Forward', () => {
    let at = startPosition('a');
    at = nextPosition(at, 'b', 'PUSH');
    at = nextPosition(at, 'c', 'PUSH');
    expect(at).toEqual({ keys: ['a', 'b', 'c'], index: 2 });
    expect([canGoBack(at), canGoForward(at)]).toEqual([true, false]);
    at = nextPosition(at, 'b', 'POP');
    expect([canGoBack(at), canGoForward(at)]).toEqual([true, true]);
    at = nextPosition(at, 'a', 'POP');
    expect([canGoBack(at), canGoForward(at)]).toEqual([false, true]);
    at = nextPosition(at, 'b', 'POP');
    expect(at.index).toBe(1);
  });

  it('drops the forward entries when the person goes somewhere new after a Back', () => {
    let at = nextPosition(nextPosition(startPosition('a'), 'b', 'PUSH'), 'c', 'PUSH');
    at = nextPosition(at, 'b', 'POP');
    at = nextPosition(at, 'd', 'PUSH');
    expect(at).toEqual({ keys: ['a', 'b', 'd'], index: 2 });
    expect(canGoForward(at)).toBe(false);
  });

  it('replaces the current entry in place (a filter typed on the Models page)', () => {
    let at = nextPosition(startPosition('a'), 'b', 'PUSH');
    at = nextPosition(at, 'b2', 'REPLACE');
    expect(at).toEqual({ keys: ['a', 'b2'], index: 1 });
  });

  it('starts over on an entry it never saw (after a reload), and ignores the same key twice', () => {
    const at = nextPosition(startPosition('a'), 'b', 'PUSH');
    expect(nextPosition(at, 'b', 'POP')).toBe(at);
    expect(nextPosition(at, 'zzz', 'POP')).toEqual({ keys: ['zzz'], index: 0 });
  });
});

// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePages, type Page } from './usePages';

// React's act() needs to know it runs in a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Pending = { key: string; offset: number; resolve: (p: Page<string, null>) => void; reject: (e: unknown) => void };
let pending: Pending[];
let container: HTMLElement;
let root: Root;
let shown: { rows: (string | null)[]; total: number | null; busy: boolean; error: string | null };
let prefetch: (key: string) => void;
// Every render's query and busy flag, the ones before an effect runs included.
let renders: { query: string | null; busy: boolean }[];

/** Shows the first `count` rows, as a virtual list draws the rows in view. */
function List({ query, count = 2 }: { query: string | null; count?: number }) {
  const list = usePages<string, null>(
    (offset) => new Promise((resolve, reject) => pending.push({ key: query ?? '', offset, resolve, reject })),
    query,
    2,
  );
  shown = { rows: Array.from({ length: count }, (_, i) => list.row(i)), total: list.total, busy: list.busy, error: list.error };
  renders.push({ query, busy: list.busy });
  prefetch = (key) =>
    list.prefetch(key, (offset) => new Promise((resolve, reject) => pending.push({ key: `${key} (ahead)`, offset, resolve, reject })));
  return null;
}

const page = (rows: string[], total: number): Page<string, null> => ({ rows, total, meta: null });
const asked = (key: string, offset = 0) => pending.find((p) => p.key === key && p.offset === offset)!;
const answer = async (key: string, offset: number, p: Page<string, null>) => act(async () => asked(key, offset).resolve(p));

beforeEach(() => {
  pending = [];
  renders = [];
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

describe('usePages', () => {
  it('keeps the old rows on screen, busy, until a new query’s first page arrives, then shows only the new ones', async () => {
    await act(async () => root.render(<List query="by-name" count={3} />));
    expect(shown).toMatchObject({ total: null, busy: false });
    await answer('by-name', 0, page(['a', 'b'], 3));
    expect(shown.rows).toEqual(['a', 'b', null]); // row 2 is on page 1: asked for
    expect(pending.map((p) => [p.key, p.offset])).toEqual([
      ['by-name', 0],
      ['by-name', 2],
    ]);

    await act(async () => root.render(<List query="by-sharpe" count={3} />));
    // The old rows stay while the new query is asked; none of the old query's pages is asked for.
    expect(shown).toMatchObject({ rows: ['a', 'b', null], total: 3, busy: true });
    expect(pending.slice(2).map((p) => [p.key, p.offset])).toEqual([['by-sharpe', 0]]);
    // The old query's late page changes nothing.
    await answer('by-name', 2, page(['c'], 3));
    expect(shown.rows).toEqual(['a', 'b', null]);

    await answer('by-sharpe', 0, page(['z', 'y'], 2));
    expect(shown).toMatchObject({ rows: ['z', 'y', null], total: 2, busy: false });
  });

  it('is busy from the very render that brings a new query, so the old rows are never read as its answer', async () => {
    await act(async () => root.render(<List query="by-name" />));
    await answer('by-name', 0, page(['a', 'b'], 2));
    await act(async () => root.render(<List query="by-sharpe" />));
    const sharpe = renders.filter((r) => r.query === 'by-sharpe');
    expect(sharpe.length).toBeGreaterThan(0);
    expect(sharpe.every((r) => r.busy)).toBe(true);
    await answer('by-sharpe', 0, page(['z', 'y'], 2));
    expect(renders.at(-1)).toEqual({ query: 'by-sharpe', busy: false });
  });

  it('takes the old rows away when the new query fails, so they never pass for its answer', async () => {
    await act(async () => root.render(<List query="one" />));
    await answer('one', 0, page(['a', 'b'], 2));
    await act(async () => root.render(<List query="two" />));
    expect(shown.busy).toBe(true);
    await act(async () => asked('two').reject(new Error('The app stopped answering.')));
    expect(shown).toMatchObject({ rows: [null, null], total: null, busy: false });
    expect(shown.error).toContain('stopped answering');
  });

  it('shows nothing, not the old rows, for a query that is not complete', async () => {
    await act(async () => root.render(<List query="one" />));
    await answer('one', 0, page(['a', 'b'], 2));
    await act(async () => root.render(<List query={null} />));
    expect(shown).toMatchObject({ rows: [null, null], total: null, busy: false });
    expect(pending).toHaveLength(1);
  });

  it('takes a first page asked for ahead of its query (a sort click) instead of asking again', async () => {
    await act(async () => root.render(<List query="by-name" />));
    await answer('by-name', 0, page(['a', 'b'], 2));
    // Asked for before the render that brings the query: a current key or a superseded one is not taken.
    act(() => prefetch('by-name'));
    act(() => prefetch('by-fee'));
    act(() => prefetch('by-sharpe'));
    expect(pending.map((p) => p.key)).toEqual(['by-name', 'by-fee (ahead)', 'by-sharpe (ahead)']);
    await act(async () => root.render(<List query="by-sharpe" />));
    expect(pending.map((p) => p.key)).toEqual(['by-name', 'by-fee (ahead)', 'by-sharpe (ahead)']);
    expect(shown).toMatchObject({ rows: ['a', 'b'], busy: true });
    await answer('by-sharpe (ahead)', 0, page(['z', 'y'], 2));
    expect(shown).toMatchObject({ rows: ['z', 'y'], total: 2, busy: false });
    // Another query later asks as usual.
    await act(async () => root.render(<List query="by-fee" />));
    expect(pending.at(-1)!.key).toBe('by-fee');
  });

  it('reports a failed page asked for ahead once its query comes', async () => {
    await act(async () => root.render(<List query="by-name" />));
    await answer('by-name', 0, page(['a', 'b'], 2));
    act(() => prefetch('by-sharpe'));
    await act(async () => asked('by-sharpe (ahead)').reject(new Error('main is away')));
    await act(async () => root.render(<List query="by-sharpe" />));
    expect(shown.error).toMatch(/main is away/);
  });
});

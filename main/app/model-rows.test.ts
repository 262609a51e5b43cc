import { describe, expect, it } from 'vitest';
import type { ModelRow, SortKey } from '../../shared/api';
import { queryRows } from '../records';
import { sampleModelRow } from '../../shared/test-support/model-row';
import { listSpark, rowSortValue } from './model-rows';

/** Names in the pool's and the watchlist's order: the records' one sort engine, given each row's figure. */
const order = (rows: ModelRow[], key: Exclude<SortKey, 'name'>, dir: 'asc' | 'desc') =>
  queryRows(rows, { sortBy: rowSortValue(key), sortDir: dir, limit: rows.length }).rows.map((r) => r.name);

const row = (name: string, over: Partial<ModelRow>): ModelRow => sampleModelRow({ name, ...over });

describe('pool rows through the one sort engine', () => {
  // Amounts past 2^53 wei: a Number comparison would call these two equal.
  const a = row('a', { capacityLeftWei: '9007199254740993000', delegatedWei: '9007199254740993' });
  const b = row('b', { capacityLeftWei: '9007199254740992000', delegatedWei: '9007199254740992' });
  const none = row('c', { capacityLeftWei: null });

  it('sorts room left exactly, both ways, with models outside the pool last', () => {
    expect(order([none, a, b], 'capacityLeftWei', 'asc')).toEqual(['b', 'a', 'c']);
    expect(order([none, b, a], 'capacityLeftWei', 'desc')).toEqual(['a', 'b', 'c']);
  });

  it('sorts delegated NMR exactly and figures with nulls last', () => {
    expect(order([a, b], 'delegatedWei', 'asc')).toEqual(['b', 'a']);
    const x = row('x', { sharpe: 1.5 });
    const y = row('y', { sharpe: -0.5 });
    const z = row('z', { sharpe: null });
    expect(order([z, x, y], 'sharpe', 'desc')).toEqual(['x', 'y', 'z']);
    expect(order([z, x, y], 'sharpe', 'asc')).toEqual(['y', 'x', 'z']);
  });
});

describe('listSpark', () => {
  it('keeps each point of a list row’s sparkline to 2 decimals, the line’s shape unchanged', () => {
    expect(listSpark([0, 1.23456, -7.891, 100, 2.5])).toEqual([0, 1.23, -7.89, 100, 2.5]);
    expect(listSpark([])).toEqual([]);
  });
});

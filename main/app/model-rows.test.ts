import { describe, expect, it } from 'vitest';
import type { ModelRow, SortKey } from '../../shared/api';
import { queryRows } from '../records';
import { sampleModelRow } from '../../shared/test-support/model-row';
import { listSpark, modelRow, noRecordRow, rowSortValue } from './model-rows';
import type { OnChainModel } from './chain-session';

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

describe('a row’s operator fee', () => {
  const pool: OnChainModel = { modelId: 4, name: 'm', operator: '0x01', feeBps: 500, capWei: 10n, stakeWei: 0n, pendingInWei: 0n };
  // A record of Numerai's names no fee (it holds 0); the demo's generated records do name one.
  const numerai = { ...noRecordRow('m'), isDemo: false };
  const demo = { ...noRecordRow('m'), isDemo: true, feeBps: 1750 };

  it('is the pool’s for a pool model, whatever its record says', () => {
    expect(modelRow(numerai, pool, [], false).feeBps).toBe(500);
    expect(modelRow(demo, pool, [], true).feeBps).toBe(500);
    expect(modelRow(numerai, { ...pool, feeBps: 0 }, [], false).feeBps).toBe(0);
  });

  it('outside the pool is the demo record’s, 0 included, and unknown for a record of Numerai’s', () => {
    expect(modelRow(demo, undefined, [], true).feeBps).toBe(1750);
    expect(modelRow({ ...demo, feeBps: 0 }, undefined, [], true).feeBps).toBe(0);
    expect(modelRow(numerai, undefined, [], false).feeBps).toBeNull();
  });

  it('unknown fails a fee filter as a missing figure does', () => {
    const rows = [row('known', { feeBps: 200 }), row('unknown', { feeBps: null })];
    expect(queryRows(rows, { sortBy: 'name', sortDir: 'asc', filter: { maxFeeBps: 1000 } }).rows.map((r) => r.name)).toEqual(['known']);
    expect(order(rows, 'feeBps', 'desc')).toEqual(['known', 'unknown']);
  });
});

describe('listSpark', () => {
  it('keeps each point of a list row’s sparkline to 2 decimals, the line’s shape unchanged', () => {
    expect(listSpark([0, 1.23456, -7.891, 100, 2.5])).toEqual([0, 1.23, -7.89, 100, 2.5]);
    expect(listSpark([])).toEqual([]);
  });
});

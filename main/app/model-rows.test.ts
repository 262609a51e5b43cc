import { describe, expect, it } from 'vitest';
import type { ModelRow } from '../../shared/api';
import { compareRows } from './model-rows';

const row = (name: string, over: Partial<ModelRow>): ModelRow => ({
  name,
  modelId: 1,
  isDemo: true,
  tournament: 'classic',
  feeBps: 0,
  capWei: null,
  delegatedWei: '0',
  capacityLeftWei: null,
  rounds: 10,
  return20Pct: null,
  return3mPct: null,
  return1yPct: null,
  sharpe: null,
  maxDrawdownPct: null,
  maxDrawdownRounds: null,
  meanReturnPct: null,
  volatilityPct: null,
  hitRatePct: null,
  numeraiStakeNmr: '0',
  riskLabels: [],
  spark: [],
  watched: false,
  ...over,
});

describe('compareRows', () => {
  // Amounts past 2^53 wei: a Number comparison would call these two equal.
  const a = row('a', { capacityLeftWei: '9007199254740993000', delegatedWei: '9007199254740993' });
  const b = row('b', { capacityLeftWei: '9007199254740992000', delegatedWei: '9007199254740992' });
  const none = row('c', { capacityLeftWei: null });

  it('sorts room left exactly, both ways, with models outside the pool last', () => {
    expect([none, a, b].sort(compareRows('capacityLeftWei', 'asc')).map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect([none, b, a].sort(compareRows('capacityLeftWei', 'desc')).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('sorts delegated NMR exactly and figures with nulls last', () => {
    expect([a, b].sort(compareRows('delegatedWei', 'asc')).map((r) => r.name)).toEqual(['b', 'a']);
    const x = row('x', { sharpe: 1.5 });
    const y = row('y', { sharpe: -0.5 });
    const z = row('z', { sharpe: null });
    expect([z, x, y].sort(compareRows('sharpe', 'desc')).map((r) => r.name)).toEqual(['x', 'y', 'z']);
    expect([z, x, y].sort(compareRows('sharpe', 'asc')).map((r) => r.name)).toEqual(['y', 'x', 'z']);
  });
});

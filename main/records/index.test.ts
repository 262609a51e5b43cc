import { describe, expect, it } from 'vitest';
import { TrackRecordError, createDemoRecords, createRecordsService, demoModelReturnAt, demoModels, modelDetail } from './index';
import { handSet } from './test-support/hand-sets';

describe('records service', () => {
  const set = createDemoRecords({ models: 500 });
  const svc = createRecordsService({ set });
  const name = set.models[3]!.name;

  it('lists, summarises and charts a model by name', () => {
    const page = svc.list({ sortBy: 'sharpe', sortDir: 'desc', limit: 10 });
    expect(page.total).toBe(500);
    expect(page.rows).toHaveLength(10);
    const sharpe = page.rows.map((r) => r.sharpe!);
    expect([...sharpe].sort((a, b) => b - a)).toEqual(sharpe);

    const s = svc.summary(name)!;
    expect(s.rounds).toBe(set.offsets[4]! - set.offsets[3]!);
    expect(s.spark.length).toBeLessThanOrEqual(60);
    expect(svc.summary('nobody')).toBeNull();

    const series = svc.series(name, 50);
    expect(series.length).toBe(Math.min(50, s.rounds));
    expect(Object.keys(series[0]!).sort()).toEqual(['cumulativePct', 'returnPct', 'round']);
    expect(series.at(-1)!.cumulativePct).toBeCloseTo(
      svc.list({ filter: { nameContains: name }, sortBy: 'name' }).rows.find((r) => r.name === name)!.returnAllPct!,
      9,
    );
  });

  it('detail keeps the first and last round and says how many there were', () => {
    const d = svc.detail(name, { maxPoints: 30 });
    const full = modelDetail(set, name, { maxPoints: 100_000 });
    expect(d.series[0]).toEqual(full.series[0]);
    expect(d.series.at(-1)).toEqual(full.series.at(-1));
    expect(d.totalPoints).toBe(full.series.length);
    expect(d.model).toEqual(full.model);
    expect(() => svc.detail('nobody')).toThrow(TrackRecordError);
  });

  it('correlation and backtest come back JSON-safe', () => {
    const names = set.models.slice(0, 3).map((m) => m.name);
    const c = svc.correlation(names);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.matrix[0]![0]).toBe(1);

    const b = svc.backtest({ fromRound: 1400, allocations: [{ name: names[0]!, amountWei: 10n ** 18n }] });
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
    expect(b.totalPrincipalWei).toBe('1000000000000000000');
    expect(b.rounds[0]).toBe(1400);
  });

  it('a backtest of demo results replays exactly what the local chain is sent', () => {
    const spec = demoModels(1)[0]!;
    const b = svc.backtest({ fromRound: 1450, allocations: [{ name: spec.name, amountWei: 10n ** 18n }] });
    b.rounds.forEach((round, k) => {
      if (k === 0) return;
      expect(b.models[0]!.appliedBps[k]).toBe(demoModelReturnAt(spec.name, round));
    });
  });
});

describe('records service over a hand-made set', () => {
  it('honours asOf', () => {
    const set = handSet([{ name: 'a', returns: [100, 100], daysAgo: [10, 5] }]);
    expect(createRecordsService({ set }).summary('a')!.return1yPct).toBeCloseTo(2.01, 10);
    // Two years later nothing is inside the 1-year window.
    expect(createRecordsService({ set, asOfMs: set.asOfMs + 2 * 365 * 86_400_000 }).summary('a')!.return1yPct).toBeNull();
  });
});

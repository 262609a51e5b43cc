import { describe, expect, it } from 'vitest';
import { createDemoRecordsService } from './demo-records';
import { createRecordsService, type SortKey } from './index';
import { generateDemoRecords } from './demo-source';

const NMR = 10n ** 18n;

describe('the demo records without their rows in memory', () => {
  const opts = { models: 600 };
  const whole = createRecordsService({ set: generateDemoRecords(opts) });
  const lazy = createDemoRecordsService(opts);
  const names = whole.set.models.map((m) => m.name);

  it('lists exactly what the whole world lists, in every sort and filter', () => {
    for (const sortBy of ['name', 'return1yPct', 'sharpe', 'maxDrawdownPct', 'currentStakeNmr', 'rounds'] as SortKey[]) {
      for (const sortDir of ['asc', 'desc'] as const) {
        const q = { sortBy, sortDir, offset: 37, limit: 200, filter: { nameContains: 'a', minRounds: 50 } };
        expect(lazy.list(q)).toEqual(whole.list(q));
      }
    }
    expect(lazy.list({ limit: 1 }).total).toBe(600);
    expect(Array.from(lazy.table.columns.sharpe)).toEqual(Array.from(whole.table.columns.sharpe));
  });

  it('answers a model page, a summary, a comparison and a "what if" with the same numbers', () => {
    const [a, b, c] = [names[3]!, names[250]!, names[599]!];
    expect(lazy.summary(a, 40)).toEqual(whole.summary(a, 40));
    expect(lazy.series(b, 100)).toEqual(whole.series(b, 100));
    expect(lazy.detail(c, { maxPoints: 300 })).toEqual(whole.detail(c, { maxPoints: 300 }));
    expect(lazy.correlation([a, b, c])).toEqual(whole.correlation([a, b, c]));
    const input = {
      fromRound: 1000,
      allocations: [
        { name: a, amountWei: 100n * NMR },
        { name: c, amountWei: 250n * NMR },
      ],
    };
    expect(lazy.backtest(input)).toEqual(whole.backtest(input));
    expect(lazy.has(a)).toBe(true);
    expect(lazy.has('not_a_demo_model')).toBe(false);
    expect(lazy.summary('not_a_demo_model')).toBeNull();
    expect(() => lazy.detail('not_a_demo_model')).toThrow(/unknown model/);
  });

  it('keeps no rows: its set holds the models only', () => {
    expect(lazy.set.models).toHaveLength(600);
    expect(lazy.set.rounds).toHaveLength(0);
    expect(whole.set.rounds.length).toBeGreaterThan(100_000);
  });
});

import { describe, expect, it } from 'vitest';
import { API, HISTORY_KINDS } from '../../../../shared/api';
import { filterOf, isFiltered, NO_FILTER, yearsOf } from './filters';
import { KIND_CHOICES, KIND_WORDS } from './kinds';

describe('the History screen’s filters', () => {
  it('turn the controls into one filter that both history.entries and history.export accept', () => {
    const c = { ...NO_FILTER, modelId: 7, kindChoice: 'results', period: 'year' as const, year: 2026 };
    const f = filterOf(c);
    expect(f).toEqual({ modelIds: [7], kinds: ['payout', 'fee', 'burn'], allAccounts: false, fromDay: '2026-01-01', toDay: '2026-12-31' });
    expect(API['history.entries'].input.parse(f)).toMatchObject(f as object);
    expect(API['history.export'].input.parse({ ...(f as object), exportId: 'abcdefgh', format: 'csv' })).toMatchObject(f as object);
    expect(filterOf(NO_FILTER)).toEqual({ modelIds: null, kinds: null, allAccounts: false, fromDay: null, toDay: null });
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered(c)).toBe(true);
  });

  it('say what to fix in a period between two days', () => {
    const range = { ...NO_FILTER, period: 'range' as const };
    expect(filterOf(range)).toBe('Choose a first day, a last day, or both.');
    expect(filterOf({ ...range, fromDay: '2026-03-02', toDay: '2026-03-01' })).toBe('The first day comes after the last day.');
    expect(filterOf({ ...range, fromDay: '2026-03-01' })).toMatchObject({ fromDay: '2026-03-01', toDay: null });
  });

  it('offer the years of the history, newest first, this year at least', () => {
    const now = new Date('2026-12-05T00:00:00Z');
    expect(yearsOf('2024-05-01', '2025-01-01', now)).toEqual([2026, 2025, 2024]);
    expect(yearsOf(null, null, now)).toEqual([2026]);
  });

  it('name every kind of entry in words; every kind a holder acts on can be chosen, alone or in a group', () => {
    for (const k of HISTORY_KINDS) expect(KIND_WORDS[k].text(12)).not.toMatch(/_/);
    expect(KIND_WORDS.staked.text(812)).toBe('Staked in round 812');
    const chosen = new Set(KIND_CHOICES.flatMap((c) => c.kinds ?? []));
    for (const k of HISTORY_KINDS.filter((k) => k !== 'shares_issued' && k !== 'rounding')) expect(chosen).toContain(k);
  });
});

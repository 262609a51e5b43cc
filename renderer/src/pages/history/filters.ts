import type { ApiInput } from '../../../../shared/api';
import { KIND_CHOICES } from './kinds';

/** The screen's filters as history.entries and history.export both take them. */
export type ScreenFilter = Required<Pick<ApiInput<'history.entries'>, 'fromDay' | 'toDay' | 'modelIds' | 'kinds' | 'allAccounts'>>;

/** What the filter bar's controls hold. */
export interface FilterChoice {
  modelId: number | null;
  kindChoice: string;
  period: 'all' | 'year' | 'range';
  year: number;
  /** YYYY-MM-DD or '' (the date inputs' value). */
  fromDay: string;
  toDay: string;
  allAccounts: boolean;
}

export const NO_FILTER: FilterChoice = {
  modelId: null,
  kindChoice: 'all',
  period: 'all',
  year: new Date().getUTCFullYear(),
  fromDay: '',
  toDay: '',
  allAccounts: false,
};

/** The filter the controls describe, or a sentence saying what to fix. */
export function filterOf(c: FilterChoice): ScreenFilter | string {
  const kinds = KIND_CHOICES.find((k) => k.id === c.kindChoice)?.kinds ?? null;
  const base = { modelIds: c.modelId === null ? null : [c.modelId], kinds, allAccounts: c.allAccounts };
  if (c.period === 'all') return { ...base, fromDay: null, toDay: null };
  if (c.period === 'year') return { ...base, fromDay: `${c.year}-01-01`, toDay: `${c.year}-12-31` };
  if (!c.fromDay && !c.toDay) return 'Choose a first day, a last day, or both.';
  if (c.fromDay && c.toDay && c.fromDay > c.toDay) return 'The first day comes after the last day.';
  return { ...base, fromDay: c.fromDay || null, toDay: c.toDay || null };
}

/** Whether the controls narrow the list at all (an empty list then means "nothing yet"). */
export const isFiltered = (c: FilterChoice) => c.modelId !== null || c.kindChoice !== 'all' || c.period !== 'all';

/** The years a history from `firstDay` to `lastDay` spans (this year at least), newest first. */
export function yearsOf(firstDay: string | null, lastDay: string | null, now = new Date()): number[] {
  const thisYear = now.getUTCFullYear();
  const first = firstDay ? Number(firstDay.slice(0, 4)) : thisYear;
  const last = Math.max(thisYear, lastDay ? Number(lastDay.slice(0, 4)) : thisYear);
  return Array.from({ length: last - first + 1 }, (_, i) => last - i);
}

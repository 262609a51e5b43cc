/**
 * What every export shares: the formats history.export offers, the filter, progress and result
 * shapes, the date forms and Koinly's columns. The writer is staking-export.ts (columns in README.md).
 */
import type { ApiParsedInput } from '../../shared/api';

/** The formats history.export offers (the contract's list). */
export type ExportFormat = ApiParsedInput<'history.export'>['format'];

export interface ExportFilter {
  /** Rows at or after this time (ms since the epoch, UTC). */
  fromMs?: number | null;
  /** Rows before this time. */
  toMs?: number | null;
  modelIds?: number[] | null;
  accounts?: string[] | null;
}

export interface ExportProgress {
  phase: 'index' | 'timestamps' | 'ledger' | 'write';
  done: number;
  total: number;
}

export interface WriteResult {
  rows: number;
  bytes: number;
}

export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Koinly's date form: `2025-03-14 09:30:05 UTC`. */
export function koinlyDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export const KOINLY_COLUMNS = [
  'Date',
  'Sent Amount',
  'Sent Currency',
  'Received Amount',
  'Received Currency',
  'Fee Amount',
  'Fee Currency',
  'Net Worth Amount',
  'Net Worth Currency',
  'Label',
  'Description',
  'TxHash',
] as const;

/** Whether a row of (account, model, time) is in an export with this filter. */
export function rowFilter(f: {
  fromMs?: number | null;
  toMs?: number | null;
  modelIds?: readonly number[] | null;
  accounts?: readonly string[] | null;
}): (account: string, modelId: number, timeMs: number) => boolean {
  const acc = f.accounts ? new Set(f.accounts.map((a) => a.toLowerCase())) : null;
  const mods = f.modelIds ? new Set(f.modelIds) : null;
  const from = f.fromMs ?? null;
  const to = f.toMs ?? null;
  return (account, modelId, timeMs) =>
    (!acc || acc.has(account)) && (!mods || mods.has(modelId)) && (from === null || timeMs >= from) && (to === null || timeMs < to);
}

/**
 * The History screen's list (`history.entries`): the StakingPool ledger's rows an export with the
 * same filters holds (staking-export.ts's `stakingRowKeep`, so the screen and the file never
 * disagree), a page at a time, newest or oldest first, and the totals of all of them per position
 * (account and model), in exact bigint wei.
 */
import type { HistoryEntriesQuery, HistoryEntryWei, HistoryPageWei, HistoryPositionTotalsWei, HistoryTotalsWei } from '../../shared/api';
import { rowFilter } from './export';
import { stakingRowKeep, type StakingRowSelection } from './staking-export';
import type { StakingLedger, StakingLedgerRow } from './staking-ledger';

/** The screen's query as main reads it: times instead of days, the accounts resolved. */
export interface StakingEntriesQuery extends Omit<StakingRowSelection, 'timeMs'>, Pick<HistoryEntriesQuery, 'order' | 'offset' | 'limit'> {
  /** Rows of blocks after this one are left out (a later page keeps its list's first block). */
  asOfBlock: number;
}

/** The query as callers give it: `asOfBlock` null reads the newest the index has. */
export type StakingEntriesRequest = Omit<StakingEntriesQuery, 'asOfBlock'> & { asOfBlock: number | null };

interface Selection {
  /** In chain order. */
  rows: StakingLedgerRow[];
  positions: HistoryPositionTotalsWei[];
  overall: HistoryTotalsWei;
}

const emptyTotals = (): HistoryTotalsWei => ({
  entries: 0,
  delegatedWei: 0n,
  cancelledWei: 0n,
  withdrawnWei: 0n,
  payoutWei: 0n,
  feeWei: 0n,
  burnWei: 0n,
  roundingWei: 0n,
  resultWei: 0n,
  valueChangeWei: 0n,
  valueAtStartWei: 0n,
  valueAtEndWei: 0n,
});

/** Adds one row to a set's totals. Outflows and losses are negative in the ledger, magnitudes here. */
function count(t: HistoryTotalsWei, r: StakingLedgerRow) {
  t.entries++;
  t.valueChangeWei += r.valueChangeWei;
  switch (r.type) {
    case 'delegated':
      t.delegatedWei += r.amountWei;
      break;
    case 'deposit_cancelled':
      t.cancelledWei -= r.amountWei;
      break;
    case 'withdrawn':
      t.withdrawnWei -= r.amountWei;
      break;
    case 'payout':
      t.payoutWei += r.amountWei;
      t.resultWei += r.amountWei;
      break;
    case 'fee':
      t.feeWei -= r.amountWei;
      t.resultWei += r.amountWei;
      break;
    case 'burn':
      t.burnWei -= r.amountWei;
      t.resultWei += r.amountWei;
      break;
    case 'rounding':
      t.roundingWei += r.amountWei;
      t.resultWei += r.amountWei;
      break;
    default:
      break;
  }
}

/** Every amount of the totals: a set's totals are its positions' added up. */
const AMOUNTS = [
  'delegatedWei',
  'cancelledWei',
  'withdrawnWei',
  'payoutWei',
  'feeWei',
  'burnWei',
  'roundingWei',
  'resultWei',
  'valueChangeWei',
  'valueAtStartWei',
  'valueAtEndWei',
] as const satisfies readonly (keyof HistoryTotalsWei)[];

function addTotals(into: HistoryTotalsWei, t: HistoryTotalsWei) {
  into.entries += t.entries;
  for (const k of AMOUNTS) into[k] += t[k];
}

const nameOf = (ledger: StakingLedger, id: number) => ledger.models.get(id)?.name ?? `#${id}`;

/**
 * The rows and totals of a query, in one pass over the ledger. A position's value at the start is
 * its value after its last row before the period; at the end, after its last row in it (of any
 * kind: the kind filter picks entries, not the position's value).
 */
function select(ledger: StakingLedger, timeMs: (block: number) => number, q: StakingEntriesQuery): Selection {
  const keep = stakingRowKeep({ ...q, timeMs });
  const ofPosition = rowFilter({ accounts: q.accounts, modelIds: q.modelIds });
  const from = q.fromMs ?? null;
  const to = q.toMs ?? null;
  const rows: StakingLedgerRow[] = [];
  const positions = new Map<string, HistoryPositionTotalsWei>();
  const atStart = new Map<string, bigint>();
  const atEnd = new Map<string, bigint>();
  for (const r of ledger.rows) {
    if (r.block > q.asOfBlock) break;
    const t = timeMs(r.block);
    if (!ofPosition(r.holder, r.modelId, t)) continue;
    const k = `${r.holder}:${r.modelId}`;
    if (from !== null && t < from) atStart.set(k, r.after.valueWei);
    else if (to === null || t < to) atEnd.set(k, r.after.valueWei);
    if (!keep(r)) continue;
    rows.push(r);
    let p = positions.get(k);
    if (!p) {
      p = { ...emptyTotals(), account: r.holder, modelId: r.modelId, model: nameOf(ledger, r.modelId) };
      positions.set(k, p);
    }
    count(p, r);
  }
  const overall = emptyTotals();
  for (const [k, p] of positions) {
    p.valueAtStartWei = atStart.get(k) ?? 0n;
    p.valueAtEndWei = atEnd.get(k) ?? p.valueAtStartWei;
    addTotals(overall, p);
  }
  const list = [...positions.values()].sort((a, b) => a.model.localeCompare(b.model) || a.account.localeCompare(b.account));
  return { rows, positions: list, overall };
}

/** The last selection per ledger: scrolling asks for page after page of the same list. */
const cache = new WeakMap<StakingLedger, { key: string; selection: Selection }>();

function cachedSelect(ledger: StakingLedger, timeMs: (block: number) => number, q: StakingEntriesQuery): Selection {
  const key = JSON.stringify([q.fromMs, q.toMs, q.accounts, q.modelIds, q.kinds, q.asOfBlock]);
  const hit = cache.get(ledger);
  if (hit?.key === key) return hit.selection;
  const selection = select(ledger, timeMs, q);
  cache.set(ledger, { key, selection });
  return selection;
}

function entryOf(ledger: StakingLedger, r: StakingLedgerRow, timeMs: number): HistoryEntryWei {
  return {
    timeMs,
    account: r.holder,
    modelId: r.modelId,
    model: nameOf(ledger, r.modelId),
    kind: r.type,
    roundId: r.roundId,
    amountWei: r.amountWei,
    valueChangeWei: r.valueChangeWei,
    valueAfterWei: r.after.valueWei,
    txHash: r.txHash,
    block: r.block,
    logIndex: r.logIndex,
  };
}

/** One page of the entries a query selects, with the totals of all of them. */
export function stakingEntries(ledger: StakingLedger, timeMs: (block: number) => number, q: StakingEntriesQuery): HistoryPageWei {
  const s = cachedSelect(ledger, timeMs, q);
  const n = s.rows.length;
  const page: HistoryEntryWei[] = [];
  for (let i = q.offset; i < Math.min(n, q.offset + q.limit); i++) {
    const r = s.rows[q.order === 'newest' ? n - 1 - i : i]!;
    page.push(entryOf(ledger, r, timeMs(r.block)));
  }
  return { total: n, offset: q.offset, rows: page, positions: s.positions, overall: { ...s.overall }, asOfBlock: q.asOfBlock };
}

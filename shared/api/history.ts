import { z } from 'zod';
import { SignedWei, SignedWeiString, Wei, WeiString } from '../money';
import { Address, Day, ModelId, ModelName, Round, TxHash } from './primitives';

/**
 * The kinds of entry in a holder's history: the StakingPool ledger's row types (rules in
 * main/history/README.md), named once for the ledger, its exports and the History screen.
 * `staked` is the holder's part of a tranche staked in a Numerai round (no value change);
 * `rounding` a value change the holder did not cause (the pool's rounding of other holders' conversions).
 */
export const HISTORY_KINDS = [
  'delegated',
  'deposit_cancelled',
  'shares_issued',
  'exit_requested',
  'exit_settled',
  'withdrawn',
  'staked',
  'payout',
  'fee',
  'burn',
  'rounding',
] as const;
export const HistoryKind = z.enum(HISTORY_KINDS);
export type HistoryKind = z.infer<typeof HistoryKind>;

/** At most this many entries per `history.entries` page. */
export const HISTORY_PAGE_MAX = 500;

/** Which entries: the History screen's filters, which its export takes as they are. */
export const HistoryFilter = z.strictObject({
  /** First and last UTC day included; null for the whole history. */
  fromDay: Day.nullable().default(null),
  toDay: Day.nullable().default(null),
  /** Only these models; null for all. */
  modelIds: z.array(ModelId).min(1).max(10_000).nullable().default(null),
  /** Only these kinds; null for all. */
  kinds: z.array(HistoryKind).min(1).max(HISTORY_KINDS.length).nullable().default(null),
  /** Every account of the wallet, or only the one in use. */
  allAccounts: z.boolean().default(false),
});
export type HistoryFilter = z.output<typeof HistoryFilter>;

const Count = z.number().int().nonnegative();

/**
 * One entry and the totals of a set of entries, defined once over the amount's form (as in
 * returns.ts): the wire form holds decimal strings of wei, the `…Wei` form bigints, and
 * `.encode(…)` turns main's figures into the wire form. Amounts are signed where the ledger's are
 * (a withdrawal or a burn is negative); the sums of one kind are magnitudes.
 */
function historyOf<A extends z.ZodType, S extends z.ZodType>(amount: A, signed: S) {
  const entry = z.strictObject({
    timeMs: Count,
    account: Address,
    modelId: ModelId,
    model: ModelName,
    kind: HistoryKind,
    /** The Numerai round of a stake or its result, or an exit's unlock round. */
    roundId: Round.nullable(),
    amountWei: signed,
    /** How the position's value changed with this entry. */
    valueChangeWei: signed,
    /** The position's value right after it. */
    valueAfterWei: amount,
    txHash: TxHash,
    block: Count,
    logIndex: Count,
  });
  const totals = z.strictObject({
    entries: Count,
    delegatedWei: amount,
    cancelledWei: amount,
    withdrawnWei: amount,
    payoutWei: amount,
    feeWei: amount,
    burnWei: amount,
    roundingWei: signed,
    /** payout − fee − burn + rounding: what the rounds earned or lost. */
    resultWei: signed,
    /** The sum of the entries' value changes. */
    valueChangeWei: signed,
    /** The value at the start and at the end of the period (whatever kinds are shown). */
    valueAtStartWei: amount,
    valueAtEndWei: amount,
  });
  const position = totals.extend({ account: Address, modelId: ModelId, model: ModelName });
  const page = z.strictObject({
    /** Entries matching the filters (all pages). */
    total: Count,
    offset: Count,
    rows: z.array(entry).max(HISTORY_PAGE_MAX),
    /** Per position (account and model) with an entry matching the filters, and all of them together. */
    positions: z.array(position).max(10_000),
    overall: totals,
    /** The block the history is read at: later pages of the same list ask for it. */
    asOfBlock: Count,
  });
  return { entry, totals, position, page };
}

const wire = historyOf(WeiString, SignedWeiString);
const wei = historyOf(Wei, SignedWei);

export const HistoryEntry = wire.entry;
export type HistoryEntry = z.output<typeof HistoryEntry>;
export const HistoryTotals = wire.totals;
export type HistoryTotals = z.output<typeof HistoryTotals>;
export const HistoryPositionTotals = wire.position;
export type HistoryPositionTotals = z.output<typeof HistoryPositionTotals>;
export const HistoryPage = wire.page;
export type HistoryPage = z.output<typeof HistoryPage>;

export const HistoryPageWei = wei.page;
export type HistoryPageWei = z.output<typeof HistoryPageWei>;
export type HistoryEntryWei = z.output<typeof wei.entry>;
export type HistoryTotalsWei = z.output<typeof wei.totals>;
export type HistoryPositionTotalsWei = z.output<typeof wei.position>;

/** What `history.entries` asks: the filters, the order, a page, and the block of the list's first page. */
export const HistoryEntriesQuery = HistoryFilter.extend({
  order: z.enum(['newest', 'oldest']).default('newest'),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(200),
  /** Read as of this block (a later page of a list keeps its first page's); null: the newest. */
  asOfBlock: Count.nullable().default(null),
});
export type HistoryEntriesQuery = z.output<typeof HistoryEntriesQuery>;

import { describe, expect, it } from 'vitest';
import { HistoryPageWei, type HistoryKind } from '../../shared/api';
import { stakingEntries, type StakingEntriesQuery } from './staking-entries';
import { selectStakingRows } from './staking-export';
import type { StakingLedger, StakingLedgerRow, StakingModelBook } from './staking-ledger';

const E18 = 10n ** 18n;
const A = '0x00000000000000000000000000000000000000aa';
const B = '0x00000000000000000000000000000000000000bb';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
/** Block n is n days after 2026-01-01. */
const timeMs = (block: number) => T0 + block * DAY;

/**
 * A hand-written ledger whose figures are round numbers: the entries' paging, filters and totals
 * are checked against sums done by hand, not against the ledger's share arithmetic.
 */
function ledger(): StakingLedger {
  const value = new Map<string, bigint>();
  const rows: StakingLedgerRow[] = [];
  const row = (
    block: number,
    holder: string,
    modelId: number,
    type: HistoryKind,
    nmr: bigint,
    moves = true,
    roundId: number | null = null,
  ) => {
    const k = `${holder}:${modelId}`;
    const change = moves ? nmr : 0n;
    const after = (value.get(k) ?? 0n) + change;
    value.set(k, after);
    rows.push({
      block,
      logIndex: rows.length,
      txHash: `0x${(rows.length + 1).toString(16).padStart(64, '0')}`,
      holder,
      modelId,
      type,
      roundId,
      batch: null,
      amountWei: nmr,
      valueChangeWei: change,
      sharesDelta: 0n,
      after: { shares: 0n, pendingDepositWei: 0n, exitingShares: 0n, unlockRound: 0, withdrawableWei: 0n, valueWei: after },
    });
  };
  row(1, A, 1, 'delegated', 1000n * E18);
  row(1, B, 1, 'delegated', 3000n * E18);
  row(2, A, 1, 'shares_issued', 1000n * E18, false);
  row(3, A, 1, 'staked', 250n * E18, false, 100);
  row(4, A, 1, 'payout', 50n * E18, true, 100);
  row(4, A, 1, 'fee', -5n * E18, true, 100);
  row(4, B, 1, 'payout', 150n * E18, true, 100);
  row(4, B, 1, 'fee', -15n * E18, true, 100);
  row(5, A, 1, 'staked', 250n * E18, false, 101);
  row(5, A, 2, 'delegated', 500n * E18);
  row(6, A, 1, 'burn', -100n * E18, true, 101);
  row(6, B, 1, 'burn', -300n * E18, true, 101);
  row(6, B, 1, 'rounding', 1n);
  row(6, A, 2, 'deposit_cancelled', -500n * E18);
  row(7, A, 1, 'exit_requested', 300n * E18, false, 102);
  row(7, A, 2, 'delegated', 200n * E18);
  row(8, A, 1, 'exit_settled', 300n * E18, false);
  row(9, A, 1, 'withdrawn', -300n * E18);
  const book = (name: string) => ({ name }) as StakingModelBook;
  return {
    rows,
    positions: new Map(),
    models: new Map([
      [1, book('alpha')],
      [2, book('beta')],
    ]),
    rounds: [],
  };
}

const query = (q: Partial<StakingEntriesQuery> = {}): StakingEntriesQuery => ({
  order: 'newest',
  offset: 0,
  limit: 200,
  asOfBlock: 100,
  ...q,
});

describe('stakingEntries', () => {
  it('pages through every entry newest first (or oldest first), the same list page after page', () => {
    const l = ledger();
    const pages = [0, 7, 14].map((offset) => stakingEntries(l, timeMs, query({ offset, limit: 7 })));
    expect(pages.map((p) => [p.total, p.offset, p.rows.length])).toEqual([
      [18, 0, 7],
      [18, 7, 7],
      [18, 14, 4],
    ]);
    const newest = pages.flatMap((p) => p.rows.map((r) => r.txHash));
    expect(newest).toEqual(l.rows.map((r) => r.txHash).reverse());
    const oldest = stakingEntries(l, timeMs, query({ order: 'oldest' }));
    expect(oldest.rows.map((r) => r.txHash)).toEqual(l.rows.map((r) => r.txHash));
    expect(oldest.rows[0]).toEqual({
      timeMs: T0 + DAY,
      account: A,
      modelId: 1,
      model: 'alpha',
      kind: 'delegated',
      roundId: null,
      amountWei: 1000n * E18,
      valueChangeWei: 1000n * E18,
      valueAfterWei: 1000n * E18,
      txHash: l.rows[0]!.txHash,
      block: 1,
      logIndex: 0,
    });
    expect(stakingEntries(l, timeMs, query({ offset: 18 })).rows).toEqual([]);
    // What crosses to the renderer passes the contract's schema, wei as decimal strings.
    const wire = HistoryPageWei.encode(pages[0]!);
    expect(wire.overall.burnWei).toBe('400000000000000000000');
    expect(wire.rows[0]!.amountWei).toBe('-300000000000000000000');
  });

  it('totals each position to the wei: delegated, cancelled, paid, fees, burned, withdrawn, the result and the value', () => {
    const page = stakingEntries(ledger(), timeMs, query({ limit: 1 }));
    const byKey = new Map(page.positions.map((p) => [`${p.account}:${p.modelId}`, p]));
    expect(page.positions.map((p) => `${p.model}:${p.account.slice(-2)}`)).toEqual(['alpha:aa', 'alpha:bb', 'beta:aa']);
    expect(byKey.get(`${A}:1`)).toEqual({
      account: A,
      modelId: 1,
      model: 'alpha',
      entries: 10,
      delegatedWei: 1000n * E18,
      cancelledWei: 0n,
      withdrawnWei: 300n * E18,
      payoutWei: 50n * E18,
      feeWei: 5n * E18,
      burnWei: 100n * E18,
      roundingWei: 0n,
      resultWei: -55n * E18,
      valueChangeWei: 645n * E18,
      valueAtStartWei: 0n,
      valueAtEndWei: 645n * E18,
    });
    expect(byKey.get(`${B}:1`)).toMatchObject({
      entries: 5,
      resultWei: -165n * E18 + 1n,
      roundingWei: 1n,
      valueAtEndWei: 2835n * E18 + 1n,
    });
    expect(byKey.get(`${A}:2`)).toMatchObject({ delegatedWei: 700n * E18, cancelledWei: 500n * E18, valueAtEndWei: 200n * E18 });
    expect(page.overall).toEqual({
      entries: 18,
      delegatedWei: 4700n * E18,
      cancelledWei: 500n * E18,
      withdrawnWei: 300n * E18,
      payoutWei: 200n * E18,
      feeWei: 20n * E18,
      burnWei: 400n * E18,
      roundingWei: 1n,
      resultWei: -220n * E18 + 1n,
      valueChangeWei: 3680n * E18 + 1n,
      valueAtStartWei: 0n,
      valueAtEndWei: 3680n * E18 + 1n,
    });
  });

  it('filters by model, kind, period and account; the value at the period’s ends counts every kind', () => {
    const l = ledger();
    const beta = stakingEntries(l, timeMs, query({ modelIds: [2] }));
    expect(beta.rows.map((r) => r.kind)).toEqual(['delegated', 'deposit_cancelled', 'delegated']);
    expect(beta.positions).toHaveLength(1);

    const results = stakingEntries(l, timeMs, query({ kinds: ['payout', 'fee', 'burn'], accounts: [A.toUpperCase().replace('0X', '0x')] }));
    expect(results.rows.map((r) => r.kind)).toEqual(['burn', 'fee', 'payout']);
    expect(results.overall).toMatchObject({ entries: 3, delegatedWei: 0n, resultWei: -55n * E18, valueChangeWei: -55n * E18 });
    // The value at the end is the position's, whatever kinds are listed.
    expect(results.positions[0]).toMatchObject({ modelId: 1, valueAtStartWei: 0n, valueAtEndWei: 645n * E18 });

    // Days 4 to 6 (toMs is exclusive): the start is after day 3's rows, the end after day 6's.
    const mid = stakingEntries(l, timeMs, query({ fromMs: timeMs(4), toMs: timeMs(7), order: 'oldest' }));
    expect(mid.rows.map((r) => r.block)).toEqual([4, 4, 4, 4, 5, 5, 6, 6, 6, 6]);
    const a1 = mid.positions.find((p) => p.account === A && p.modelId === 1)!;
    expect([a1.valueAtStartWei, a1.valueAtEndWei, a1.valueChangeWei]).toEqual([1000n * E18, 945n * E18, -55n * E18]);
    const a2 = mid.positions.find((p) => p.modelId === 2)!;
    expect([a2.valueAtStartWei, a2.valueAtEndWei]).toEqual([0n, 0n]);
    expect(stakingEntries(l, timeMs, query({ fromMs: timeMs(10) })).total).toBe(0);

    const onlyB = stakingEntries(l, timeMs, query({ accounts: [B] }));
    expect(new Set(onlyB.rows.map((r) => r.account))).toEqual(new Set([B]));
  });

  it('holds exactly the rows the export holds for the same filters', () => {
    const l = ledger();
    const filters = [
      {},
      { modelIds: [1] },
      { kinds: ['delegated', 'withdrawn'] as HistoryKind[] },
      { fromMs: timeMs(3), toMs: timeMs(8), modelIds: [1, 2], accounts: [A] },
    ];
    for (const f of filters) {
      const screen = stakingEntries(l, timeMs, query({ ...f, order: 'oldest' }));
      const file = selectStakingRows(l, { ...f, timeMs });
      expect(screen.rows.map((r) => `${r.block}:${r.logIndex}`)).toEqual(file.map((r) => `${r.block}:${r.logIndex}`));
    }
  });

  it('reads as of the list’s first block: entries that arrived later do not shift its pages', () => {
    const l = ledger();
    const early = stakingEntries(l, timeMs, query({ asOfBlock: 5 }));
    expect(early.total).toBe(10);
    expect(early.rows[0]!.block).toBe(5);
    expect(early.overall.valueAtEndWei).toBe(4000n * E18 + 180n * E18 + 500n * E18);
    expect(early.asOfBlock).toBe(5);
  });
});

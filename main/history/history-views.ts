/**
 * What the app's history screens ask of a ledger, in one shape for both pool kinds: the summary
 * (`history.summary`) and the returns (`portfolio.returns`), in bigint wei. The old pool's are built
 * here from ledger.ts; StakingPool's in staking-returns.ts.
 */
import { returnsSeries, type Ledger, type PortfolioRoundPoint } from './ledger';

export interface HistorySummary {
  models: { modelId: number; name: string }[];
  rows: number;
  firstMs: number | null;
  lastMs: number | null;
  asOfBlock: number;
}

export interface PositionRoundFigures {
  round: number;
  timeMs: number;
  resultWei: bigint;
  returnPct: number | null;
  valueAfterWei: bigint;
}

/** One position's totals and its per-round results, oldest first. */
export interface PositionReturnsFigures {
  modelId: number;
  name: string;
  delegatedWei: bigint;
  takenBackWei: bigint;
  rewardWei: bigint;
  feeWei: bigint;
  burnWei: bigint;
  rounds: PositionRoundFigures[];
}

export interface PortfolioReturns {
  asOfBlock: number;
  /** From the first point with a value or a deposit on. */
  portfolio: PortfolioRoundPoint[];
  positions: PositionReturnsFigures[];
}

/** The points from the first one where the accounts had something in the pool. */
export function fromFirstHolding(points: readonly PortfolioRoundPoint[]): PortfolioRoundPoint[] {
  const first = points.findIndex((p) => p.valueWei !== 0n || p.netDepositedWei !== 0n);
  return first < 0 ? [] : points.slice(first);
}

export function delegationSummary(ledger: Ledger): HistorySummary {
  const rows = ledger.rows;
  const ids = [...new Set(rows.map((r) => r.modelId))].sort((a, b) => a - b);
  return {
    models: ids.map((modelId) => ({ modelId, name: ledger.modelNames.get(modelId) ?? `#${modelId}` })),
    rows: rows.length,
    firstMs: rows.length ? rows[0]!.timeMs : null,
    lastMs: rows.length ? rows[rows.length - 1]!.timeMs : null,
    asOfBlock: ledger.asOfBlock,
  };
}

/** The returns of one account's positions (the ledger may hold more accounts). */
export function delegationReturns(ledger: Ledger, accounts: readonly string[]): PortfolioReturns {
  const list = accounts.map((a) => a.toLowerCase());
  const series = returnsSeries(ledger, { accounts: list });
  const totals = new Map(ledger.positions.filter((p) => list.includes(p.account)).map((p) => [p.modelId, p.totals]));
  return {
    asOfBlock: ledger.asOfBlock,
    portfolio: fromFirstHolding(series.portfolio),
    positions: [...totals.entries()].map(([modelId, t]) => ({
      modelId,
      name: ledger.modelNames.get(modelId) ?? `#${modelId}`,
      delegatedWei: t.delegatedWei,
      takenBackWei: t.cancelledWei + t.withdrawnWei,
      rewardWei: t.rewardWei,
      feeWei: t.feeWei,
      burnWei: t.burnWei,
      rounds: (series.positions.find((s) => s.modelId === modelId)?.points ?? []).map((r) => ({
        round: r.round,
        timeMs: r.timeMs,
        resultWei: r.resultWei,
        returnPct: r.returnPct,
        valueAfterWei: r.valueAfterWei,
      })),
    })),
  };
}

/**
 * What the app's history screens ask of the ledger: the summary (`history.summary`) and the returns
 * (`portfolio.returns`), in bigint wei, built in staking-returns.ts.
 */

export interface PortfolioRoundPoint {
  round: number;
  timeMs: number;
  /** Value of every selected position when the round closed. */
  valueWei: bigint;
  /** Delegated − cancelled − withdrawn, up to the round's close. */
  netDepositedWei: bigint;
  /** Sum of the selected positions' results of this round. */
  resultWei: bigint;
}

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

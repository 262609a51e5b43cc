/**
 * The history screens' figures (history-views.ts's shapes) from the StakingPool ledger.
 *
 * A "round" here is Numerai's round: a position's result of round R is what its rows of R's
 * settlement say (payout − fee − burn, `holderRoundResults`), its return that result over the
 * position's part of the tranche staked (`staked`). The portfolio has one point per Numerai round
 * that settled for one of the positions, at the time of its last settlement among them, with the
 * positions' value and net deposits right after it; points are in the order of those times.
 */
import type { HistorySummary, PortfolioReturns, PortfolioRoundPoint, PositionReturnsFigures, PositionRoundFigures } from './history-views';
import { fromFirstHolding } from './history-views';
import type { StakingLedger, StakingRowType } from './staking-ledger';

const SETTLEMENT: ReadonlySet<StakingRowType> = new Set(['payout', 'fee', 'burn']);
/** NMR put in or taken out of the pool by the holder. */
const FLOWS: ReadonlySet<StakingRowType> = new Set(['delegated', 'deposit_cancelled', 'withdrawn']);

const nameOf = (ledger: StakingLedger, id: number) => ledger.models.get(id)?.name ?? `#${id}`;

export function stakingSummary(ledger: StakingLedger, asOfBlock: number, timeMs: (block: number) => number): HistorySummary {
  const rows = ledger.rows;
  const ids = [...new Set(rows.map((r) => r.modelId))].sort((a, b) => a - b);
  return {
    models: ids.map((modelId) => ({ modelId, name: nameOf(ledger, modelId) })),
    rows: rows.length,
    firstMs: rows.length ? timeMs(rows[0]!.block) : null,
    lastMs: rows.length ? timeMs(rows[rows.length - 1]!.block) : null,
    asOfBlock,
  };
}

export function stakingReturns(
  ledger: StakingLedger,
  accounts: readonly string[],
  asOfBlock: number,
  timeMs: (block: number) => number,
): PortfolioReturns {
  const wanted = new Set(accounts.map((a) => a.toLowerCase()));
  const positions = new Map<
    string,
    PositionReturnsFigures & { byRound: Map<number, PositionRoundFigures & { stakedWei: bigint; settled: boolean }> }
  >();
  const points = new Map<number, PortfolioRoundPoint>();
  const lastValue = new Map<string, bigint>();
  let total = 0n;
  let net = 0n;
  for (const r of ledger.rows) {
    if (!wanted.has(r.holder)) continue;
    const k = `${r.holder}:${r.modelId}`;
    let p = positions.get(k);
    if (!p) {
      p = {
        modelId: r.modelId,
        name: nameOf(ledger, r.modelId),
        delegatedWei: 0n,
        takenBackWei: 0n,
        rewardWei: 0n,
        feeWei: 0n,
        burnWei: 0n,
        rounds: [],
        byRound: new Map(),
      };
      positions.set(k, p);
    }
    total += r.after.valueWei - (lastValue.get(k) ?? 0n);
    lastValue.set(k, r.after.valueWei);
    if (FLOWS.has(r.type)) net += r.valueChangeWei;
    if (r.type === 'delegated') p.delegatedWei += r.amountWei;
    else if (r.type === 'deposit_cancelled' || r.type === 'withdrawn') p.takenBackWei -= r.amountWei;
    else if (r.type === 'payout') p.rewardWei += r.amountWei;
    else if (r.type === 'fee') p.feeWei -= r.amountWei;
    else if (r.type === 'burn') p.burnWei -= r.amountWei;
    if (r.roundId === null || (r.type !== 'staked' && !SETTLEMENT.has(r.type))) continue;

    let round = p.byRound.get(r.roundId);
    if (!round) {
      round = { round: r.roundId, timeMs: 0, resultWei: 0n, returnPct: null, valueAfterWei: 0n, stakedWei: 0n, settled: false };
      p.byRound.set(r.roundId, round);
    }
    if (r.type === 'staked') {
      round.stakedWei += r.amountWei;
      continue;
    }
    const t = timeMs(r.block);
    round.settled = true;
    round.timeMs = t;
    round.resultWei += r.valueChangeWei;
    round.valueAfterWei = r.after.valueWei;
    let point = points.get(r.roundId);
    if (!point) {
      point = { round: r.roundId, timeMs: t, valueWei: 0n, netDepositedWei: 0n, resultWei: 0n };
      points.set(r.roundId, point);
    }
    point.timeMs = t;
    point.resultWei += r.valueChangeWei;
    point.valueWei = total;
    point.netDepositedWei = net;
  }
  const out: PositionReturnsFigures[] = [];
  for (const { byRound, ...p } of positions.values()) {
    for (const { stakedWei, settled, ...x } of byRound.values()) {
      // A round staked but not settled yet has no result.
      if (!settled) continue;
      p.rounds.push({ ...x, returnPct: stakedWei > 0n ? (Number(x.resultWei) / Number(stakedWei)) * 100 : null });
    }
    p.rounds.sort((a, b) => a.timeMs - b.timeMs || a.round - b.round);
    out.push(p);
  }
  const portfolio = [...points.values()].sort((a, b) => a.timeMs - b.timeMs || a.round - b.round);
  return { asOfBlock, portfolio: fromFirstHolding(portfolio), positions: out };
}

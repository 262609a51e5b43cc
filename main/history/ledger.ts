/**
 * The per-position ledger (account × model), built from the pool's events alone. See README.md for
 * how each row type is computed. In short:
 * - the model's price (stake S, total shares T) only changes at RoundResolved events (and at rounds the
 *   model was left out of, which convert deposits and exits at an unchanged price); a value is always
 *   `floor(x * (S + 1) / (T + 1e6))`, exactly as the pool's views compute it;
 * - at each result every position of the model gets its share of the reward (gross), the operator fee
 *   and the burn as the difference of its valuations at the prices before and after, and its own
 *   deposit / exit converts at the round's price;
 * - each row carries the position after it (shares, pending, withdrawable, value), and `valueChangeWei`
 *   sums exactly to the value, so the ledger's totals equal positionOf() at the same block to the wei.
 */
import type { EventOf, PoolEvent } from './pool-events';

import { VIRTUAL_SHARES } from '../chain/contracts';

export type RowType =
  | 'delegation'
  | 'delegation_cancelled'
  | 'shares_issued'
  | 'reward'
  | 'fee'
  | 'burn'
  | 'rounding'
  | 'undelegation_request'
  | 'exit_settled'
  | 'withdrawal';

export const RESULT_TYPES: ReadonlySet<RowType> = new Set(['reward', 'fee', 'burn', 'rounding']);
export const FLOW_TYPES: ReadonlySet<RowType> = new Set(['delegation', 'delegation_cancelled', 'withdrawal']);

export interface LedgerRow {
  account: string;
  modelId: number;
  type: RowType;
  /** Round the row belongs to: the delegation's, the result's, the request's; for a withdrawal the open round. */
  round: number | null;
  block: number;
  logIndex: number;
  txHash: string;
  timeMs: number;
  /** The row's own amount, signed as it moves the position: delegation +, reward +, fee −, burn −,
   * withdrawal −, cancel −; shares_issued / exit_settled: the NMR converted (+); undelegation_request:
   * what the requested shares were worth then (+). */
  amountWei: bigint;
  /** Shares the row is about: minted, requested out, or burned at the exit. */
  shares: bigint | null;
  /** Exact change of the position's total value; sums to valueAfterWei. */
  valueChangeWei: bigint;
  /** Total value after the row: value of shares + pending deposit + value of pending exit + withdrawable. */
  valueAfterWei: bigint;
  sharesAfter: bigint;
  pendingInAfterWei: bigint;
  pendingOutSharesAfter: bigint;
  withdrawableAfterWei: bigint;
  /** For result rows: the model's return that round, in basis points. */
  returnBps: number | null;
}

export interface PositionTotals {
  delegatedWei: bigint;
  cancelledWei: bigint;
  withdrawnWei: bigint;
  rewardWei: bigint;
  feeWei: bigint;
  burnWei: bigint;
  roundingWei: bigint;
}

/** A position as positionOf() reports it, plus totals over its history. */
export interface PositionState {
  account: string;
  modelId: number;
  shares: bigint;
  valueWei: bigint;
  pendingInWei: bigint;
  pendingInRound: number;
  pendingOutShares: bigint;
  pendingOutValueWei: bigint;
  unlockRound: number;
  withdrawableWei: bigint;
  totalValueWei: bigint;
  totals: PositionTotals;
}

export interface RoundClose {
  round: number;
  block: number;
  logIndex: number;
  txHash: string;
  timeMs: number;
}

/** One position's result in one round, for the returns charts. */
export interface PositionRoundResult {
  account: string;
  modelId: number;
  round: number;
  block: number;
  logIndex: number;
  timeMs: number;
  returnBps: number;
  /** Value of the shares at risk just before the result. */
  atRiskWei: bigint;
  /** Change of the position's value at the result (reward − fee − burn, with rounding). */
  resultWei: bigint;
  valueAfterWei: bigint;
}

export interface Ledger {
  asOfBlock: number;
  accounts: string[];
  rows: LedgerRow[];
  positions: PositionState[];
  modelNames: Map<number, string>;
  rounds: RoundClose[];
  results: PositionRoundResult[];
  /** Rounds a model was left out of whose conversions need the model's flows (see Indexer.ensureFlows). */
  missingFlows: { modelId: number; round: number }[];
  /** Disagreements between the lazy informative events and the ledger's own arithmetic (should be none). */
  issues: string[];
  stats: { events: number; results: number; simulatedRounds: number; lateResults: number };
}

export interface LedgerInput {
  events: readonly PoolEvent[];
  accounts: string[];
  asOfBlock: number;
  blockTimeMs(block: number): number;
  flow(modelId: number, round: number): { depositsWei: bigint; exitShares: bigint } | undefined;
}

interface Pos {
  account: string;
  modelId: number;
  shares: bigint;
  pendingIn: bigint;
  pendingInRound: number;
  pendingOut: bigint;
  /** Last round the pending exit is at risk for (unlockRound − 1); −1 when none. */
  exitRound: number;
  withdrawable: bigint;
  totals: PositionTotals;
}

interface ModelState {
  S: bigint;
  T: bigint;
  positions: Pos[];
  /** Rounds closed without a timely result whose conversions we applied: the state after each. */
  simulated: Map<number, { S: bigint; T: bigint; PS: bigint; PA: bigint }>;
  /** Rounds with a result logged before the round closed. */
  timely: Set<number>;
}

export function valueOf(shares: bigint, stakeWei: bigint, totalShares: bigint): bigint {
  return shares === 0n ? 0n : (shares * (stakeWei + 1n)) / (totalShares + VIRTUAL_SHARES);
}

function totalValue(p: Pos, S: bigint, T: bigint): bigint {
  return valueOf(p.shares, S, T) + valueOf(p.pendingOut, S, T) + p.pendingIn + p.withdrawable;
}

const zeroTotals = (): PositionTotals => ({
  delegatedWei: 0n,
  cancelledWei: 0n,
  withdrawnWei: 0n,
  rewardWei: 0n,
  feeWei: 0n,
  burnWei: 0n,
  roundingWei: 0n,
});

export function buildLedger(input: LedgerInput): Ledger {
  const accounts = [...new Set(input.accounts.map((a) => a.toLowerCase()))];
  const accountSet = new Set(accounts);
  const events = input.events;
  const rows: LedgerRow[] = [];
  const results: PositionRoundResult[] = [];
  const issues: string[] = [];
  const missing: { modelId: number; round: number }[] = [];
  const names = new Map<number, string>();
  const rounds: RoundClose[] = [];
  const models = new Map<number, ModelState>();
  const positions = new Map<string, Pos>();
  const closed = new Set<number>();
  const booked = new Map<string, bigint>();
  let currentRound: number | null = null;
  let simulatedRounds = 0;
  let lateResults = 0;

  // Results logged after their round closed (a model left out, caught up later), by "model:round".
  const closedAt = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.kind === 'RoundClosed' && e.block <= input.asOfBlock) closedAt.set(e.round, i);
  });
  const late = new Map<string, EventOf<'RoundResolved'>>();
  events.forEach((e, i) => {
    if (e.kind !== 'RoundResolved' || e.block > input.asOfBlock) return;
    const c = closedAt.get(e.round);
    if (c !== undefined && c < i) late.set(`${e.modelId}:${e.round}`, e);
  });

  const model = (id: number): ModelState => {
    let m = models.get(id);
    if (!m) {
      m = { S: 0n, T: 0n, positions: [], simulated: new Map(), timely: new Set() };
      models.set(id, m);
    }
    return m;
  };
  const position = (account: string, modelId: number): Pos => {
    const k = `${account}:${modelId}`;
    let p = positions.get(k);
    if (!p) {
      p = {
        account,
        modelId,
        shares: 0n,
        pendingIn: 0n,
        pendingInRound: 0,
        pendingOut: 0n,
        exitRound: -1,
        withdrawable: 0n,
        totals: zeroTotals(),
      };
      positions.set(k, p);
      model(modelId).positions.push(p);
    }
    return p;
  };
  // Rows come in runs of the same block: one look-up per run.
  let timeBlock = -1;
  let timeMs = 0;
  const timeOf = (block: number) => {
    if (block !== timeBlock) {
      timeMs = input.blockTimeMs(block);
      timeBlock = block;
    }
    return timeMs;
  };

  const push = (
    p: Pos,
    ref: { block: number; logIndex: number; txHash: string },
    type: RowType,
    round: number | null,
    amountWei: bigint,
    shares: bigint | null,
    valueChangeWei: bigint,
    valueAfterWei: bigint,
    returnBps: number | null = null,
  ) => {
    rows.push({
      account: p.account,
      modelId: p.modelId,
      type,
      round,
      block: ref.block,
      logIndex: ref.logIndex,
      txHash: ref.txHash,
      timeMs: timeOf(ref.block),
      amountWei,
      shares,
      valueChangeWei,
      valueAfterWei,
      sharesAfter: p.shares,
      pendingInAfterWei: p.pendingIn,
      pendingOutSharesAfter: p.pendingOut,
      withdrawableAfterWei: p.withdrawable,
      returnBps,
    });
  };

  /** A result row of `v`; returns the value after it. */
  const resultRow = (
    p: Pos,
    ref: { block: number; logIndex: number; txHash: string },
    type: RowType,
    round: number,
    v: bigint,
    running: bigint,
    ret: number,
  ): bigint => {
    const after = running + v;
    push(p, ref, type, round, v, null, v, after, ret);
    if (type === 'reward') p.totals.rewardWei += v;
    else if (type === 'fee') p.totals.feeWei -= v;
    else if (type === 'burn') p.totals.burnWei -= v;
    else p.totals.roundingWei += v;
    return after;
  };

  const isLive = (p: Pos) => p.shares > 0n || p.pendingIn > 0n || p.pendingOut > 0n;

  /**
   * A result (or a left-out round's conversions) for every position of a model: price before is
   * (Sb, PS), after the result (PA, PS); deposits and exits of `round` convert at (PA, PS); the model
   * ends at (Safter, Tafter).
   */
  const applyResult = (
    id: number,
    round: number,
    ret: number,
    Sb: bigint,
    rewardWei: bigint,
    PS: bigint,
    PA: bigint,
    Safter: bigint,
    Tafter: bigint,
    ref: { block: number; logIndex: number; txHash: string },
  ) => {
    const m = model(id);
    for (const p of m.positions) {
      if (!isLive(p)) continue;
      const atRisk = p.shares + p.pendingOut;
      const v0 = valueOf(p.shares, Sb, PS) + valueOf(p.pendingOut, Sb, PS);
      // At a timely result the model's price is (Sb, PS) already: the value before is v0's.
      const before = Sb === m.S && PS === m.T ? v0 + p.pendingIn + p.withdrawable : totalValue(p, m.S, m.T);
      let fee = 0n;
      if (ret > 0 && atRisk > 0n) {
        const v1 = valueOf(p.shares, Sb + rewardWei, PS) + valueOf(p.pendingOut, Sb + rewardWei, PS);
        const v2 = valueOf(p.shares, PA, PS) + valueOf(p.pendingOut, PA, PS);
        fee = v1 - v2;
      }
      let deposit: bigint | null = null;
      let minted = 0n;
      if (p.pendingIn > 0n && p.pendingInRound <= round) {
        if (p.pendingInRound < round)
          issues.push(`${p.account} model ${id}: deposit of round ${p.pendingInRound} still pending at round ${round}`);
        deposit = p.pendingIn;
        minted = (p.pendingIn * (PS + VIRTUAL_SHARES)) / (PA + 1n);
        booked.set(`in:${p.account}:${id}:${p.pendingInRound}`, minted);
        p.shares += minted;
        p.pendingIn = 0n;
        p.pendingInRound = 0;
      }
      let exitShares: bigint | null = null;
      let exitAssets = 0n;
      if (p.pendingOut > 0n && p.exitRound <= round) {
        if (p.exitRound < round) issues.push(`${p.account} model ${id}: exit of round ${p.exitRound} still pending at round ${round}`);
        exitShares = p.pendingOut;
        exitAssets = (p.pendingOut * (PA + 1n)) / (PS + VIRTUAL_SHARES);
        booked.set(`out:${p.account}:${id}:${p.exitRound}`, exitAssets);
        p.withdrawable += exitAssets;
        p.pendingOut = 0n;
        p.exitRound = -1;
      }
      const after = totalValue(p, Safter, Tafter);
      const delta = after - before;
      let running = before;
      if (atRisk === 0n || ret === 0) {
        if (delta !== 0n) running = resultRow(p, ref, 'rounding', round, delta, running, ret);
      } else if (ret > 0) {
        const gross = delta + fee;
        if (gross > 0n) running = resultRow(p, ref, 'reward', round, gross, running, ret);
        if (fee > 0n) running = resultRow(p, ref, 'fee', round, -fee, running, ret);
        if (gross < 0n) running = resultRow(p, ref, 'rounding', round, gross, running, ret);
      } else if (delta < 0n) {
        running = resultRow(p, ref, 'burn', round, delta, running, ret);
      } else if (delta > 0n) {
        running = resultRow(p, ref, 'rounding', round, delta, running, ret);
      }
      if (deposit !== null) push(p, ref, 'shares_issued', round, deposit, minted, 0n, running);
      if (exitShares !== null) push(p, ref, 'exit_settled', round, exitAssets, exitShares, 0n, running);
      if (running !== after) issues.push(`internal: rows of ${p.account} model ${id} round ${round} do not add up`);
      results.push({
        account: p.account,
        modelId: id,
        round,
        block: ref.block,
        logIndex: ref.logIndex,
        timeMs: timeOf(ref.block),
        returnBps: ret,
        atRiskWei: v0,
        resultWei: delta,
        valueAfterWei: after,
      });
    }
    m.S = Safter;
    m.T = Tafter;
  };

  for (const e of events) {
    if (e.block > input.asOfBlock) break;
    switch (e.kind) {
      case 'ModelRegistered':
        names.set(e.modelId, e.name);
        break;
      case 'RoundResolved': {
        const m = model(e.modelId);
        const PS = e.totalSharesAfter - e.sharesMinted + e.exitSharesBurned;
        const PA = e.stakeBeforeWei + e.rewardWei - e.feeWei - e.burnedWei;
        if (closed.has(e.round)) {
          // Logged when the model was caught up, after its round closed.
          lateResults++;
          const sim = m.simulated.get(e.round);
          if (sim) {
            if (sim.S !== e.stakeAfterWei || sim.T !== e.totalSharesAfter || sim.PS !== PS || sim.PA !== PA) {
              issues.push(`model ${e.modelId} round ${e.round}: caught-up result differs from the one the ledger applied`);
            }
          } else {
            m.S = e.stakeAfterWei;
            m.T = e.totalSharesAfter;
          }
          break;
        }
        m.timely.add(e.round);
        if (m.positions.some(isLive) && (m.S !== e.stakeBeforeWei || m.T !== PS)) {
          issues.push(`model ${e.modelId} round ${e.round}: stake/shares before the result differ from the ledger's`);
        }
        m.S = e.stakeBeforeWei;
        m.T = PS;
        applyResult(e.modelId, e.round, e.returnBps, e.stakeBeforeWei, e.rewardWei, PS, PA, e.stakeAfterWei, e.totalSharesAfter, e);
        break;
      }
      case 'RoundClosed': {
        closed.add(e.round);
        currentRound = e.round + 1;
        rounds.push({ round: e.round, block: e.block, logIndex: e.logIndex, txHash: e.txHash, timeMs: timeOf(e.block) });
        for (const [id, m] of models) {
          if (m.timely.has(e.round) || !m.positions.some(isLive)) continue;
          // Closed without a result for this model: a zero return; its deposits and exits of this
          // round convert at the unchanged price (the pool logs it when the model is next touched).
          const lr = late.get(`${id}:${e.round}`);
          let PS: bigint;
          let PA: bigint;
          let Safter: bigint;
          let Tafter: bigint;
          if (lr) {
            PS = lr.totalSharesAfter - lr.sharesMinted + lr.exitSharesBurned;
            PA = lr.stakeBeforeWei + lr.rewardWei - lr.feeWei - lr.burnedWei;
            Safter = lr.stakeAfterWei;
            Tafter = lr.totalSharesAfter;
            if (PS !== m.T || PA !== m.S) issues.push(`model ${id} round ${e.round}: caught-up price differs from the ledger's state`);
          } else {
            const f = input.flow(id, e.round);
            if (!f) {
              missing.push({ modelId: id, round: e.round });
              continue;
            }
            if (f.depositsWei === 0n && f.exitShares === 0n) continue;
            PS = m.T;
            PA = m.S;
            const outAssets = (f.exitShares * (PA + 1n)) / (PS + VIRTUAL_SHARES);
            const minted = (f.depositsWei * (PS + VIRTUAL_SHARES)) / (PA + 1n);
            Safter = PA - outAssets + f.depositsWei;
            Tafter = PS - f.exitShares + minted;
          }
          simulatedRounds++;
          m.simulated.set(e.round, { S: Safter, T: Tafter, PS, PA });
          applyResult(id, e.round, 0, m.S, 0n, PS, PA, Safter, Tafter, e);
        }
        break;
      }
      default: {
        if (!accountSet.has(e.holder)) break;
        const p = position(e.holder, e.modelId);
        const m = model(e.modelId);
        switch (e.kind) {
          case 'Delegated': {
            if (p.pendingIn > 0n && p.pendingInRound !== e.round) {
              issues.push(
                `${p.account} model ${e.modelId}: deposit of round ${p.pendingInRound} not converted before a deposit of round ${e.round}`,
              );
            }
            p.pendingIn += e.amountWei;
            p.pendingInRound = e.round;
            p.totals.delegatedWei += e.amountWei;
            push(p, e, 'delegation', e.round, e.amountWei, null, e.amountWei, totalValue(p, m.S, m.T));
            break;
          }
          case 'DelegationCancelled': {
            if (p.pendingIn < e.amountWei) issues.push(`${p.account} model ${e.modelId}: cancelled more than pending`);
            p.pendingIn -= e.amountWei;
            if (p.pendingIn === 0n) p.pendingInRound = 0;
            p.totals.cancelledWei += e.amountWei;
            push(p, e, 'delegation_cancelled', e.round, -e.amountWei, null, -e.amountWei, totalValue(p, m.S, m.T));
            break;
          }
          case 'UndelegateRequested': {
            const before = totalValue(p, m.S, m.T);
            if (p.shares < e.shares) issues.push(`${p.account} model ${e.modelId}: requested more shares than held`);
            if (p.pendingOut > 0n && p.exitRound < e.round)
              issues.push(`${p.account} model ${e.modelId}: matured exit not converted before a new request`);
            p.shares -= e.shares;
            p.pendingOut = e.pendingOutSharesTotal;
            p.exitRound = e.unlockRound - 1;
            const after = totalValue(p, m.S, m.T);
            push(p, e, 'undelegation_request', e.round, valueOf(e.shares, m.S, m.T), e.shares, after - before, after);
            p.totals.roundingWei += after - before;
            break;
          }
          case 'Withdrawn': {
            if (p.withdrawable < e.amountWei)
              issues.push(`${p.account} model ${e.modelId}: withdrew ${e.amountWei} with ${p.withdrawable} withdrawable`);
            p.withdrawable -= e.amountWei;
            p.totals.withdrawnWei += e.amountWei;
            push(p, e, 'withdrawal', currentRound, -e.amountWei, null, -e.amountWei, totalValue(p, m.S, m.T));
            break;
          }
          case 'SharesIssued': {
            const want = booked.get(`in:${e.holder}:${e.modelId}:${e.round}`);
            if (want !== e.shares)
              issues.push(`${e.holder} model ${e.modelId} round ${e.round}: SharesIssued ${e.shares} but the ledger booked ${want}`);
            break;
          }
          case 'ExitSettled': {
            const want = booked.get(`out:${e.holder}:${e.modelId}:${e.unlockRound - 1}`);
            if (want !== e.amountWei)
              issues.push(
                `${e.holder} model ${e.modelId} unlock ${e.unlockRound}: ExitSettled ${e.amountWei} but the ledger booked ${want}`,
              );
            break;
          }
        }
      }
    }
  }

  const out: PositionState[] = [];
  for (const p of positions.values()) {
    const m = model(p.modelId);
    const valueWei = valueOf(p.shares, m.S, m.T);
    const pendingOutValueWei = valueOf(p.pendingOut, m.S, m.T);
    out.push({
      account: p.account,
      modelId: p.modelId,
      shares: p.shares,
      valueWei,
      pendingInWei: p.pendingIn,
      pendingInRound: p.pendingIn > 0n ? p.pendingInRound : 0,
      pendingOutShares: p.pendingOut,
      pendingOutValueWei,
      unlockRound: p.pendingOut > 0n ? p.exitRound + 1 : 0,
      withdrawableWei: p.withdrawable,
      totalValueWei: valueWei + pendingOutValueWei + p.pendingIn + p.withdrawable,
      totals: p.totals,
    });
  }
  out.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.modelId - b.modelId));
  return {
    asOfBlock: input.asOfBlock,
    accounts,
    rows,
    positions: out,
    modelNames: names,
    rounds,
    results,
    missingFlows: missing,
    issues,
    stats: { events: events.length, results: results.length, simulatedRounds, lateResults },
  };
}

// ------------------------------------------------------------------ returns series (charts)

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

export interface PositionSeries {
  account: string;
  modelId: number;
  model: string;
  points: {
    round: number;
    timeMs: number;
    returnBps: number;
    atRiskWei: bigint;
    resultWei: bigint;
    returnPct: number | null;
    valueAfterWei: bigint;
  }[];
}

export interface ReturnsSeries {
  portfolio: PortfolioRoundPoint[];
  positions: PositionSeries[];
}

/** The returns charts' data, from the same ledger as the export. */
export function returnsSeries(ledger: Ledger, filter: { accounts?: string[]; modelIds?: number[] } = {}): ReturnsSeries {
  const acc = filter.accounts ? new Set(filter.accounts.map((a) => a.toLowerCase())) : null;
  const mods = filter.modelIds ? new Set(filter.modelIds) : null;
  const keep = (account: string, modelId: number) => (!acc || acc.has(account)) && (!mods || mods.has(modelId));

  const resultByRound = new Map<number, bigint>();
  const series = new Map<string, PositionSeries>();
  for (const r of ledger.results) {
    if (!keep(r.account, r.modelId)) continue;
    resultByRound.set(r.round, (resultByRound.get(r.round) ?? 0n) + r.resultWei);
    const k = `${r.account}:${r.modelId}`;
    let s = series.get(k);
    if (!s) {
      s = { account: r.account, modelId: r.modelId, model: ledger.modelNames.get(r.modelId) ?? `#${r.modelId}`, points: [] };
      series.set(k, s);
    }
    s.points.push({
      round: r.round,
      timeMs: r.timeMs,
      returnBps: r.returnBps,
      atRiskWei: r.atRiskWei,
      resultWei: r.resultWei,
      returnPct: r.atRiskWei > 0n ? (Number(r.resultWei) / Number(r.atRiskWei)) * 100 : null,
      valueAfterWei: r.valueAfterWei,
    });
  }

  const portfolio: PortfolioRoundPoint[] = [];
  const lastValue = new Map<string, bigint>();
  let total = 0n;
  let net = 0n;
  let i = 0;
  const rows = ledger.rows;
  for (const c of ledger.rounds) {
    while (i < rows.length && (rows[i]!.block < c.block || (rows[i]!.block === c.block && rows[i]!.logIndex <= c.logIndex))) {
      const r = rows[i++]!;
      if (!keep(r.account, r.modelId)) continue;
      const k = `${r.account}:${r.modelId}`;
      total += r.valueAfterWei - (lastValue.get(k) ?? 0n);
      lastValue.set(k, r.valueAfterWei);
      if (FLOW_TYPES.has(r.type)) net += r.valueChangeWei;
    }
    portfolio.push({
      round: c.round,
      timeMs: c.timeMs,
      valueWei: total,
      netDepositedWei: net,
      resultWei: resultByRound.get(c.round) ?? 0n,
    });
  }
  return { portfolio, positions: [...series.values()] };
}

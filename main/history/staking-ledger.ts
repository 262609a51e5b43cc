/**
 * The per (holder, model) ledger of StakingPool, from its events alone, in exact bigint wei. Rules
 * (contracts/README.md "The staking pool"): a model's price is its NAV (idle NMR + principal of
 * unsettled tranches at face value) over its total shares, with the pool's virtual offset; a
 * deposit waits in an epoch and converts at the model's next checkpoint (`DepositsConverted`); an
 * exit request waits in a batch and converts once its unlock round has settled (`ExitsConverted`).
 * The pool books those to each holder lazily (`SharesIssued`, `ExitSettled` on the holder's next
 * action); the ledger books them when the batch converts, as `positionOf` counts them, and checks
 * the lazy events against its own figures.
 *
 * **A holder's share of a round's result.** A tranche is part of the model's NAV at face value from
 * `TrancheStaked` until `TrancheSettled`, so every share in the model during that time carries it, and
 * the shares that carry it at the end are the ones in the model when it settles: the holder's settled
 * and exiting shares at `TrancheSettled` (an exit that converted before the settlement left at face
 * value and carries none of it; a deposit that converted while it was at stake carries it, which the
 * pool's fairness rule keeps honest: no conversion happens at a price missing a posted root). The
 * holder's share is the change of those shares' value at the settlement, in the view's arithmetic:
 * gross `V(NAV + returned − principal) − V(NAV)` (a payout when positive, a burn when negative) and, on
 * a gain, the operator's fee `V(NAV + gain) − V(NAV after)`. These telescope, so the rows add up to the
 * view's value to the wei; the pool's own rounding of other holders' conversions is its own row type.
 */
import type { HistoryKind } from '../../shared/api';
import { VIRTUAL_SHARES } from '../chain/contracts';
import type { EventPlace, StakingEvent, StakingEventOf } from './staking-events';

/** The ledger's row types: the history's entry kinds, named once in shared/api/history.ts. */
export type StakingRowType = HistoryKind;

/** The position as `positionOf` shows it (converted batches booked), and its total value. */
export interface StakingPositionState {
  shares: bigint;
  pendingDepositWei: bigint;
  exitingShares: bigint;
  /** The exit's unlock round (0: none, or nothing was at stake when it was requested). */
  unlockRound: number;
  withdrawableWei: bigint;
  /** value of shares + pending deposit + value of exiting shares + withdrawable. */
  valueWei: bigint;
}

export interface StakingLedgerRow extends EventPlace {
  holder: string;
  modelId: number;
  type: StakingRowType;
  /** Numerai round: of the tranche (staked, payout, fee, burn), the unlock round (exit_requested), else null. */
  roundId: number | null;
  /** Deposit epoch (delegated, deposit_cancelled, shares_issued) or exit batch (exit_requested, exit_settled). */
  batch: number | null;
  /** What an accountant reads: NMR in (+) or out (−) of the position, or converted / requested. */
  amountWei: bigint;
  /** Change of the position's total value; the rows of a position sum to its value exactly. */
  valueChangeWei: bigint;
  sharesDelta: bigint;
  after: StakingPositionState;
}

/** One (model, Numerai round) of the pool: the tranche staked and how it settled. */
export interface ModelRound {
  modelId: number;
  roundId: number;
  skipped: boolean;
  stakedWei: bigint;
  feeBps: number;
  staked: EventPlace | null;
  settled: {
    returnedWei: bigint;
    /** returned − principal = Numerai's payout − burn. */
    resultWei: bigint;
    feeWei: bigint;
    alreadySettled: boolean;
    at: EventPlace;
  } | null;
}

/** The `model()` view's figures a model's book keeps, named as the view names them. */
export const STAKING_BOOK_FIGURES = [
  'idleWei',
  'atStakeWei',
  'totalShares',
  'exitingShares',
  'pendingDepositWei',
  'feesOwedWei',
  'owedExitWei',
] as const;
export type StakingBookFigure = (typeof STAKING_BOOK_FIGURES)[number];

/** A model's book as the `model()` view shows it (pendingDepositWei, exitingShares and owedExitWei need every holder's events). */
export interface StakingModelBook extends Record<StakingBookFigure, bigint> {
  modelId: number;
  numeraiModelId: string;
  name: string;
  operator: string;
  feeBps: number;
  capWei: bigint;
  depositEpoch: number;
  /** Unsettled tranches: round → principal. */
  tranches: Map<number, bigint>;
}

export interface StakingLedger {
  rows: StakingLedgerRow[];
  /** `${holder}:${modelId}` → the position after the last event. */
  positions: Map<string, StakingPositionState & { holder: string; modelId: number }>;
  models: Map<number, StakingModelBook>;
  /** In the order the tranches were staked (or skipped). */
  rounds: ModelRound[];
}

/** The events do not add up (a missing range, a wrong decoder, another contract's logs). */
export class StakingLedgerError extends Error {
  override name = 'StakingLedgerError';
}

/** Value of `shares` at NAV `nav` with `totalShares`: the pool's `_toAssets`, rounded down. */
export function stakingValueOf(shares: bigint, nav: bigint, totalShares: bigint): bigint {
  return shares === 0n ? 0n : (shares * (nav + 1n)) / (totalShares + VIRTUAL_SHARES);
}

interface Holding {
  holder: string;
  modelId: number;
  shares: bigint;
  deposit: bigint;
  depositEpoch: number;
  exitShares: bigint;
  exitBatch: number;
  unlockRound: number;
  withdrawable: bigint;
  value: bigint;
  /** Conversions booked by the ledger, not yet confirmed by the pool's lazy event. */
  lazy: Record<LazyEvent, Lazy | null>;
}

type LazyEvent = 'SharesIssued' | 'ExitSettled';
/** A conversion booked to one holder: its batch (deposit epoch or exit batch), shares and NMR. */
interface Lazy {
  batch: number;
  shares: bigint;
  wei: bigint;
}

const key = (holder: string, modelId: number) => `${holder}:${modelId}`;

const stateOf = (h: Holding): StakingPositionState => ({
  shares: h.shares,
  pendingDepositWei: h.deposit,
  exitingShares: h.exitShares,
  unlockRound: h.unlockRound,
  withdrawableWei: h.withdrawable,
  valueWei: h.value,
});

export interface StakingLedgerOptions {
  /** Only these holders' rows and positions (the model books still use every event given). */
  accounts?: readonly string[] | null;
}

/**
 * Builds the ledger from StakingPool's events: the model events (conversions, tranches, fees) of
 * every model concerned and the holder events of the accounts wanted (of every holder, for the
 * model books to equal the view).
 */
export function buildStakingLedger(input: readonly StakingEvent[], opts: StakingLedgerOptions = {}): StakingLedger {
  const events = [...input].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
  const wanted = opts.accounts ? new Set(opts.accounts.map((a) => a.toLowerCase())) : null;
  const models = new Map<number, StakingModelBook>();
  const holdings = new Map<string, Holding>();
  const byModel = new Map<number, Holding[]>();
  const rounds = new Map<number, Map<number, ModelRound>>();
  const roundList: ModelRound[] = [];
  const rows: StakingLedgerRow[] = [];

  const book = (id: number): StakingModelBook => {
    const m = models.get(id);
    if (!m) throw new StakingLedgerError(`an event of model ${id} before its ModelRegistered`);
    return m;
  };
  const nav = (m: StakingModelBook) => m.idleWei + m.atStakeWei;
  const valueAt = (h: Holding, n: bigint, ts: bigint) =>
    stakingValueOf(h.shares, n, ts) + h.deposit + stakingValueOf(h.exitShares, n, ts) + h.withdrawable;
  const holding = (holder: string, modelId: number): Holding | null => {
    if (wanted && !wanted.has(holder)) return null;
    const k = key(holder, modelId);
    let h = holdings.get(k);
    if (!h) {
      book(modelId);
      h = {
        holder,
        modelId,
        shares: 0n,
        deposit: 0n,
        depositEpoch: 0,
        exitShares: 0n,
        exitBatch: 0,
        unlockRound: 0,
        withdrawable: 0n,
        value: 0n,
        lazy: { SharesIssued: null, ExitSettled: null },
      };
      holdings.set(k, h);
      let list = byModel.get(modelId);
      if (!list) byModel.set(modelId, (list = []));
      list.push(h);
    }
    return h;
  };
  /**
   * A row for `h` whose value changed by `change`. Positional, not an options object: a settlement
   * writes a row per holder, and an export's ledger 100,000+ of them.
   */
  const push = (
    h: Holding,
    e: EventPlace,
    type: StakingRowType,
    amountWei: bigint,
    roundId: number | null,
    batch: number | null,
    sharesDelta: bigint,
    change: bigint,
  ) => {
    h.value += change;
    rows.push({
      block: e.block,
      logIndex: e.logIndex,
      txHash: e.txHash,
      holder: h.holder,
      modelId: h.modelId,
      type,
      roundId,
      batch,
      amountWei,
      valueChangeWei: change,
      sharesDelta,
      after: stateOf(h),
    });
  };
  /** A row for `h` after its state changed: the value change is measured from the last row. */
  const row = (
    h: Holding,
    e: EventPlace,
    type: StakingRowType,
    fields: { amountWei: bigint; roundId?: number | null; batch?: number | null; sharesDelta?: bigint; valueChangeWei?: bigint },
  ) => {
    const m = book(h.modelId);
    const change = fields.valueChangeWei ?? valueAt(h, nav(m), m.totalShares) - h.value;
    push(h, e, type, fields.amountWei, fields.roundId ?? null, fields.batch ?? null, fields.sharesDelta ?? 0n, change);
  };
  /** Rounding rows for the model's holders whose value moved although nothing of theirs happened. */
  const revalue = (modelId: number, e: EventPlace, skip: ReadonlySet<Holding>) => {
    const m = book(modelId);
    for (const h of byModel.get(modelId) ?? []) {
      if (skip.has(h)) continue;
      const change = valueAt(h, nav(m), m.totalShares) - h.value;
      if (change !== 0n) row(h, e, 'rounding', { amountWei: change, valueChangeWei: change });
    }
  };
  /** By model, then Numerai round (no string key per tranche); `roundList` keeps the order. */
  const round = (modelId: number, roundId: number): ModelRound => {
    let ofModel = rounds.get(modelId);
    if (!ofModel) rounds.set(modelId, (ofModel = new Map<number, ModelRound>()));
    let r = ofModel.get(roundId);
    if (!r) {
      r = { modelId, roundId, skipped: false, stakedWei: 0n, feeBps: 0, staked: null, settled: null };
      ofModel.set(roundId, r);
      roundList.push(r);
    }
    return r;
  };
  const check = (ok: boolean, what: string, e: EventPlace) => {
    if (!ok) throw new StakingLedgerError(`${what} (block ${e.block}, log ${e.logIndex}, tx ${e.txHash})`);
  };

  /** Books a batch's conversion to the model's holders in it; rounding rows for the others. */
  const convertHolders = (
    e: StakingEventOf<'DepositsConverted' | 'ExitsConverted'>,
    inBatch: (h: Holding) => boolean,
    convert: (h: Holding) => void,
  ) => {
    const converted = new Set<Holding>();
    for (const h of byModel.get(e.modelId) ?? []) {
      if (!inBatch(h)) continue;
      convert(h);
      converted.add(h);
    }
    revalue(e.modelId, e, converted);
  };
  /** The pool's lazy booking of a conversion must be the one the ledger made. */
  const confirm = (e: StakingEventOf<'SharesIssued' | 'ExitSettled'>, kind: LazyEvent, batch: number, shares: bigint, wei: bigint) => {
    const h = holding(e.holder, e.modelId);
    if (!h) return;
    const u = h.lazy[kind];
    check(
      u !== null && u.batch === batch && u.shares === shares && u.wei === wei,
      `${kind} (${shares} shares, ${wei} wei, batch ${batch}) differs from the ledger's conversion`,
      e,
    );
    h.lazy[kind] = null;
  };
  const settle = (e: StakingEventOf<'TrancheSettled'>) => {
    const m = book(e.modelId);
    const principal = m.tranches.get(e.roundId);
    check(principal === e.principalWei, `TrancheSettled for round ${e.roundId} of model ${e.modelId} without its TrancheStaked`, e);
    const before = nav(m);
    const ts = m.totalShares;
    m.tranches.delete(e.roundId);
    m.atStakeWei -= e.principalWei;
    m.idleWei += e.returnedWei - e.feeWei;
    m.feesOwedWei += e.feeWei;
    const r = round(e.modelId, e.roundId);
    const resultWei = e.returnedWei - e.principalWei;
    r.settled = { returnedWei: e.returnedWei, resultWei, feeWei: e.feeWei, alreadySettled: e.alreadySettled, at: e };
    const gross = before + resultWei; // NAV after the result, before the fee
    const after = nav(m);
    for (const h of byModel.get(e.modelId) ?? []) {
      if (h.shares === 0n && h.exitShares === 0n) continue;
      const atGross = stakingValueOf(h.shares, gross, ts) + stakingValueOf(h.exitShares, gross, ts);
      // The value before is the last row's (every change of the model's price revalues its holders).
      const share = atGross - (h.value - h.deposit - h.withdrawable);
      if (resultWei < 0n) {
        // No fee on a loss: the value after is the shares' at the gross NAV (else measured).
        if (e.feeWei === 0n) push(h, e, 'burn', share, e.roundId, null, 0n, share);
        else row(h, e, 'burn', { amountWei: share, roundId: e.roundId });
        continue;
      }
      push(h, e, 'payout', share, e.roundId, null, 0n, share);
      if (e.feeWei !== 0n) {
        const fee = atGross - stakingValueOf(h.shares, after, ts) - stakingValueOf(h.exitShares, after, ts);
        push(h, e, 'fee', -fee, e.roundId, null, 0n, -fee);
      }
    }
  };

  for (const e of events) {
    switch (e.kind) {
      case 'ModelRegistered':
        models.set(e.modelId, {
          modelId: e.modelId,
          numeraiModelId: e.numeraiModelId,
          name: e.name,
          operator: e.operator,
          feeBps: e.feeBps,
          capWei: e.capWei,
          idleWei: 0n,
          atStakeWei: 0n,
          totalShares: 0n,
          exitingShares: 0n,
          pendingDepositWei: 0n,
          feesOwedWei: 0n,
          owedExitWei: 0n,
          depositEpoch: 1,
          tranches: new Map(),
        });
        break;
      case 'Delegated': {
        book(e.modelId).pendingDepositWei += e.amountWei;
        const h = holding(e.holder, e.modelId);
        if (!h) break;
        check(h.deposit === 0n || h.depositEpoch === e.epoch, 'a delegation into a new epoch while a deposit waits', e);
        h.deposit += e.amountWei;
        h.depositEpoch = e.epoch;
        row(h, e, 'delegated', { amountWei: e.amountWei, batch: e.epoch });
        break;
      }
      case 'DepositCancelled': {
        book(e.modelId).pendingDepositWei -= e.amountWei;
        const h = holding(e.holder, e.modelId);
        if (!h) break;
        check(h.deposit === e.amountWei && h.depositEpoch === e.epoch, 'a cancelled deposit the ledger does not hold', e);
        h.deposit = 0n;
        h.depositEpoch = 0;
        row(h, e, 'deposit_cancelled', { amountWei: -e.amountWei, batch: e.epoch });
        break;
      }
      case 'DepositsConverted': {
        const m = book(e.modelId);
        check(e.epoch === m.depositEpoch, `deposit epoch ${e.epoch} converted, ${m.depositEpoch} open`, e);
        m.idleWei += e.amountWei;
        m.pendingDepositWei -= e.amountWei;
        check(m.totalShares + e.sharesMinted === e.totalSharesAfter && nav(m) === e.navAfterWei, 'a conversion at another price', e);
        m.totalShares = e.totalSharesAfter;
        m.depositEpoch = e.epoch + 1;
        convertHolders(
          e,
          (h) => h.deposit !== 0n && h.depositEpoch === e.epoch,
          (h) => {
            const shares = (h.deposit * e.sharesMinted) / e.amountWei;
            const amountWei = h.deposit;
            h.lazy.SharesIssued = { batch: e.epoch, shares, wei: amountWei };
            h.shares += shares;
            h.deposit = 0n;
            h.depositEpoch = 0;
            row(h, e, 'shares_issued', { amountWei, batch: e.epoch, sharesDelta: shares });
          },
        );
        break;
      }
      case 'SharesIssued':
        confirm(e, 'SharesIssued', e.epoch, e.shares, e.amountWei);
        break;
      case 'RedeemRequested': {
        const m = book(e.modelId);
        m.exitingShares += e.shares;
        const h = holding(e.holder, e.modelId);
        if (!h) break;
        check(e.shares <= h.shares && e.exitingShares === h.exitShares + e.shares, 'an exit request the ledger cannot match', e);
        const requested = stakingValueOf(e.shares, nav(m), m.totalShares);
        h.shares -= e.shares;
        h.exitShares = e.exitingShares;
        h.exitBatch = e.batch;
        h.unlockRound = e.unlockRound;
        row(h, e, 'exit_requested', { amountWei: requested, roundId: e.unlockRound, batch: e.batch, sharesDelta: -e.shares });
        break;
      }
      case 'ExitsConverted': {
        const m = book(e.modelId);
        m.idleWei -= e.assetsWei;
        m.exitingShares -= e.shares;
        m.owedExitWei += e.assetsWei;
        check(m.totalShares - e.shares === e.totalSharesAfter && nav(m) === e.navAfterWei, 'an exit conversion at another price', e);
        m.totalShares = e.totalSharesAfter;
        convertHolders(
          e,
          (h) => h.exitShares !== 0n && h.exitBatch === e.batch,
          (h) => {
            const shares = h.exitShares;
            const assets = (shares * e.assetsWei) / e.shares;
            h.lazy.ExitSettled = { batch: e.batch, shares, wei: assets };
            h.withdrawable += assets;
            h.exitShares = 0n;
            h.exitBatch = 0;
            h.unlockRound = 0;
            row(h, e, 'exit_settled', { amountWei: assets, batch: e.batch, sharesDelta: -shares });
          },
        );
        break;
      }
      case 'ExitSettled':
        confirm(e, 'ExitSettled', e.batch, e.shares, e.assetsWei);
        break;
      case 'Withdrawn': {
        book(e.modelId).owedExitWei -= e.amountWei;
        const h = holding(e.holder, e.modelId);
        if (!h) break;
        check(e.amountWei === h.withdrawable, 'a withdrawal of another amount than the ledger holds', e);
        h.withdrawable = 0n;
        row(h, e, 'withdrawn', { amountWei: -e.amountWei });
        break;
      }
      case 'TrancheStaked': {
        const m = book(e.modelId);
        m.idleWei -= e.amountWei;
        m.atStakeWei += e.amountWei;
        m.tranches.set(e.roundId, e.amountWei);
        const r = round(e.modelId, e.roundId);
        r.stakedWei = e.amountWei;
        r.feeBps = e.feeBps;
        r.staked = { block: e.block, logIndex: e.logIndex, txHash: e.txHash };
        // The holder's part of the tranche: its fraction of the model's shares (virtual ones included).
        const denominator = m.totalShares + VIRTUAL_SHARES;
        for (const h of byModel.get(e.modelId) ?? []) {
          const held = h.shares + h.exitShares;
          if (held !== 0n) push(h, e, 'staked', (e.amountWei * held) / denominator, e.roundId, null, 0n, 0n);
        }
        break;
      }
      case 'StakeSkipped':
        book(e.modelId);
        round(e.modelId, e.roundId).skipped = true;
        break;
      case 'TrancheSettled':
        settle(e);
        break;
      case 'FeesClaimed':
        book(e.modelId).feesOwedWei -= e.amountWei;
        break;
      case 'FeeChangeApplied':
        book(e.modelId).feeBps = e.feeBps;
        break;
      case 'CapChanged':
        book(e.modelId).capWei = e.newCapWei;
        break;
      case 'FeeChangeScheduled':
        break;
    }
  }

  const positions: StakingLedger['positions'] = new Map();
  for (const [k, h] of holdings) {
    positions.set(k, { holder: h.holder, modelId: h.modelId, ...stateOf(h) });
  }
  return { rows, positions, models, rounds: roundList };
}

/** One holder's result of one settled round of a model: what `staked`, `payout`, `fee` and `burn` rows say. */
export interface HolderRoundResult {
  holder: string;
  modelId: number;
  roundId: number;
  stakedWei: bigint;
  payoutWei: bigint;
  feeWei: bigint;
  burnWei: bigint;
  /** payout − fee − burn: the change of the position's value at the settlement. */
  netWei: bigint;
  settled: boolean;
}

/** Per holder, model and round, from the ledger's rows (in the order the rounds were first staked). */
export function holderRoundResults(ledger: StakingLedger): HolderRoundResult[] {
  const out = new Map<string, HolderRoundResult>();
  for (const r of ledger.rows) {
    if (r.roundId === null || r.type === 'exit_requested') continue;
    const k = `${r.holder}:${r.modelId}:${r.roundId}`;
    let x = out.get(k);
    if (!x) {
      x = {
        holder: r.holder,
        modelId: r.modelId,
        roundId: r.roundId,
        stakedWei: 0n,
        payoutWei: 0n,
        feeWei: 0n,
        burnWei: 0n,
        netWei: 0n,
        settled: false,
      };
      out.set(k, x);
    }
    if (r.type === 'staked') x.stakedWei += r.amountWei;
    else {
      x.settled = true;
      x.netWei += r.valueChangeWei;
      if (r.type === 'payout') x.payoutWei += r.amountWei;
      else if (r.type === 'fee') x.feeWei -= r.amountWei;
      else if (r.type === 'burn') x.burnWei -= r.amountWei;
    }
  }
  return [...out.values()];
}

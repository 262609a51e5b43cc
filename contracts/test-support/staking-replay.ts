/**
 * Rebuilds every StakingPool position and model book from the pool's event logs alone, the way an
 * indexer or the app's history would: holder events plus the batch conversions they refer to. The
 * property test compares the result with the chain's views after every sequence.
 */
import type { Interface, Log } from 'ethers';

export interface ReplayedPosition {
  shares: bigint;
  pendingDepositWei: bigint;
  exitingShares: bigint;
  unlockRound: bigint;
  withdrawableWei: bigint;
}

export interface ReplayedModel {
  idleWei: bigint;
  atStakeWei: bigint;
  totalShares: bigint;
  feesOwedWei: bigint;
  feeBps: bigint;
  /** Unsettled tranches: round → principal. */
  tranches: Map<bigint, bigint>;
}

interface Holder {
  shares: bigint;
  deposit: bigint;
  depositEpoch: bigint;
  exitShares: bigint;
  exitBatch: bigint;
  unlockRound: bigint;
  withdrawable: bigint;
}

interface ModelBook extends ReplayedModel {
  depositEpoch: bigint; // open epoch
  exitHead: bigint; // first batch not converted
  deposits: Map<bigint, { amount: bigint; minted: bigint }>;
  exits: Map<bigint, { shares: bigint; assets: bigint }>;
}

export interface Replay {
  positions: Map<string, ReplayedPosition>; // `${holder}:${modelId}`, holder lower-case
  models: Map<number, ReplayedModel>;
}

/** A parsed pool event (what `Interface.parseLog` gives), so a caller can parse a long history once. */
export interface PoolEvent {
  name: string;
  args: Record<string, bigint | string>;
}

export function parseEvents(iface: Interface, logs: readonly Log[]): PoolEvent[] {
  const out: PoolEvent[] = [];
  for (const log of logs) {
    const ev = iface.parseLog(log);
    if (ev) out.push({ name: ev.name, args: ev.args.toObject() as Record<string, bigint | string> });
  }
  return out;
}

interface EventArgs {
  holder: string;
  modelId: bigint;
  epoch: bigint;
  batch: bigint;
  roundId: bigint;
  amountWei: bigint;
  sharesMinted: bigint;
  totalSharesAfter: bigint;
  shares: bigint;
  exitingShares: bigint;
  unlockRound: bigint;
  assetsWei: bigint;
  principalWei: bigint;
  returnedWei: bigint;
  feeWei: bigint;
  feeBps: bigint;
}

export function replayStaking(events: readonly PoolEvent[]): Replay {
  const models = new Map<number, ModelBook>();
  const holders = new Map<string, Holder>();
  const holder = (h: string, id: number) => {
    const k = `${h.toLowerCase()}:${id}`;
    let x = holders.get(k);
    if (!x) {
      x = { shares: 0n, deposit: 0n, depositEpoch: 0n, exitShares: 0n, exitBatch: 0n, unlockRound: 0n, withdrawable: 0n };
      holders.set(k, x);
    }
    return x;
  };
  const book = (id: number) => {
    const m = models.get(id);
    if (!m) throw new Error(`replay: event for unregistered model ${id}`);
    return m;
  };
  for (const ev of events) {
    // The fields the replay reads, by their names in StakingPool's events (each event has its own subset).
    const a = ev.args as unknown as EventArgs;
    const id = a.modelId === undefined ? 0 : Number(a.modelId);
    switch (ev.name) {
      case 'ModelRegistered':
        models.set(id, {
          idleWei: 0n,
          atStakeWei: 0n,
          totalShares: 0n,
          feesOwedWei: 0n,
          feeBps: a.feeBps,
          tranches: new Map(),
          depositEpoch: 1n,
          exitHead: 1n,
          deposits: new Map(),
          exits: new Map(),
        });
        break;
      case 'Delegated': {
        const x = holder(a.holder, id);
        x.deposit += a.amountWei;
        x.depositEpoch = a.epoch;
        break;
      }
      case 'DepositCancelled':
        holder(a.holder, id).deposit = 0n;
        break;
      case 'DepositsConverted': {
        const m = book(id);
        m.deposits.set(a.epoch, { amount: a.amountWei, minted: a.sharesMinted });
        m.depositEpoch = a.epoch + 1n;
        m.idleWei += a.amountWei;
        m.totalShares = a.totalSharesAfter;
        break;
      }
      case 'SharesIssued': {
        const x = holder(a.holder, id);
        x.shares += a.shares;
        x.deposit = 0n;
        break;
      }
      case 'RedeemRequested': {
        const x = holder(a.holder, id);
        x.shares -= a.shares;
        x.exitShares = a.exitingShares;
        x.exitBatch = a.batch;
        x.unlockRound = a.unlockRound;
        break;
      }
      case 'ExitsConverted': {
        const m = book(id);
        m.exits.set(a.batch, { shares: a.shares, assets: a.assetsWei });
        m.exitHead = a.batch + 1n;
        m.idleWei -= a.assetsWei;
        m.totalShares = a.totalSharesAfter;
        break;
      }
      case 'ExitSettled': {
        const x = holder(a.holder, id);
        x.withdrawable += a.assetsWei;
        x.exitShares = 0n;
        x.unlockRound = 0n;
        break;
      }
      case 'Withdrawn':
        holder(a.holder, id).withdrawable -= a.amountWei;
        break;
      case 'TrancheStaked': {
        const m = book(id);
        m.idleWei -= a.amountWei;
        m.atStakeWei += a.amountWei;
        m.tranches.set(a.roundId, a.amountWei);
        break;
      }
      case 'TrancheSettled': {
        const m = book(id);
        m.atStakeWei -= a.principalWei;
        m.idleWei += a.returnedWei - a.feeWei;
        m.feesOwedWei += a.feeWei;
        m.tranches.delete(a.roundId);
        break;
      }
      case 'FeesClaimed':
        book(id).feesOwedWei -= a.amountWei;
        break;
      case 'FeeChangeApplied':
        book(id).feeBps = a.feeBps;
        break;
      default:
        break;
    }
  }
  // Conversions a holder has not touched since: booked at their batch's figures, as the views do.
  const positions = new Map<string, ReplayedPosition>();
  for (const [k, x] of holders) {
    const id = Number(k.split(':')[1]);
    const m = book(id);
    let shares = x.shares;
    let deposit = x.deposit;
    let withdrawable = x.withdrawable;
    let exiting = x.exitShares;
    let unlock = x.unlockRound;
    if (deposit !== 0n && x.depositEpoch < m.depositEpoch) {
      const b = m.deposits.get(x.depositEpoch)!;
      shares += (deposit * b.minted) / b.amount;
      deposit = 0n;
    }
    if (exiting !== 0n && x.exitBatch < m.exitHead) {
      const b = m.exits.get(x.exitBatch)!;
      withdrawable += (exiting * b.assets) / b.shares;
      exiting = 0n;
      unlock = 0n;
    }
    positions.set(k, { shares, pendingDepositWei: deposit, exitingShares: exiting, unlockRound: unlock, withdrawableWei: withdrawable });
  }
  return { positions, models };
}

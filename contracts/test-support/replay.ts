/**
 * Rebuilds every holder's position from DelegationPool's event logs alone (no contract reads), the
 * way the app's history/export does. Used by the property test to prove the event trail is complete.
 *
 * Rules (see contracts/README.md, "Event trail"):
 * - Delegated(h, m, r, a) adds a pending deposit of round r; DelegationCancelled takes it back.
 * - RoundResolved(r, m, …) gives the price of round r for model m:
 *     P_S = totalSharesAfter - sharesMinted + exitSharesBurned
 *     P_A = stakeBeforeWei + rewardWei - feeWei - burnedWei
 *   a deposit d of round r becomes floor(d * (P_S + 1e6) / (P_A + 1)) shares; an exit of s shares
 *   with unlock round u pays floor(s * (P_A + 1) / (P_S + 1e6)) at the price of round u - 1.
 * - UndelegateRequested(h, m, r, s, u, total): s settled shares leave; the holder's pending exit
 *   becomes `total` shares unlocking at u (an earlier locked request merges into it).
 * - Withdrawn(h, m, a) pays out a from the converted exits.
 * - A round that closed without a result for a model (RoundClosed without RoundResolved) is a zero
 *   return; its conversions are logged (RoundResolved with returnBps 0) when the model is next touched.
 *   Until then the position depends on a price not in the logs yet: `complete` is false.
 */
import type { Interface, Log } from 'ethers';

export const VIRTUAL_SHARES = 1_000_000n;

export interface ReplayedPosition {
  holder: string;
  modelId: number;
  shares: bigint;
  pendingInWei: bigint;
  pendingInRound: number;
  pendingOutShares: bigint;
  unlockRound: number;
  withdrawableWei: bigint;
  /** Totals over the history, for reports. */
  delegatedWei: bigint;
  withdrawnWei: bigint;
  /** False when a conversion waits on a price that is not in the logs yet (see above). */
  complete: boolean;
}

export interface ReplayResult {
  positions: Map<string, ReplayedPosition>;
  /** Price per `${modelId}:${round}`: [P_S + VIRTUAL_SHARES, P_A + 1]. */
  prices: Map<string, [bigint, bigint]>;
  currentRound: number | undefined;
  /** SharesIssued / ExitSettled events whose amounts disagree with the rules above. */
  mismatches: string[];
}

type Args = Record<string, unknown> & { [k: string]: unknown };

export function replay(iface: Interface, logs: readonly Log[]): ReplayResult {
  const positions = new Map<string, ReplayedPosition>();
  const prices = new Map<string, [bigint, bigint]>();
  const mismatches: string[] = [];
  let currentRound: number | undefined;

  const pos = (holder: string, modelId: number): ReplayedPosition => {
    const key = `${holder.toLowerCase()}:${modelId}`;
    let p = positions.get(key);
    if (!p) {
      p = {
        holder: holder.toLowerCase(),
        modelId,
        shares: 0n,
        pendingInWei: 0n,
        pendingInRound: 0,
        pendingOutShares: 0n,
        unlockRound: 0,
        withdrawableWei: 0n,
        delegatedWei: 0n,
        withdrawnWei: 0n,
        complete: true,
      };
      positions.set(key, p);
    }
    return p;
  };

  /** Applies the conversions whose price is known. */
  const settle = (p: ReplayedPosition) => {
    if (p.pendingInWei !== 0n) {
      const price = prices.get(`${p.modelId}:${p.pendingInRound}`);
      if (price) {
        p.shares += (p.pendingInWei * price[0]) / price[1];
        p.pendingInWei = 0n;
        p.pendingInRound = 0;
      }
    }
    if (p.pendingOutShares !== 0n) {
      const price = prices.get(`${p.modelId}:${p.unlockRound - 1}`);
      if (price) {
        p.withdrawableWei += (p.pendingOutShares * price[1]) / price[0];
        p.pendingOutShares = 0n;
        p.unlockRound = 0;
      }
    }
  };

  const sorted = [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  for (const log of sorted) {
    const parsed = iface.parseLog(log);
    if (!parsed) continue;
    const a = parsed.args as unknown as Args;
    switch (parsed.name) {
      case 'RoundResolved': {
        const pS = (a.totalSharesAfter as bigint) - (a.sharesMinted as bigint) + (a.exitSharesBurned as bigint);
        const pA = (a.stakeBeforeWei as bigint) + (a.rewardWei as bigint) - (a.feeWei as bigint) - (a.burnedWei as bigint);
        prices.set(`${Number(a.modelId)}:${Number(a.round)}`, [pS + VIRTUAL_SHARES, pA + 1n]);
        break;
      }
      case 'RoundClosed':
        currentRound = Number(a.round) + 1;
        break;
      case 'Delegated': {
        const p = pos(a.holder as string, Number(a.modelId));
        settle(p);
        p.pendingInWei += a.amountWei as bigint;
        p.pendingInRound = Number(a.round);
        p.delegatedWei += a.amountWei as bigint;
        break;
      }
      case 'DelegationCancelled': {
        const p = pos(a.holder as string, Number(a.modelId));
        settle(p);
        p.pendingInWei -= a.amountWei as bigint;
        p.delegatedWei -= a.amountWei as bigint;
        if (p.pendingInWei === 0n) p.pendingInRound = 0;
        break;
      }
      case 'UndelegateRequested': {
        const p = pos(a.holder as string, Number(a.modelId));
        settle(p);
        p.shares -= a.shares as bigint;
        p.pendingOutShares = a.pendingOutSharesTotal as bigint;
        p.unlockRound = Number(a.unlockRound);
        break;
      }
      case 'Withdrawn': {
        const p = pos(a.holder as string, Number(a.modelId));
        settle(p);
        p.withdrawableWei -= a.amountWei as bigint;
        p.withdrawnWei += a.amountWei as bigint;
        break;
      }
      case 'SharesIssued': {
        const price = prices.get(`${Number(a.modelId)}:${Number(a.round)}`);
        const want = price ? ((a.amountWei as bigint) * price[0]) / price[1] : undefined;
        if (want !== a.shares)
          mismatches.push(`SharesIssued ${String(a.holder)} m${String(a.modelId)} r${String(a.round)}: ${String(a.shares)} != ${want}`);
        break;
      }
      case 'ExitSettled': {
        const price = prices.get(`${Number(a.modelId)}:${Number(a.unlockRound) - 1}`);
        const want = price ? ((a.shares as bigint) * price[1]) / price[0] : undefined;
        if (want !== a.amountWei)
          mismatches.push(
            `ExitSettled ${String(a.holder)} m${String(a.modelId)} u${String(a.unlockRound)}: ${String(a.amountWei)} != ${want}`,
          );
        break;
      }
      default:
        break;
    }
  }
  for (const p of positions.values()) {
    settle(p);
    // A conversion still waiting although its round has closed: the model was left out and not yet caught up.
    if (
      currentRound !== undefined &&
      ((p.pendingInWei !== 0n && p.pendingInRound < currentRound) || (p.pendingOutShares !== 0n && p.unlockRound - 1 < currentRound))
    ) {
      p.complete = false;
    }
  }
  return { positions, prices, currentRound, mismatches };
}

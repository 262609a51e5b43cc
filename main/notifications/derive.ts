import type { AppNotificationWei, EventPayload, HistoryEntryWei, StakingPositionWei } from '../../shared/api';

/** A notification as derived, before the store stamps when it was noticed and whether it was read. */
export type NotificationDraft = Omit<AppNotificationWei, 'timeMs' | 'read'>;

/**
 * Which chain a fact belongs to: the chain id and its first block's hash, so a demo chain thrown away
 * and started afresh (same chain id, same contract addresses, round numbers again from 1) is another
 * chain, and what was seen on the old one neither hides nor repeats what happens on the new one.
 */
export type ChainKey = string;

type TxStatus = EventPayload<'tx.status'>;

/**
 * A transaction's outcome, once per request: the last step confirmed, or any step that did not
 * happen (reverted, refused before sending, its place taken by a transaction from elsewhere). A
 * speed-up that wins counts as its step; a cancel the person asked for, or a speed-up that could not
 * be sent while the original still waits, tells nothing new.
 */
export function txNotification(e: TxStatus, account: string, chain: ChainKey): NotificationDraft | null {
  const base = { account, modelId: null, model: null, roundId: null, amountWei: null, txHash: e.hash, place: 'history' as const };
  if (e.purpose === 'cancel') return null;
  if (e.state === 'confirmed' && e.step === e.steps)
    return { ...base, id: `tx:${chain}:${e.requestId}:done`, kind: 'tx-confirmed', title: `${e.label}: confirmed`, detail: null };
  const failed =
    (e.state === 'failed' && (e.purpose === 'step' || e.hash !== null)) || (e.state === 'replaced' && e.replacedBy?.by === 'other');
  if (!failed) return null;
  return {
    ...base,
    id: `tx:${chain}:${e.requestId}:failed`,
    kind: 'tx-failed',
    title: `${e.label}: did not go through`,
    detail: e.error,
  };
}

/**
 * One notification per position and Numerai round whose result reached the history after block
 * `afterBlock`: the round's payout, the operator's fee and any burn together, as the position's
 * value changed (what Portfolio's "Your part" column shows for the round), exact to the wei.
 * `rows` are the history's payout, fee and burn entries of the wallet's accounts.
 */
export function resultNotifications(rows: readonly HistoryEntryWei[], afterBlock: number, chain: ChainKey): NotificationDraft[] {
  const groups = new Map<string, { first: HistoryEntryWei; resultWei: bigint; fresh: boolean }>();
  for (const r of rows) {
    if (r.roundId === null || (r.kind !== 'payout' && r.kind !== 'fee' && r.kind !== 'burn')) continue;
    const key = `${r.account.toLowerCase()}:${r.modelId}:${r.roundId}`;
    const g = groups.get(key) ?? { first: r, resultWei: 0n, fresh: false };
    g.resultWei += r.valueChangeWei;
    g.fresh ||= r.block > afterBlock;
    groups.set(key, g);
  }
  return [...groups.entries()]
    .filter(([, g]) => g.fresh)
    .map(([key, { first: r, resultWei }]) => ({
      id: `result:${chain}:${key}`,
      kind: 'round-result' as const,
      title: resultTitle(r.model, r.roundId!, resultWei),
      amountWei: resultWei,
      account: r.account,
      modelId: r.modelId,
      model: r.model,
      roundId: r.roundId,
      txHash: r.txHash,
      detail: null,
      place: 'portfolio' as const,
    }));
}

function resultTitle(model: string, roundId: number, resultWei: bigint): string {
  if (resultWei > 0n) return `${model} earned in round ${roundId}`;
  if (resultWei < 0n) return `${model} lost in round ${roundId} (burned by Numerai)`;
  return `${model}: round ${roundId} settled with no change`;
}

/** What can be withdrawn now: converted NMR, and an exit whose unlock round has passed (withdraw converts it first). */
export function readyWei(p: Pick<StakingPositionWei, 'withdrawableWei' | 'leavingMatured' | 'leavingValueWei'>): bigint {
  return p.withdrawableWei + (p.leavingMatured ? p.leavingValueWei : 0n);
}

/** An account on a chain: its history cursor's key, and the prefix of its positions' keys. */
export const accountKey = (chain: ChainKey, account: string) => `${chain}:${account.toLowerCase()}`;

/** Whether a notification's id was made on `chain` (every id above names its chain between colons). */
export const madeOn = (id: string, chain: ChainKey) => id.includes(`:${chain}:`);

/** A position's key in the set of those ready to withdraw. */
export const positionKey = (chain: ChainKey, account: string, modelId: number) => `${accountKey(chain, account)}:${modelId}`;

/**
 * "NMR ready to withdraw", once each time a position becomes ready: `wasReady` holds the positions
 * that were ready at the last look (kept on disk), so a position that stays ready is not told again,
 * and one withdrawn and later ready again is. The id names the amount withdrawn so far, which a
 * withdrawal moves on, so two exits of one position never share an id.
 */
export function withdrawableNotifications(
  account: string,
  positions: readonly StakingPositionWei[],
  wasReady: ReadonlySet<string>,
  chain: ChainKey,
): { drafts: NotificationDraft[]; ready: string[] } {
  const drafts: NotificationDraft[] = [];
  const ready: string[] = [];
  for (const p of positions) {
    const amount = readyWei(p);
    if (amount === 0n) continue;
    const key = positionKey(chain, account, p.modelId);
    ready.push(key);
    if (wasReady.has(key)) continue;
    drafts.push({
      id: `withdrawable:${key}:${p.withdrawnWei}`,
      kind: 'withdrawable',
      title: `NMR from ${p.name} is ready to withdraw`,
      amountWei: amount,
      account,
      modelId: p.modelId,
      model: p.name,
      roundId: p.unlockRound,
      txHash: null,
      detail: null,
      place: 'portfolio',
    });
  }
  return { drafts, ready };
}

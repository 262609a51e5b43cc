import type { EventPayload } from '../../../shared/api';

export type TxEvent = EventPayload<'tx.status'>;

/** After this long pending, the page says the wait is unusual (speed up and cancel are offered from the start). */
export const SLOW_AFTER_MS = 30_000;

export type StepState = 'signing' | 'pending' | 'mined' | 'confirmed' | 'failed' | 'cancelled' | 'replaced-other';

/** One step of a plan as the page shows it, from every tx.status event about it (its own and its replacements'). */
export interface StepView {
  state: StepState;
  words: string;
  /** The step's transaction id while it can still be sped up or cancelled. */
  replaceableTxId: string | null;
  sentAt: number | null;
  /** A speed-up or cancel that was sent and is waiting with the original. */
  replacing: 'speed-up' | 'cancel' | null;
  /** Why a speed-up or cancel could not be sent (the original still waits). */
  replacementError: string | null;
  /** Why the step did not happen; set only when it stops the plan. */
  error: string | null;
}

const WORDS: Record<TxEvent['state'], string> = {
  signing: 'Signing…',
  pending: 'Sent, waiting for the network…',
  mined: 'In a block, waiting for confirmation…',
  confirmed: 'Done, confirmed',
  failed: 'Failed',
  replaced: 'Replaced',
};

function minedWords(e: TxEvent): string {
  return e.state === 'mined' && e.confirmationsNeeded > 1
    ? `In a block, confirmation ${e.confirmations} of ${e.confirmationsNeeded}…`
    : WORDS[e.state];
}

/** The latest event of each transaction of one step, original first. */
function latestByTx(events: TxEvent[]): { original: TxEvent | null; replacements: TxEvent[] } {
  const latest = new Map<string, TxEvent>();
  for (const e of events) latest.set(e.txId, e);
  const all = [...latest.values()];
  return { original: all.find((e) => e.purpose === 'step') ?? null, replacements: all.filter((e) => e.purpose !== 'step') };
}

export function stepView(events: TxEvent[]): StepView | null {
  const { original, replacements } = latestByTx(events);
  if (!original) return null;
  const base = { replaceableTxId: null, sentAt: original.sentAt, replacing: null, replacementError: null, error: null };
  if (original.state === 'replaced') {
    const by = original.replacedBy?.by;
    if (by === 'speed-up') {
      const winner = replacements.find((r) => r.hash === original.replacedBy?.hash);
      const state = winner && winner.state !== 'replaced' ? winner.state : 'mined';
      return {
        ...base,
        state: state as StepState,
        words: `Sped up · ${winner ? minedWords(winner) : WORDS.mined}`,
        error: state === 'failed' ? (winner?.error ?? 'The transaction was reverted.') : null,
      };
    }
    if (by === 'cancel')
      return {
        ...base,
        state: 'cancelled',
        words: 'Cancelled: this step did not happen',
        error: original.error ?? 'You cancelled it, so this step did not happen.',
      };
    return {
      ...base,
      state: 'replaced-other',
      words: 'Replaced by another transaction from your account: this step did not happen',
      error: original.error ?? 'Another transaction from your account went through instead.',
    };
  }
  if (original.state === 'pending') {
    const waiting = replacements.filter((r) => r.state === 'pending');
    const replacing = waiting.length ? (waiting.at(-1)!.purpose as 'speed-up' | 'cancel') : null;
    const failed = replacements.filter((r) => r.state === 'failed').at(-1);
    const words =
      replacing === 'cancel'
        ? 'Cancelling, waiting for the network…'
        : replacing === 'speed-up'
          ? 'Sent again with a higher fee, waiting for the network…'
          : WORDS.pending;
    return {
      ...base,
      state: 'pending',
      words,
      replaceableTxId: original.txId,
      replacing,
      replacementError: failed && !waiting.length ? failed.error : null,
    };
  }
  return {
    ...base,
    state: original.state,
    words: original.state === 'signing' && original.waitingFor ? original.waitingFor : minedWords(original),
    error: original.state === 'failed' ? (original.error ?? 'A transaction failed.') : null,
  };
}

/** The whole plan: each step's view, whether it all went through, and why it stopped if it did. */
export function planView(
  events: TxEvent[],
  steps: number,
): { views: (StepView | null)[]; done: boolean; stopped: { step: number; message: string } | null } {
  const views = Array.from({ length: steps }, (_, i) => stepView(events.filter((e) => e.step === i + 1)));
  const stoppedAt = views.findIndex((v) => v?.error);
  const last = views[steps - 1];
  let stopped = null;
  if (stoppedAt >= 0) {
    const v = views[stoppedAt]!;
    const rest = stoppedAt < steps - 1 ? ' Nothing after it was sent.' : '';
    stopped = {
      step: stoppedAt + 1,
      message: `${v.error}${rest}${v.state === 'cancelled' ? ' Your NMR did not move; only the network fee was paid.' : ''}`,
    };
  }
  return { views, done: !stopped && last?.state === 'confirmed', stopped };
}

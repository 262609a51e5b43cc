import { Transaction, type JsonRpcProvider, type TransactionReceipt } from 'ethers';
import type { AccountSigner, RawSigner, SendingSigner } from '../accounts/external-signers';
import { AppError, type EventPayload } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import { marketFees, replacementFees, type Fees } from './fees';
import { nodeFault } from '../chain/tx-errors';
import { CONFIRMATIONS_NEEDED } from '../chain/confirmations';
import type { Logger } from '../log/logger';
import type { PendingTxFile, StoredEntry } from './pending-file';

/**
 * Malformed answers in a row (a receipt with garbage, a count that is not a number) after which
 * the watch stops and says so: a node that only ever answers nonsense would otherwise leave the
 * transaction "pending" for ever. A silent or unreachable node is still waited for.
 */
export const MAX_BAD_ANSWERS = 5;
/**
 * How long the nonce must be seen used, with no receipt for any of ours, before the transaction is
 * said to be taken by another: a receipt can lag the nonce (a provider's backends a block apart).
 */
const TAKEN_AFTER_MS = 2000;

export type TxPurpose = 'step' | 'speed-up' | 'cancel';
type TxEvent = EventPayload<'tx.status'>;
type TxState = TxEvent['state'];
type ReplacedBy = NonNullable<EventPayload<'tx.status'>['replacedBy']>;

/** Which step of which confirmed request a transaction carries out. */
export interface StepRef {
  requestId: string;
  label: string;
  step: number;
  steps: number;
}

export interface TxBody {
  to: string;
  data: string;
  value: bigint;
  gasLimit: bigint;
}

interface Attempt extends TxBody {
  txId: string;
  hash: string;
  purpose: TxPurpose;
  label: string;
  fees: Fees;
  sentAt: number;
  /**
   * The signed transaction, kept so it can be sent again after a restart if the node forgot it;
   * null when a wallet sent it itself (WalletConnect): sending it again is then the wallet's job.
   */
  raw: string | null;
}

/** One nonce of ours that is not settled yet, with every transaction sent for it (original first). */
export interface InFlightTx {
  ref: StepRef;
  txId: string;
  from: string;
  nonce: number;
  attempts: Attempt[];
  settled: boolean;
  /** The last status told of each of its transactions, so a page opened later can show them. */
  lastEvents: Map<string, TxEvent>;
}

export type Outcome =
  | { kind: 'mined'; hash: string; by: 'step' | 'speed-up' }
  | { kind: 'reverted'; hash: string }
  | { kind: 'cancelled'; hash: string }
  | { kind: 'replaced-by-other' };

/** A replacement as the person will see it before confirming, and exactly as it will be signed. */
export interface Replacement {
  entry: InFlightTx;
  purpose: 'speed-up' | 'cancel';
  body: TxBody;
  fees: Fees;
  /** The latest transaction it replaces: its fees and gas, for the before/after figures. */
  previous: { fees: Fees; gasLimit: bigint; label: string };
}

const WORDS = {
  cancelled: 'You cancelled it, so this step did not happen.',
  other:
    'Another transaction from your account with the same number went through instead (perhaps sent from another wallet app), so this step did not happen.',
  reverted: 'The transaction was reverted.',
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Main's view of its transactions between sending and finality: it picks each nonce and fee, sends,
 * watches every transaction sent for a nonce (the original and any speed-up or cancel) until one of
 * them is mined, reports which one won, and then counts confirmations.
 */
export class InFlightTracker {
  private readonly live = new Map<string, InFlightTx>();
  private readonly stop = new AbortController();
  readonly confirmationsNeeded: number;

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly events: EventBus,
    kind: 'local' | 'remote',
    /** Where waiting transactions are kept across restarts (none: they live only in memory). */
    private readonly keep: { file: PendingTxFile; log: Pick<Logger, 'warn' | 'info'> } | null = null,
  ) {
    this.confirmationsNeeded = CONFIRMATIONS_NEEDED[kind];
  }

  /**
   * Picks up what a previous run left waiting on this chain: lists it again (speed up and cancel
   * offered), sends each signed transaction again if the node forgot it (a restarted node, a
   * dropped one), and follows it to mined, replaced or taken by another. The plan that sent it is
   * gone, so later steps of that plan are not sent: the person starts the action again.
   */
  async resume(): Promise<number> {
    if (!this.keep) return 0;
    const stored = (await this.keep.file.load()).filter((e) => !this.live.has(e.txId));
    for (const s of stored) {
      const entry: InFlightTx = {
        ref: s.ref,
        txId: s.txId,
        from: s.from,
        nonce: s.nonce,
        attempts: [],
        settled: false,
        lastEvents: new Map(),
      };
      this.live.set(entry.txId, entry);
      for (const a of s.attempts) {
        entry.attempts.push(a);
        this.emitAttempt(entry, a, 'pending', {});
        await this.rebroadcast(a);
      }
      this.settle(entry).catch((e: unknown) =>
        this.keep?.log.warn('tx.resumed_watch_stopped', { txId: entry.txId, error: e instanceof Error ? e.message : String(e) }),
      );
    }
    if (stored.length) this.keep.log.info('tx.resumed', { entries: stored.length });
    return stored.length;
  }

  /** Sends again every transaction still waiting that the node no longer knows (a node restarted with an empty pool). */
  async rebroadcastAll(): Promise<void> {
    for (const e of [...this.live.values()]) for (const a of e.attempts) await this.rebroadcast(a);
  }

  private async rebroadcast(a: Attempt): Promise<void> {
    if (a.raw === null) return;
    try {
      if (await this.provider.getTransaction(a.hash)) return;
      await this.provider.broadcastTransaction(a.raw);
    } catch (e) {
      // Refused (its nonce was used meanwhile, fees now too low): the watch tells what became of it.
      this.keep?.log.warn('tx.rebroadcast_refused', { hash: a.hash, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Writes every entry still waiting to the file, replacing what was there. */
  private persist(): void {
    if (!this.keep) return;
    const entries: StoredEntry[] = [...this.live.values()]
      .filter((e) => !e.settled)
      .map(({ ref, txId, from, nonce, attempts }) => ({ ref, txId, from, nonce, attempts }));
    this.keep.file.save(entries);
  }

  /**
   * Stops every watch (the network is being switched or the app quits), then waits until the file
   * of waiting transactions has reached the disk: its writes need the node (its block 0), so the
   * session closes the provider only after this.
   */
  async close(): Promise<void> {
    this.stop.abort();
    this.live.clear();
    await this.keep?.file.flushed();
  }

  /**
   * Tells the renderer a step is being signed, before anything else can fail; `waitingFor` says
   * where the person approves it when that is not this app (their wallet).
   */
  signing(ref: StepRef, waitingFor: string | null = null): void {
    this.emit({ ...ref, txId: `${ref.requestId}:${ref.step}`, purpose: 'step', replaces: null, nonce: null, sentAt: null }, 'signing', {
      hash: null,
      waitingFor,
    });
  }

  /** Tells the renderer a step failed before or while it was sent. */
  failed(ref: StepRef, error: string): void {
    this.emit({ ...ref, txId: `${ref.requestId}:${ref.step}`, purpose: 'step', replaces: null, nonce: null, sentAt: null }, 'failed', {
      hash: null,
      error,
    });
  }

  /**
   * Signs a step with a nonce and the confirmed fees chosen here, sends it, and starts tracking it;
   * a wallet that sends itself gets the same nonce and fees to send.
   */
  async send(account: AccountSigner, ref: StepRef, body: TxBody, fees: Fees, chainId: number): Promise<InFlightTx> {
    const txId = `${ref.requestId}:${ref.step}`;
    const from = account.signer.address;
    // "pending" counts what this node already holds from us, so a step never reuses a nonce still in its pool.
    const nonce = await this.provider.getTransactionCount(from, 'pending');
    const { hash, raw } = await this.broadcast(account, body, fees, nonce, chainId);
    const entry: InFlightTx = { ref, txId, from, nonce, attempts: [], settled: false, lastEvents: new Map() };
    this.live.set(txId, entry);
    this.addAttempt(entry, { ...body, txId, hash, raw, purpose: 'step', label: ref.label, fees, sentAt: Date.now() });
    return entry;
  }

  /** Every transaction still waiting, as the last tx.status told of it (its replacements too). */
  list(): TxEvent[] {
    return [...this.live.values()].flatMap((e) => [...e.lastEvents.values()]);
  }

  /** The replacement a speed-up or cancel would send: same nonce, fees raised past what nodes require. */
  async prepareReplacement(txId: string, purpose: 'speed-up' | 'cancel'): Promise<Replacement> {
    const entry = this.live.get(txId);
    if (!entry || entry.settled)
      throw new AppError(
        'NOT_FOUND',
        'That transaction is no longer waiting: it went through, was replaced, or the app stopped watching it.',
      );
    const latest = entry.attempts.at(-1)!;
    const fees = replacementFees(latest.fees, await marketFees(this.provider));
    // A speed-up re-sends the latest version (so speeding up a cancel keeps it a cancel).
    const body: TxBody =
      purpose === 'speed-up'
        ? { to: latest.to, data: latest.data, value: latest.value, gasLimit: latest.gasLimit }
        : { to: entry.from, data: '0x', value: 0n, gasLimit: 21_000n };
    return {
      entry,
      purpose: purpose === 'speed-up' && latest.purpose === 'cancel' ? 'cancel' : purpose,
      body,
      fees,
      previous: { fees: latest.fees, gasLimit: latest.gasLimit, label: latest.label },
    };
  }

  /** Sends a confirmed replacement. The step's own watch (settle) picks it up. */
  async sendReplacement(account: AccountSigner, r: Replacement, chainId: number): Promise<string> {
    const { entry } = r;
    if (account.signer.address !== entry.from) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    if (entry.settled) throw new AppError('TX_FAILED', 'It went through before the replacement could be sent; nothing else was signed.');
    const { txId, label } = this.replacementNames(r);
    let sent: { hash: string; raw: string | null };
    try {
      sent = await this.broadcast(account, r.body, r.fees, entry.nonce, chainId);
    } catch (e) {
      // The original may have been mined between confirming and sending: the node then refuses the nonce.
      const count = await this.provider.getTransactionCount(entry.from, 'latest').catch(() => entry.nonce);
      if (entry.settled || count > entry.nonce)
        throw new AppError('TX_FAILED', 'It went through before the replacement could be sent; nothing else was signed.');
      throw e;
    }
    this.addAttempt(entry, { ...r.body, txId, ...sent, purpose: r.purpose, label, fees: r.fees, sentAt: Date.now() });
    return sent.hash;
  }

  /** Tells the renderer a confirmed replacement could not be sent (the step's own watch goes on). */
  replacementFailed(r: Replacement, error: string): void {
    const { txId, label } = this.replacementNames(r);
    const t = { ...r.entry.ref, label, txId, purpose: r.purpose, replaces: r.entry.txId, nonce: r.entry.nonce, sentAt: null };
    r.entry.lastEvents.set(txId, this.emit(t, 'failed', { hash: null, error }));
  }

  private replacementNames(r: Replacement): { txId: string; label: string } {
    return {
      txId: `${r.entry.txId}:r${r.entry.attempts.length}`,
      label: `${r.purpose === 'cancel' ? 'Cancel' : 'Speed up'}: ${r.entry.ref.label}`,
    };
  }

  /**
   * Waits until one transaction for this nonce is mined and reports the outcome for each one sent:
   * the winner mined (then confirmed), the others replaced. A node that stops answering for a while
   * is not a failure: the transaction may still be mined, so the watch goes on until closed.
   */
  async settle(entry: InFlightTx): Promise<Outcome> {
    let pause = 20;
    let seen = entry.attempts.length;
    let badAnswers = 0;
    /** When the nonce was first seen used with no receipt of ours. */
    let nonceUsedAt: number | null = null;
    for (;;) {
      if (this.stop.signal.aborted) throw new Error('The app stopped watching this transaction; it may still go through.');
      try {
        const found = await this.findReceipt(entry);
        if (found) return await this.finish(entry, found.attempt, found.receipt);
        const count = await this.provider.getTransactionCount(entry.from, 'latest');
        if (count <= entry.nonce) nonceUsedAt = null;
        else {
          // The nonce was used: one of ours (mined between the two reads) or someone else's.
          const again = await this.findReceipt(entry);
          if (again) return await this.finish(entry, again.attempt, again.receipt);
          // Not said to be someone else's at once: a node can tell the new nonce before it answers
          // for our receipt (a provider's backends a block apart), so the watch asks again a while.
          nonceUsedAt ??= Date.now();
          if (Date.now() - nonceUsedAt >= TAKEN_AFTER_MS) {
            this.settleAs(entry);
            for (const a of entry.attempts)
              this.emitAttempt(entry, a, 'replaced', { replacedBy: { hash: null, by: 'other' }, error: WORDS.other });
            return { kind: 'replaced-by-other' };
          }
        }
        badAnswers = 0;
      } catch (e) {
        // A node hiccup: ask again after the pause. Nonsense over and over is not a hiccup.
        if (nodeFault(e)?.code === 'RPC_BAD_ANSWER' && ++badAnswers >= MAX_BAD_ANSWERS) {
          this.settleAs(entry);
          throw new AppError(
            'RPC_BAD_ANSWER',
            `The network node keeps giving answers about this transaction that make no sense, so the app stopped watching it and sent nothing more. It may still go through: look up ${entry.attempts.at(-1)!.hash} on a block explorer.`,
          );
        }
      }
      if (entry.attempts.length !== seen) {
        seen = entry.attempts.length;
        pause = 20;
      }
      await sleep(pause, this.stop.signal);
      pause = Math.min(1000, pause * 2);
    }
  }

  private async findReceipt(entry: InFlightTx): Promise<{ attempt: Attempt; receipt: TransactionReceipt } | null> {
    const receipts = await Promise.all(entry.attempts.map((a) => this.provider.getTransactionReceipt(a.hash)));
    const i = receipts.findIndex((r) => r !== null);
    return i < 0 ? null : { attempt: entry.attempts[i]!, receipt: receipts[i]! };
  }

  private settleAs(entry: InFlightTx): void {
    entry.settled = true;
    this.live.delete(entry.txId);
    this.persist();
  }

  private async finish(entry: InFlightTx, winner: Attempt, receipt: TransactionReceipt): Promise<Outcome> {
    this.settleAs(entry);
    const by: ReplacedBy['by'] = winner.purpose === 'step' ? 'original' : winner.purpose;
    for (const a of entry.attempts) {
      if (a === winner) continue;
      this.emitAttempt(entry, a, 'replaced', {
        replacedBy: { hash: winner.hash, by },
        error: a.purpose === 'step' && by === 'cancel' ? WORDS.cancelled : null,
      });
    }
    if (receipt.status !== 1) {
      this.emitAttempt(entry, winner, 'failed', { error: WORDS.reverted });
      return { kind: 'reverted', hash: winner.hash };
    }
    this.emitAttempt(entry, winner, 'mined', { confirmations: 1 });
    if (this.confirmationsNeeded <= 1) this.emitAttempt(entry, winner, 'confirmed', { confirmations: 1 });
    else void this.watchConfirmations(entry, winner);
    return winner.purpose === 'cancel'
      ? { kind: 'cancelled', hash: winner.hash }
      : { kind: 'mined', hash: winner.hash, by: winner.purpose };
  }

  /** Counts blocks on top of the receipt's block; a receipt that vanishes (reorg) goes back to pending. */
  private async watchConfirmations(entry: InFlightTx, a: Attempt): Promise<void> {
    let last = 1;
    let reorged = false;
    while (!this.stop.signal.aborted) {
      await sleep(1000, this.stop.signal);
      try {
        const receipt = await this.provider.getTransactionReceipt(a.hash);
        if (!receipt) {
          if (!reorged) this.emitAttempt(entry, a, 'pending', {});
          reorged = true;
          continue;
        }
        const confirmations = (await this.provider.getBlockNumber()) - receipt.blockNumber + 1;
        if (confirmations >= this.confirmationsNeeded) {
          this.emitAttempt(entry, a, 'confirmed', { confirmations });
          return;
        }
        if (confirmations !== last || reorged) this.emitAttempt(entry, a, 'mined', { confirmations });
        last = confirmations;
        reorged = false;
      } catch {
        // A node hiccup: count again next time.
      }
    }
  }

  private broadcast(
    account: AccountSigner,
    body: TxBody,
    fees: Fees,
    nonce: number,
    chainId: number,
  ): Promise<{ hash: string; raw: string | null }> {
    return account.mode === 'sign'
      ? this.signAndBroadcast(account.signer, body, fees, nonce, chainId)
      : this.sendThroughWallet(account.signer, body, fees, nonce, chainId);
  }

  /**
   * A wallet that sends itself gets every field as confirmed and answers a hash. What the node then
   * holds under that hash must be what was confirmed (a wallet may change fees, never the rest):
   * anything else is refused before a later step is sent.
   */
  private async sendThroughWallet(
    signer: SendingSigner,
    body: TxBody,
    fees: Fees,
    nonce: number,
    chainId: number,
  ): Promise<{ hash: string; raw: null }> {
    const fee = fees.type === 2 ? fees : { maxFeePerGas: fees.gasPrice, maxPriorityFeePerGas: fees.gasPrice };
    const from = signer.address;
    const hash = await signer.sendTransaction({ from, ...body, nonce, chainId, ...fee });
    const seen = await this.waitForTransaction(hash);
    const same = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();
    if (
      seen &&
      !(same(seen.from, from) && seen.nonce === nonce && same(seen.to, body.to) && same(seen.data, body.data) && seen.value === body.value)
    )
      throw new AppError(
        'WALLET_MISMATCH',
        `Your wallet sent a different transaction (${hash}) than the one you confirmed here. Nothing more will be sent; check your wallet's activity.`,
      );
    return { hash, raw: null };
  }

  /** The node's copy of a transaction a wallet broadcast: it may need a moment to reach the node. */
  private async waitForTransaction(hash: string) {
    for (let pause = 20; pause < 2_000; pause *= 2) {
      const tx = await this.provider.getTransaction(hash).catch(() => null);
      if (tx) return tx;
      await sleep(pause, this.stop.signal);
    }
    return null;
  }

  private async signAndBroadcast(
    signer: RawSigner,
    body: TxBody,
    fees: Fees,
    nonce: number,
    chainId: number,
  ): Promise<{ hash: string; raw: string }> {
    // Every field is set, so ethers neither estimates nor picks fees: what is signed is what was confirmed.
    // Signed here and sent apart (what sendTransaction does inside) to keep the signed bytes for a restart.
    const populated = await signer.populateTransaction({
      to: body.to,
      data: body.data,
      value: body.value,
      gasLimit: body.gasLimit,
      nonce,
      chainId,
      ...fees,
    });
    delete populated.from;
    const raw = await signer.signTransaction(Transaction.from(populated));
    const sent = await (signer.provider ?? this.provider).broadcastTransaction(raw);
    return { hash: sent.hash, raw };
  }

  private addAttempt(entry: InFlightTx, a: Attempt): void {
    entry.attempts.push(a);
    this.persist();
    this.emitAttempt(entry, a, 'pending', {});
  }

  private emitAttempt(
    entry: InFlightTx,
    a: Attempt,
    state: TxState,
    extra: { error?: string | null; replacedBy?: ReplacedBy; confirmations?: number },
  ): void {
    const t = {
      ...entry.ref,
      label: a.label,
      txId: a.txId,
      purpose: a.purpose,
      replaces: a.purpose === 'step' ? null : entry.txId,
      nonce: entry.nonce,
      sentAt: a.sentAt,
    };
    entry.lastEvents.set(a.txId, this.emit(t, state, { hash: a.hash, ...extra }));
  }

  private emit(
    t: StepRef & { txId: string; purpose: TxPurpose; replaces: string | null; nonce: number | null; sentAt: number | null },
    state: TxState,
    extra: { hash: string | null; error?: string | null; replacedBy?: ReplacedBy; confirmations?: number; waitingFor?: string | null },
  ): TxEvent {
    const event: TxEvent = {
      txId: t.txId,
      requestId: t.requestId,
      label: t.label,
      step: t.step,
      steps: t.steps,
      state,
      hash: extra.hash,
      error: extra.error ?? null,
      purpose: t.purpose,
      replaces: t.replaces,
      replacedBy: extra.replacedBy ?? null,
      nonce: t.nonce,
      sentAt: t.sentAt,
      confirmations: extra.confirmations ?? 0,
      confirmationsNeeded: this.confirmationsNeeded,
      waitingFor: extra.waitingFor ?? null,
    };
    this.events.emit('tx.status', event);
    return event;
  }
}

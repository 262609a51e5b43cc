import type { AnyEvent, EventPayload, HistoryEntryWei, NotificationList, StakingPositionWei } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import {
  accountKey,
  resultNotifications,
  txNotification,
  withdrawableNotifications,
  type ChainKey,
  type NotificationDraft,
} from './derive';
import type { NotificationStore } from './store';

/** What the notifier reads of the network in use (main/app/notifications-api.ts builds it on the session). */
export interface NotifierChain {
  key(): Promise<ChainKey>;
  /** The accounts' payout, fee and burn entries of blocks after `afterBlock` (at least), and the block the history is read at. */
  results(accounts: readonly string[], afterBlock: number): Promise<{ rows: HistoryEntryWei[]; asOfBlock: number }>;
  /** The account's positions in the pool now. */
  positions(account: string): Promise<StakingPositionWei[]>;
}

export interface NotifierDeps {
  store: NotificationStore;
  events: EventBus;
  log: Logger;
  /** Every account of the wallet; none while there is no wallet. */
  accounts(): string[];
  /** The account transactions are signed with (tx.status does not name it); null without a wallet. */
  activeAccount(): string | null;
  chain(): Promise<NotifierChain>;
  /** How often to look without being asked (a real network's results come without a demo step). */
  pollMs: number;
}

/** How long after start the first look waits. */
const FIRST_LOOK_MS = 3_000;

/**
 * Decides what the holder is told: from the transactions' own status events at once, and from a
 * look at the history and the positions after each demo step, each confirmed transaction, at start
 * and every `pollMs`. The first look at an account on a chain only notes where things stand: what
 * happened before the app watched it is in History, not news. Looks run one at a time.
 */
export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private firstLook: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: NotifierDeps) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((e) => this.onEvent(e));
    this.timer = setInterval(() => void this.look(), this.deps.pollMs);
    this.timer.unref();
    // The first look waits a moment: the first screen's own reads come first.
    this.firstLook = setTimeout(() => void this.look(), FIRST_LOOK_MS);
    this.firstLook.unref();
  }

  /** Stops watching; waits for a look under way. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.firstLook) clearTimeout(this.firstLook);
    this.timer = null;
    this.again = false;
    await this.running;
  }

  /** The list on the session's network (another network's notifications are kept for when it is back). */
  async list(): Promise<NotificationList> {
    return this.deps.store.list(this.deps.accounts(), await this.chainKey());
  }

  async markRead(id: string): Promise<NotificationList> {
    return this.changed(this.deps.store.markRead(this.deps.accounts(), await this.chainKey(), id), []);
  }

  async markAllRead(): Promise<NotificationList> {
    return this.changed(this.deps.store.markAllRead(this.deps.accounts(), await this.chainKey()), []);
  }

  private async chainKey(): Promise<string> {
    return (await this.deps.chain()).key();
  }

  /** Looks now (or once more after the look under way); resolves when that look is done. */
  look(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      do {
        this.again = false;
        await this.lookOnce().catch((e: unknown) =>
          this.deps.log.warn('notifications.look_failed', { error: e instanceof Error ? e.message : String(e) }),
        );
      } while (this.again);
    })().finally(() => (this.running = null));
    this.running = run;
    return run;
  }

  private onEvent(e: AnyEvent): void {
    if (e.name === 'chain.round') void this.look();
    if (e.name !== 'tx.status') return;
    void this.onTx(e.payload).catch((err: unknown) => this.deps.log.warn('notifications.tx_failed', { error: String(err) }));
    if (e.payload.state === 'confirmed') void this.look();
  }

  private async onTx(e: EventPayload<'tx.status'>): Promise<void> {
    const account = this.deps.activeAccount();
    if (!account) return;
    const chain = await (await this.deps.chain()).key();
    const draft = txNotification(e, account, chain);
    if (draft) await this.save({ drafts: [draft] });
  }

  private async lookOnce(): Promise<void> {
    const accounts = this.deps.accounts();
    if (accounts.length === 0) return;
    const chain = await this.deps.chain();
    const key = await chain.key();
    const cursors = accounts.map((a) => this.deps.store.cursor(accountKey(key, a)));
    const known = accounts.filter((_, i) => cursors[i] !== null);
    const since = Math.min(...cursors.map((c) => c ?? Number.MAX_SAFE_INTEGER));
    const { rows, asOfBlock } = await chain.results(accounts, known.length > 0 ? since : asOfBlockUnknown);
    const drafts: NotificationDraft[] = [];
    for (const [i, account] of accounts.entries()) {
      const cursor = cursors[i] ?? null;
      if (cursor === null) continue;
      const mine = rows.filter((r) => r.account.toLowerCase() === account.toLowerCase());
      // The history writes accounts in lower case; the list names them as the wallet does.
      drafts.push(...resultNotifications(mine, cursor, key).map((d) => ({ ...d, account })));
    }
    const newCursors = Object.fromEntries(accounts.map((a) => [accountKey(key, a), asOfBlock]));
    await this.save({ drafts, cursors: newCursors });
    const wasReady = this.deps.store.readySet();
    for (const [i, account] of accounts.entries()) {
      const found = withdrawableNotifications(account, await chain.positions(account), wasReady, key);
      // The first look at an account notes what is ready without telling it.
      await this.save({
        drafts: cursors[i] === null ? [] : found.drafts,
        ready: { prefix: `${accountKey(key, account)}:`, keys: found.ready },
      });
    }
  }

  private async save(look: Parameters<NotificationStore['commit']>[0]): Promise<void> {
    const added = this.deps.store.commit(look);
    if (added.length > 0) this.changed(await this.list(), added);
  }

  private changed(list: NotificationList, added: NotificationList['items']): NotificationList {
    this.deps.events.emit('notifications.changed', { ...list, added });
    return list;
  }
}

/** A first look reads no rows of the past: only where the history stands. */
const asOfBlockUnknown = Number.MAX_SAFE_INTEGER;

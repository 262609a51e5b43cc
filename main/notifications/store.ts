import { existsSync, readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { AppNotification, AppNotificationWei, NOTIFICATIONS_MAX, type NotificationList } from '../../shared/api';
import { writeFileAtomic } from '../store/atomic-file';
import { madeOn, type ChainKey, type NotificationDraft } from './derive';

/** Ids remembered after their notification dropped off the list, so an old fact found again is not new. */
const SEEN_MAX = 20_000;
const Key = z.string().min(1).max(300);

const StoreFile = z.strictObject({
  version: z.literal(1),
  /** Newest first. */
  items: z.array(AppNotification).max(NOTIFICATIONS_MAX),
  /** Every id ever added (newest last). */
  seen: z.array(Key).max(SEEN_MAX),
  /** Per chain and account: the last history block looked at. */
  cursors: z.record(Key, z.number().int().nonnegative()),
  /** The positions that were ready to withdraw at the last look. */
  ready: z.array(Key).max(10_000),
});
type StoreFile = z.infer<typeof StoreFile>;

const EMPTY: StoreFile = { version: 1, items: [], seen: [], cursors: {}, ready: [] };

/** What one look at the chain found: new facts, and where the look got to. Saved together or not at all. */
export interface Look {
  drafts: readonly NotificationDraft[];
  cursors?: Readonly<Record<string, number>>;
  /** The positions under `prefix` ready now (replacing those the last look found). */
  ready?: { prefix: string; keys: readonly string[] };
}

const sameAccount = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The notifications main keeps under the user-data folder, with what it needs to never tell a fact
 * twice across restarts and re-syncs (ids seen, history cursors, positions ready). Validated on
 * read and written atomically, like the settings; a damaged file is set aside and the list starts
 * empty (what was already seen may then be told once more, never lost silently: the file is kept).
 */
export class NotificationStore {
  private data: StoreFile;
  private seen: Set<string>;
  readonly recoveredFrom: string | null = null;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.data = EMPTY;
    if (existsSync(file)) {
      try {
        this.data = StoreFile.parse(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        const aside = `${file}.corrupt-${Date.now()}`;
        renameSync(file, aside);
        this.recoveredFrom = aside;
      }
    }
    this.seen = new Set(this.data.seen);
  }

  /** The last history block looked at for this chain and account; null before the first look. */
  cursor(key: string): number | null {
    return this.data.cursors[key] ?? null;
  }

  readySet(): ReadonlySet<string> {
    return new Set(this.data.ready);
  }

  /** Saves a look; answers the notifications it added (those not seen before), newest first. */
  commit(look: Look): AppNotification[] {
    const at = this.now();
    const added = look.drafts
      .filter((d, i) => !this.seen.has(d.id) && look.drafts.findIndex((x) => x.id === d.id) === i)
      .map((d) => AppNotificationWei.encode({ ...d, timeMs: at, read: false }))
      .reverse();
    const ready = look.ready ? [...this.data.ready.filter((k) => !k.startsWith(look.ready!.prefix)), ...look.ready.keys] : this.data.ready;
    const cursors = { ...this.data.cursors, ...look.cursors };
    const unchanged =
      added.length === 0 &&
      ready.length === this.data.ready.length &&
      ready.every((k, i) => k === this.data.ready[i]) &&
      Object.entries(cursors).every(([k, v]) => this.data.cursors[k] === v);
    if (unchanged) return [];
    const seen = [...this.data.seen, ...added.map((n) => n.id)].slice(-SEEN_MAX);
    this.save({ version: 1, items: [...added, ...this.data.items].slice(0, NOTIFICATIONS_MAX), seen, cursors, ready });
    return added;
  }

  /** The accounts' notifications on `chain` (another network's are kept, not shown), newest first, and how many are unread. */
  list(accounts: readonly string[], chain: ChainKey): NotificationList {
    const items = this.data.items.filter((n) => madeOn(n.id, chain) && accounts.some((a) => sameAccount(a, n.account)));
    return { items, unread: items.filter((n) => !n.read).length };
  }

  markRead(accounts: readonly string[], chain: ChainKey, id: string): NotificationList {
    return this.mark(accounts, chain, (n) => n.id === id);
  }

  markAllRead(accounts: readonly string[], chain: ChainKey): NotificationList {
    return this.mark(accounts, chain, () => true);
  }

  private mark(accounts: readonly string[], chain: ChainKey, which: (n: AppNotification) => boolean): NotificationList {
    const mine = (n: AppNotification) => madeOn(n.id, chain) && accounts.some((a) => sameAccount(a, n.account));
    if (this.data.items.some((n) => !n.read && mine(n) && which(n)))
      this.save({ ...this.data, items: this.data.items.map((n) => (!n.read && mine(n) && which(n) ? { ...n, read: true } : n)) });
    return this.list(accounts, chain);
  }

  private save(next: StoreFile): void {
    writeFileAtomic(this.file, JSON.stringify(StoreFile.parse(next)));
    this.data = next;
    this.seen = new Set(next.seen);
  }
}

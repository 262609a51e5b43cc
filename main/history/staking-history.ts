/**
 * The engine of HistoryService: the index of StakingPool's events (index-schema.ts's streams), the
 * ledger built from it (staking-ledger.ts, cached until the index changes), the summary and returns
 * in the screens' shapes, and exports (staking-export.ts). A ledger that does not add up (a
 * `StakingLedgerError`) is never returned: the index is rebuilt from the chain once, then this throws
 * `HistoryIntegrityError`.
 */
import type { HistoryPageWei } from '../../shared/api';
import type { ExportProgress, WriteResult } from './export';
import { HistoryIndexer, type IndexerOptions, type SyncResult } from './indexer';
import { withOneRebuild } from './integrity';
import type { HistorySummary, PortfolioReturns } from './history-views';
import { stakingEntries, type StakingEntriesRequest } from './staking-entries';
import { writeStakingExport, type StakingExportOptions } from './staking-export';
import { buildStakingLedger, StakingLedgerError, type StakingLedger } from './staking-ledger';
import { stakingReturns, stakingSummary } from './staking-returns';

export interface StakingLedgerView {
  ledger: StakingLedger;
  asOfBlock: number;
  /** The time of a block with rows (ms, UTC), from the index. */
  timeMs: (block: number) => number;
}

interface Request {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export class StakingHistory {
  readonly indexer: HistoryIndexer;
  private cache: { key: string; view: StakingLedgerView } | null = null;
  lastSync: SyncResult | null = null;

  constructor(opts: IndexerOptions) {
    this.indexer = new HistoryIndexer(opts);
  }

  ledger(accounts: readonly string[], req: Request = {}): Promise<StakingLedgerView> {
    const rebuild = () => ((this.cache = null), this.indexer.reset());
    return withOneRebuild(
      () => this.ledgerOnce(accounts, req),
      (e) => e instanceof StakingLedgerError,
      rebuild,
    );
  }

  private async ledgerOnce(accounts: readonly string[], req: Request): Promise<StakingLedgerView> {
    const list = [...new Set(accounts.map((a) => a.toLowerCase()))].sort();
    this.lastSync = await this.indexer.sync(list, {
      signal: req.signal,
      onProgress: (p) => req.onProgress?.({ phase: p.phase, done: p.done, total: p.total }),
    });
    const store = this.indexer.store;
    const key = `${list.join(',')}|${store.syncedTo}|${store.version}`;
    if (this.cache?.key === key) return this.cache.view;
    req.onProgress?.({ phase: 'ledger', done: 0, total: 1 });
    const ledger = buildStakingLedger(store.sortedEvents(), { accounts: list });
    const view: StakingLedgerView = {
      ledger,
      asOfBlock: store.syncedTo ?? store.deployBlock - 1,
      timeMs: (n) => {
        const b = store.block(n);
        if (!b || b.ts < 0) throw new Error(`The time of block ${n} is missing from the history index.`);
        return b.ts * 1000;
      },
    };
    req.onProgress?.({ phase: 'ledger', done: 1, total: 1 });
    this.cache = { key, view };
    return view;
  }

  async summary(accounts: readonly string[], req: Request = {}): Promise<HistorySummary> {
    const v = await this.ledger(accounts, req);
    return stakingSummary(v.ledger, v.asOfBlock, v.timeMs);
  }

  async returns(accounts: readonly string[], req: Request = {}): Promise<PortfolioReturns> {
    const v = await this.ledger(accounts, req);
    return stakingReturns(v.ledger, accounts, v.asOfBlock, v.timeMs);
  }

  /** A page of the History screen's entries and their totals; `asOfBlock` null reads the newest. */
  async entries(accounts: readonly string[], q: StakingEntriesRequest, req: Request = {}): Promise<HistoryPageWei> {
    const v = await this.ledger(accounts, req);
    const asOfBlock = q.asOfBlock === null ? v.asOfBlock : Math.min(q.asOfBlock, v.asOfBlock);
    return stakingEntries(v.ledger, v.timeMs, { ...q, accounts: q.accounts ?? accounts, asOfBlock });
  }

  async exportToFile(
    accounts: readonly string[],
    file: string,
    o: Omit<StakingExportOptions, 'timeMs'> & Request,
  ): Promise<WriteResult & { asOfBlock: number }> {
    const v = await this.ledger(accounts, o);
    const r = await writeStakingExport(v.ledger, file, { ...o, timeMs: v.timeMs }, o.signal);
    return { ...r, asOfBlock: v.asOfBlock };
  }
}

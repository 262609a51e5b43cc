import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainContext } from '../pool/pool-service';
import { blocksBehindHead } from '../chain/confirmations';
import { HistoryIndexer, type IndexerOptions, type SyncResult } from './indexer';
import { buildLedger, returnsSeries, type Ledger, type ReturnsSeries } from './ledger';
import { writeExport, type ExportFilter, type ExportFormat, type ExportProgress } from './export';
import { delegationReturns, delegationSummary, type HistorySummary, type PortfolioReturns } from './history-views';
import { HistoryIntegrityError, withOneRebuild } from './integrity';
import { HttpRpc, type RpcClient } from './rpc';
import type { ReaderOptions } from './log-reader';
import type { PoolEvent } from './pool-events';
import type { PoolKind } from './pool-kind';
import type { PriceSource } from './prices';
import type { StakingEvent } from './staking-events';
import { StakingHistory } from './staking-history';

export { HistoryIntegrityError } from './integrity';

export type Delivery = (
  file: string,
  fileName: string,
  contentType: string,
) => Promise<{ savedTo: string | null; downloadUrl: string | null }>;

export interface HistoryServiceOptions {
  /** The node's JSON-RPC URL (the same one the app's provider uses), or a client (tests). */
  rpcUrl?: string;
  rpc?: RpcClient;
  chainId: number;
  poolAddress: string;
  /** The pool contract (default 'delegation', the old DelegationPool): the index, ledger and exports follow it. */
  poolKind?: PoolKind;
  /** Block the pool was deployed in: nothing before it is read. */
  deployBlock: number;
  /** Base folder of the event indexes; this chain's and pool's lives in `<indexDir>/<chainId>-<pool>`. */
  indexDir: string;
  /** Where export() writes files before handing them to the delivery. */
  exportDir: string;
  /** Blocks to stay behind the head (default 0); a chain session's come from chain/confirmations.ts. */
  confirmations?: number;
  reader?: ReaderOptions;
  commitEveryMs?: number;
  /** Per-request time limit in ms (default 30 s). */
  timeoutMs?: number;
}

export interface LedgerRequest {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportRequest extends ExportFilter, LedgerRequest {
  format: ExportFormat;
  prices?: PriceSource | null;
}

export interface ExportResult {
  rows: number;
  bytes: number;
  asOfBlock: number;
}

/**
 * The options of a chain session's history: its node, its pool, the index in `<userDataDir>/history-index`,
 * exports in `<userDataDir>/exports`, and only blocks as confirmed as a transaction must be.
 */
export function sessionHistoryOptions(
  ctx: Pick<ChainContext, 'provider' | 'chainId' | 'kind' | 'poolAddress' | 'deployBlock'> & { poolKind?: PoolKind },
  userDataDir: string,
): HistoryServiceOptions {
  return {
    rpcUrl: ctx.provider._getConnection().url,
    chainId: ctx.chainId,
    poolAddress: ctx.poolAddress,
    poolKind: ctx.poolKind ?? 'delegation',
    deployBlock: ctx.deployBlock,
    indexDir: join(userDataDir, 'history-index'),
    exportDir: join(userDataDir, 'exports'),
    confirmations: blocksBehindHead(ctx.kind),
  };
}

/**
 * The reward history: an event index kept on disk and brought up to date on demand, the ledger
 * built from it, the returns series for the charts, and exports. The pool kind, given once, decides
 * which pool's events are read: `summary`, `portfolioReturns` and `export` answer in the same shapes
 * for both; `ledger` and `returns` are the old pool's own (its tests and bench read them).
 */
export class HistoryService {
  private readonly delegation: HistoryIndexer<PoolEvent> | null = null;
  /** StakingPool's history, when the pool kind is 'staking'. */
  readonly staking: StakingHistory | null = null;
  private cache: { key: string; ledger: Ledger } | null = null;
  private delegationSync: SyncResult | null = null;

  private readonly opts: HistoryServiceOptions;

  constructor(opts: HistoryServiceOptions) {
    this.opts = opts;
    const rpc = opts.rpc ?? new HttpRpc(requireUrl(opts.rpcUrl), { timeoutMs: opts.timeoutMs });
    const indexer: Omit<IndexerOptions, 'schema'> = {
      rpc,
      chainId: opts.chainId,
      pool: opts.poolAddress,
      deployBlock: opts.deployBlock,
      dir: join(opts.indexDir, `${opts.chainId}-${opts.poolAddress.toLowerCase()}`),
      confirmations: opts.confirmations,
      reader: { timeoutMs: opts.timeoutMs, ...opts.reader },
      commitEveryMs: opts.commitEveryMs,
    };
    if (opts.poolKind === 'staking') this.staking = new StakingHistory(indexer);
    else this.delegation = new HistoryIndexer(indexer);
  }

  get poolKind(): PoolKind {
    return this.staking ? 'staking' : 'delegation';
  }

  /** The event index of this session's pool. */
  get indexer(): HistoryIndexer<PoolEvent> | HistoryIndexer<StakingEvent> {
    return this.staking?.indexer ?? this.delegation!;
  }

  get lastSync(): SyncResult | null {
    return this.staking ? this.staking.lastSync : this.delegationSync;
  }

  private get oldIndexer(): HistoryIndexer<PoolEvent> {
    if (!this.delegation) throw new Error("The old pool's ledger was asked of a StakingPool session's history.");
    return this.delegation;
  }

  /** What history.summary shows: the models with rows, how many rows, their first and last time. */
  async summary(accounts: string[], req: LedgerRequest = {}): Promise<HistorySummary> {
    if (this.staking) return this.staking.summary(accounts, req);
    return delegationSummary(await this.ledger(accounts, req));
  }

  /** What portfolio.returns shows: the accounts' portfolio per round and each position's results. */
  async portfolioReturns(accounts: string[], req: LedgerRequest = {}): Promise<PortfolioReturns> {
    if (this.staking) return this.staking.returns(accounts, req);
    return delegationReturns(await this.ledger(accounts, req), accounts);
  }

  /**
   * Brings the index up to date and builds the accounts' ledger (cached until the index changes).
   * A ledger that disagrees with the pool's own informative events (or cannot price a round) is never
   * returned: the index is rebuilt from the chain once, and if that does not cure it, this throws.
   */
  ledger(accounts: string[], req: LedgerRequest = {}): Promise<Ledger> {
    return withOneRebuild(
      () => this.ledgerOnce(accounts, req),
      (e) => e instanceof HistoryIntegrityError,
      () => this.rebuild(),
    );
  }

  /** Throws the index away; the next ledger reads the chain again. */
  private async rebuild(): Promise<void> {
    await this.oldIndexer.reset();
    this.cache = null;
  }

  private async ledgerOnce(accounts: string[], req: LedgerRequest): Promise<Ledger> {
    const list = [...new Set(accounts.map((a) => a.toLowerCase()))].sort();
    const indexer = this.oldIndexer;
    this.delegationSync = await indexer.sync(list, {
      signal: req.signal,
      onProgress: (p) => req.onProgress?.({ phase: p.phase, done: p.done, total: p.total }),
    });
    const store = indexer.store;
    for (let pass = 0; ; pass++) {
      const key = `${list.join(',')}|${store.syncedTo}|${store.version}`;
      if (this.cache?.key === key) return this.cache.ledger;
      req.onProgress?.({ phase: 'ledger', done: 0, total: 1 });
      const ledger = buildLedger({
        events: store.sortedEvents(),
        accounts: list,
        asOfBlock: store.syncedTo ?? store.deployBlock - 1,
        blockTimeMs: (n) => {
          const b = store.block(n);
          if (!b || b.ts < 0) throw new Error(`The time of block ${n} is missing from the history index.`);
          return b.ts * 1000;
        },
        flow: (m, q) => store.flow(m, q),
      });
      if (ledger.missingFlows.length > 0 && pass < 3) {
        const closedAt = new Map(ledger.rounds.map((r) => [r.round, r.block]));
        req.onProgress?.({ phase: 'flows', done: 0, total: ledger.missingFlows.length });
        await indexer.ensureFlows(ledger.missingFlows, closedAt, req.signal);
        continue;
      }
      if (ledger.issues.length > 0 || ledger.missingFlows.length > 0) {
        throw new HistoryIntegrityError(
          ledger.issues.length > 0
            ? ledger.issues.slice(0, 5).join('; ')
            : `rounds ${ledger.missingFlows.map((f) => `${f.modelId}:${f.round}`).join(', ')} could not be priced`,
        );
      }
      req.onProgress?.({ phase: 'ledger', done: 1, total: 1 });
      this.cache = { key: `${list.join(',')}|${store.syncedTo}|${store.version}`, ledger };
      return ledger;
    }
  }

  /** Portfolio value per round and each position's per-round result, from the same ledger. */
  async returns(accounts: string[], filter: { modelIds?: number[] } & LedgerRequest = {}): Promise<ReturnsSeries> {
    const ledger = await this.ledger(accounts, filter);
    return returnsSeries(ledger, { modelIds: filter.modelIds });
  }

  /** Writes an export to `file` (streamed; `<file>.partial` until complete). */
  async exportToFile(accounts: string[], file: string, req: ExportRequest): Promise<ExportResult> {
    if (this.staking) {
      return this.staking.exportToFile(accounts, file, {
        ...req,
        accounts: req.accounts ?? accounts,
        chainId: this.opts.chainId,
        pool: this.opts.poolAddress,
      });
    }
    const ledger = await this.ledger(accounts, req);
    const r = await writeExport(ledger, file, {
      ...req,
      accounts: req.accounts ?? accounts,
      chainId: this.opts.chainId,
      pool: this.opts.poolAddress,
    });
    return { rows: r.rows, bytes: r.bytes, asOfBlock: ledger.asOfBlock };
  }

  /** Writes an export into the export folder and hands it to the transport's delivery. */
  async export(
    accounts: string | string[],
    request: ExportRequest | ExportFormat,
    deliver: Delivery,
  ): Promise<{ rows: number; fileName: string; savedTo: string | null; downloadUrl: string | null; asOfBlock: number }> {
    const list = typeof accounts === 'string' ? [accounts] : accounts;
    const req: ExportRequest = typeof request === 'string' ? { format: request } : request;
    mkdirSync(this.opts.exportDir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().slice(0, 10);
    const who = (list[0] ?? '0x').slice(2, 8).toLowerCase();
    const ext = req.format === 'json' ? 'json' : 'csv';
    const kind = req.format === 'koinly' ? 'koinly' : 'history';
    const fileName = `nmr-delegate-${kind}-${who}-${stamp}.${ext}`;
    const file = join(this.opts.exportDir, fileName);
    const r = await this.exportToFile(list, file, req);
    const delivered = await deliver(file, fileName, ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    return { rows: r.rows, fileName, savedTo: delivered.savedTo, downloadUrl: delivered.downloadUrl, asOfBlock: r.asOfBlock };
  }
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('HistoryService needs rpcUrl or rpc');
  return url;
}

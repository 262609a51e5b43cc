import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonRpcProvider } from 'ethers';
import { blocksBehindHead } from '../chain/confirmations';
import type { HistoryIndexer, SyncResult } from './indexer';
import type { ExportFilter, ExportFormat, ExportProgress } from './export';
import type { HistorySummary, PortfolioReturns } from './history-views';
import { HttpRpc, type RpcClient } from './rpc';
import type { ReaderOptions } from './log-reader';
import type { PriceSource } from './prices';
import type { StakingRowType } from './staking-ledger';
import { StakingHistory, type StakingLedgerView } from './staking-history';
import type { StakingEntriesRequest } from './staking-entries';
import type { HistoryPageWei } from '../../shared/api';

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
  /** Only rows of these kinds. */
  kinds?: readonly StakingRowType[] | null;
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
  ctx: { provider: JsonRpcProvider; chainId: number; kind: 'local' | 'remote'; poolAddress: string; deployBlock: number },
  userDataDir: string,
): HistoryServiceOptions {
  return {
    rpcUrl: ctx.provider._getConnection().url,
    chainId: ctx.chainId,
    poolAddress: ctx.poolAddress,
    deployBlock: ctx.deployBlock,
    indexDir: join(userDataDir, 'history-index'),
    exportDir: join(userDataDir, 'exports'),
    confirmations: blocksBehindHead(ctx.kind),
  };
}

/**
 * The reward history of StakingPool: an event index kept on disk and brought up to date on demand,
 * the ledger built from it (staking-history.ts), the summary and returns for the screens, and exports.
 */
export class HistoryService {
  private readonly history: StakingHistory;
  private readonly opts: HistoryServiceOptions;

  constructor(opts: HistoryServiceOptions) {
    this.opts = opts;
    const rpc = opts.rpc ?? new HttpRpc(requireUrl(opts.rpcUrl), { timeoutMs: opts.timeoutMs });
    this.history = new StakingHistory({
      rpc,
      chainId: opts.chainId,
      pool: opts.poolAddress,
      deployBlock: opts.deployBlock,
      dir: join(opts.indexDir, `${opts.chainId}-${opts.poolAddress.toLowerCase()}`),
      confirmations: opts.confirmations,
      reader: { timeoutMs: opts.timeoutMs, ...opts.reader },
      commitEveryMs: opts.commitEveryMs,
    });
  }

  /** The pool's event index. */
  get indexer(): HistoryIndexer {
    return this.history.indexer;
  }

  get lastSync(): SyncResult | null {
    return this.history.lastSync;
  }

  /**
   * Brings the index up to date and builds the accounts' ledger (cached until the index changes). A
   * ledger that does not add up is never returned: the index is rebuilt once, then this throws.
   */
  ledger(accounts: readonly string[], req: LedgerRequest = {}): Promise<StakingLedgerView> {
    return this.history.ledger(accounts, req);
  }

  /** What history.summary shows: the models with rows, how many rows, their first and last time. */
  summary(accounts: string[], req: LedgerRequest = {}): Promise<HistorySummary> {
    return this.history.summary(accounts, req);
  }

  /** What portfolio.returns shows: the accounts' portfolio per round and each position's results. */
  portfolioReturns(accounts: string[], req: LedgerRequest = {}): Promise<PortfolioReturns> {
    return this.history.returns(accounts, req);
  }

  /** A page of the History screen's entries under its filters, with totals per position. */
  entries(accounts: string[], q: StakingEntriesRequest, req: LedgerRequest = {}): Promise<HistoryPageWei> {
    return this.history.entries(accounts, q, req);
  }

  /** Writes an export to `file` (streamed; `<file>.partial` until complete). */
  async exportToFile(accounts: string[], file: string, req: ExportRequest): Promise<ExportResult> {
    const r = await this.history.exportToFile(accounts, file, {
      ...req,
      accounts: req.accounts ?? accounts,
      chainId: this.opts.chainId,
      pool: this.opts.poolAddress,
    });
    return { rows: r.rows, bytes: r.bytes, asOfBlock: r.asOfBlock };
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

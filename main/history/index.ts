// main/history: the reward history — event index, per-position ledger, returns series and exports.
export {
  HistoryService,
  HistoryIntegrityError,
  sessionHistoryOptions,
  type Delivery,
  type ExportRequest,
  type ExportResult,
  type HistoryServiceOptions,
  type LedgerRequest,
} from './history-service';
export type { PoolKind } from './pool-kind';
export { POOL_KINDS } from './pool-kind';
export type { HistorySummary, PortfolioReturns, PositionReturnsFigures } from './history-views';
export { HistoryIndexer, type IndexerOptions, type SyncOptions, type SyncProgress, type SyncResult } from './indexer';
export {
  buildLedger,
  returnsSeries,
  valueOf,
  type Ledger,
  type LedgerRow,
  type PositionState,
  type PositionRoundResult,
  type PortfolioRoundPoint,
  type PositionSeries,
  type ReturnsSeries,
  type RowType,
} from './ledger';
export { writeExport, CSV_COLUMNS, KOINLY_COLUMNS, type ExportFilter, type ExportFormat, type ExportProgress } from './export';
export { CsvPriceSource, PriceFileError, fiatValue, type PriceSource } from './prices';
export { HttpRpc, RpcError, type RpcClient } from './rpc';
export { LogReader, classifyError, type ReaderOptions } from './log-reader';

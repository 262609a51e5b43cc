// main/history: the reward history — event index, ledger, returns and exports of StakingPool.
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
export type { HistorySummary, PortfolioReturns, PortfolioRoundPoint, PositionReturnsFigures } from './history-views';
export { HistoryIndexer, type IndexerOptions, type SyncOptions, type SyncProgress, type SyncResult } from './indexer';
export { writeStakingExport, type StakingExportOptions } from './staking-export';
export { KOINLY_COLUMNS, type ExportFilter, type ExportFormat, type ExportProgress } from './export';
export { CsvPriceSource, PriceFileError, fiatValue, type PriceSource } from './prices';
export { HttpRpc, RpcError, type RpcClient } from './rpc';
export { LogReader, classifyError, type ReaderOptions } from './log-reader';

/**
 * Runs one export in its own process, so a test can kill it (SIGKILL) in the middle and check that
 * the next run resumes from the committed cursor. Usage (tsx):
 *   node --import tsx export-child.ts <rpcUrl> <indexDir> <pool> <deployBlock> <accounts,comma> <outFile>
 */
import { HistoryService } from '../history-service';

const [rpcUrl, indexDir, pool, deployBlock, accounts, out] = process.argv.slice(2);
if (!rpcUrl || !indexDir || !pool || !deployBlock || !accounts || !out) {
  console.error('usage: export-child.ts <rpcUrl> <indexDir> <pool> <deployBlock> <accounts> <outFile>');
  process.exit(2);
}
const service = new HistoryService({
  rpcUrl,
  chainId: 31337,
  poolAddress: pool,
  deployBlock: Number(deployBlock),
  indexDir,
  exportDir: indexDir,
  commitEveryMs: 0,
  timeoutMs: 60_000,
  reader: { initialSpan: 4, maxSpan: 4, concurrency: 1 },
});
await service.exportToFile(accounts.split(','), out, { format: 'csv' });
console.log('done');

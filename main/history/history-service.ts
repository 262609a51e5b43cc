import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { EventLog, Log } from 'ethers';
import { formatNmr } from '../../shared/money';
import type { PoolService } from '../pool/pool-service';
import { csvLine } from './csv';

export type HistoryRow = {
  timeMs: number;
  round: number | null;
  modelId: number;
  model: string;
  type: 'delegation' | 'undelegation_request' | 'withdrawal';
  amountWei: bigint | null;
  shares: bigint | null;
  txHash: string;
  block: number;
  logIndex: number;
  account: string;
};

export type Delivery = (file: string, fileName: string, contentType: string) => Promise<{ savedTo: string | null; downloadUrl: string | null }>;

const CSV_HEADER = ['date_utc', 'round', 'model_id', 'model', 'type', 'amount_nmr', 'amount_wei', 'shares', 'tx_hash', 'block', 'log_index', 'account'];

/**
 * The holder's history read from the pool's logs. This is the walking-skeleton version: the
 * holder's own events; rewards and burns per round come with the ledger (issue 8).
 */
export class HistoryService {
  private blockTimes = new Map<number, number>();

  constructor(
    private readonly pool: PoolService,
    private readonly exportDir: string,
  ) {}

  async rows(holder: string): Promise<HistoryRow[]> {
    const c = this.pool.pool;
    const from = this.pool.ctx.deployBlock;
    const [delegated, requested, withdrawn, models] = await Promise.all([
      c.queryFilter(c.filters.Delegated!(holder), from, 'latest'),
      c.queryFilter(c.filters.UndelegateRequested!(holder), from, 'latest'),
      c.queryFilter(c.filters.Withdrawn!(holder), from, 'latest'),
      this.pool.models(),
    ]);
    const names = new Map(models.map((m) => [m.modelId, m.name]));
    const rows: HistoryRow[] = [];
    const add = (log: EventLog | Log, type: HistoryRow['type']) => {
      if (!('args' in log)) return;
      const a = log.args;
      const modelId = Number(a.modelId);
      rows.push({
        timeMs: 0,
        round: type === 'withdrawal' ? null : Number(a.round),
        modelId,
        model: names.get(modelId) ?? `#${modelId}`,
        type,
        amountWei: type === 'undelegation_request' ? null : BigInt(a.amountWei),
        shares: type === 'undelegation_request' ? BigInt(a.shares) : null,
        txHash: log.transactionHash,
        block: log.blockNumber,
        logIndex: log.index,
        account: String(a.holder),
      });
    };
    delegated.forEach((l) => add(l, 'delegation'));
    requested.forEach((l) => add(l, 'undelegation_request'));
    withdrawn.forEach((l) => add(l, 'withdrawal'));
    rows.sort((x, y) => x.block - y.block || x.logIndex - y.logIndex);
    for (const r of rows) r.timeMs = await this.blockTime(r.block);
    return rows;
  }

  private async blockTime(n: number): Promise<number> {
    let t = this.blockTimes.get(n);
    if (t === undefined) {
      const block = await this.pool.ctx.provider.getBlock(n);
      t = (block?.timestamp ?? 0) * 1000;
      this.blockTimes.set(n, t);
    }
    return t;
  }

  /** Writes the file row by row (never one big string) and hands it to the transport's delivery. */
  async export(holder: string, format: 'csv' | 'json', deliver: Delivery) {
    const rows = await this.rows(holder);
    mkdirSync(this.exportDir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().slice(0, 10);
    const fileName = `nmr-delegate-history-${holder.slice(2, 8).toLowerCase()}-${stamp}.${format}`;
    const file = join(this.exportDir, fileName);
    const out = createWriteStream(file, { mode: 0o600 });
    const write = async (s: string) => {
      if (!out.write(s)) await once(out, 'drain');
    };
    if (format === 'csv') {
      await write(csvLine(CSV_HEADER));
      for (const r of rows) {
        await write(
          csvLine([
            new Date(r.timeMs).toISOString(),
            r.round ?? '',
            r.modelId,
            r.model,
            r.type,
            r.amountWei === null ? '' : formatNmr(r.amountWei),
            r.amountWei === null ? '' : r.amountWei,
            r.shares === null ? '' : r.shares,
            r.txHash,
            r.block,
            r.logIndex,
            r.account,
          ]),
        );
      }
    } else {
      await write('[\n');
      for (const [i, r] of rows.entries()) {
        const obj = {
          dateUtc: new Date(r.timeMs).toISOString(),
          round: r.round,
          modelId: r.modelId,
          model: r.model,
          type: r.type,
          amountNmr: r.amountWei === null ? null : formatNmr(r.amountWei),
          amountWei: r.amountWei === null ? null : r.amountWei.toString(),
          shares: r.shares === null ? null : r.shares.toString(),
          txHash: r.txHash,
          block: r.block,
          logIndex: r.logIndex,
          account: r.account,
        };
        await write(`  ${JSON.stringify(obj)}${i < rows.length - 1 ? ',' : ''}\n`);
      }
      await write(']\n');
    }
    out.end();
    await once(out, 'finish');
    const delivered = await deliver(file, fileName, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    return { rows: rows.length, fileName, ...delivered };
  }
}

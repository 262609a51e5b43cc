/**
 * Writes the ledger to a file, streamed (rows are formatted in small batches and written with
 * back-pressure; the file is never one string in memory), to `<file>.partial` renamed at the end, so
 * a cancelled or failed export never leaves a truncated file under the final name.
 *
 * Formats (columns in README.md):
 *   csv     one row per ledger row, exact NMR decimals, optional fiat column
 *   json    { header…, rows: [...], positions: [...] } with wei strings beside the decimals
 *   koinly  Koinly's universal CSV import layout (the pool as one wallet)
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { getAddress } from 'ethers';
import type { ApiParsedInput } from '../../shared/api';
import { formatNmr } from '../../shared/money';
import { abortError } from './rpc';
import { csvLine } from './csv';
import { fiatValue, type PriceSource } from './prices';
import type { Ledger, LedgerRow, PositionTotals, RowType } from './ledger';

/** The formats history.export offers (the contract's list). */
export type ExportFormat = ApiParsedInput<'history.export'>['format'];

export interface ExportFilter {
  /** Rows at or after this time (ms since the epoch, UTC). */
  fromMs?: number | null;
  /** Rows before this time. */
  toMs?: number | null;
  modelIds?: number[] | null;
  accounts?: string[] | null;
}

export interface ExportProgress {
  phase: 'index' | 'timestamps' | 'flows' | 'ledger' | 'write';
  done: number;
  total: number;
}

export interface WriteOptions extends ExportFilter {
  format: ExportFormat;
  chainId: number;
  pool: string;
  prices?: PriceSource | null;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export interface WriteResult {
  rows: number;
  bytes: number;
}

export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Koinly's date form: `2025-03-14 09:30:05 UTC`. */
export function koinlyDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const checksums = new Map<string, string>();
function checksum(a: string): string {
  let c = checksums.get(a);
  if (!c) {
    c = getAddress(a);
    checksums.set(a, c);
  }
  return c;
}

class Sink {
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly out: WriteStream) {}
  async write(s: string) {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) await this.flush();
  }
  async flush() {
    if (this.buf.length === 0) return;
    const chunk = Buffer.from(this.buf.length === 1 ? this.buf[0]! : this.buf.join(''), 'utf8');
    this.buf = [];
    this.size = 0;
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close() {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

export const CSV_COLUMNS = [
  'date_utc',
  'round',
  'model_id',
  'model',
  'type',
  'amount_nmr',
  'value_change_nmr',
  'value_after_nmr',
  'shares',
  'shares_after',
  'tx_hash',
  'block',
  'log_index',
  'account',
] as const;

export const KOINLY_COLUMNS = [
  'Date',
  'Sent Amount',
  'Sent Currency',
  'Received Amount',
  'Received Currency',
  'Fee Amount',
  'Fee Currency',
  'Net Worth Amount',
  'Net Worth Currency',
  'Label',
  'Description',
  'TxHash',
] as const;

/** Whether a row of (account, model, time) is in an export with this filter (both pools' exports). */
export function rowFilter(f: {
  fromMs?: number | null;
  toMs?: number | null;
  modelIds?: readonly number[] | null;
  accounts?: readonly string[] | null;
}): (account: string, modelId: number, timeMs: number) => boolean {
  const acc = f.accounts ? new Set(f.accounts.map((a) => a.toLowerCase())) : null;
  const mods = f.modelIds ? new Set(f.modelIds) : null;
  const from = f.fromMs ?? null;
  const to = f.toMs ?? null;
  return (account, modelId, timeMs) =>
    (!acc || acc.has(account)) && (!mods || mods.has(modelId)) && (from === null || timeMs >= from) && (to === null || timeMs < to);
}

/** The rows an export with this filter contains. */
export function selectRows(ledger: Ledger, f: ExportFilter): LedgerRow[] {
  const keep = rowFilter(f);
  return ledger.rows.filter((r) => keep(r.account, r.modelId, r.timeMs));
}

function modelName(ledger: Ledger, id: number): string {
  return ledger.modelNames.get(id) ?? `#${id}`;
}

function pct(bps: number | null): string {
  if (bps === null) return '';
  const s = (bps / 100).toFixed(2);
  return bps > 0 ? `+${s}%` : `${s}%`;
}

/** One Koinly row, or null for rows that move no NMR in or out of the pool (conversions, requests). */
export function koinlyRow(r: LedgerRow, ledger: Ledger, prices: PriceSource | null): string[] | null {
  const m = `${modelName(ledger, r.modelId)} (#${r.modelId})`;
  const round = r.round === null ? '' : ` round ${r.round}`;
  let sent = 0n;
  let received = 0n;
  let label = '';
  let description: string;
  switch (r.type) {
    case 'delegation':
      received = r.amountWei;
      description = `Delegated to model ${m}${r.round !== null ? `, at risk from round ${r.round + 1}` : ''}`;
      break;
    case 'delegation_cancelled':
      sent = -r.amountWei;
      description = `Delegation to model ${m} cancelled before it was at risk`;
      break;
    case 'withdrawal':
      sent = -r.amountWei;
      description = `Withdrawn from model ${m}`;
      break;
    case 'reward':
      received = r.amountWei;
      label = 'reward';
      description = `Reward: model ${m}${round}, return ${pct(r.returnBps)} (before the operator fee)`;
      break;
    case 'fee':
      sent = -r.amountWei;
      label = 'cost';
      description = `Operator fee: model ${m}${round}`;
      break;
    case 'burn':
      sent = -r.amountWei;
      label = 'lost';
      description = `Burned (stake loss): model ${m}${round}, return ${pct(r.returnBps)}`;
      break;
    case 'rounding':
      if (r.amountWei > 0n) {
        received = r.amountWei;
        label = 'reward';
      } else {
        sent = -r.amountWei;
        label = 'lost';
      }
      description = `Rounding of pool shares: model ${m}${round}`;
      break;
    default:
      return null;
  }
  const amount = sent > 0n ? sent : received;
  const price = prices ? prices.priceOn(new Date(r.timeMs).toISOString().slice(0, 10)) : null;
  const fiat = prices ? fiatValue(amount, price) : '';
  return [
    koinlyDate(r.timeMs),
    sent > 0n ? formatNmr(sent) : '',
    sent > 0n ? 'NMR' : '',
    received > 0n ? formatNmr(received) : '',
    received > 0n ? 'NMR' : '',
    '',
    '',
    fiat,
    fiat ? prices!.currency : '',
    label,
    description,
    r.txHash,
  ];
}

interface Summary {
  account: string;
  modelId: number;
  openingWei: bigint;
  closingWei: bigint;
  sums: PositionTotals;
  rows: number;
}

function summarise(ledger: Ledger, f: ExportFilter): Summary[] {
  const acc = f.accounts ? new Set(f.accounts.map((a) => a.toLowerCase())) : null;
  const mods = f.modelIds ? new Set(f.modelIds) : null;
  const out = new Map<string, Summary>();
  for (const r of ledger.rows) {
    if ((acc && !acc.has(r.account)) || (mods && !mods.has(r.modelId))) continue;
    const k = `${r.account}:${r.modelId}`;
    let s = out.get(k);
    if (!s) {
      s = {
        account: r.account,
        modelId: r.modelId,
        openingWei: 0n,
        closingWei: 0n,
        rows: 0,
        sums: { delegatedWei: 0n, cancelledWei: 0n, withdrawnWei: 0n, rewardWei: 0n, feeWei: 0n, burnWei: 0n, roundingWei: 0n },
      };
      out.set(k, s);
    }
    if (f.fromMs !== null && f.fromMs !== undefined && r.timeMs < f.fromMs) {
      s.openingWei = r.valueAfterWei;
      s.closingWei = r.valueAfterWei;
      continue;
    }
    if (f.toMs !== null && f.toMs !== undefined && r.timeMs >= f.toMs) continue;
    s.closingWei = r.valueAfterWei;
    s.rows++;
    const v = r.valueChangeWei;
    const add: Partial<Record<RowType, keyof PositionTotals>> = {
      delegation: 'delegatedWei',
      delegation_cancelled: 'cancelledWei',
      withdrawal: 'withdrawnWei',
      reward: 'rewardWei',
      fee: 'feeWei',
      burn: 'burnWei',
      rounding: 'roundingWei',
      undelegation_request: 'roundingWei',
    };
    const key = add[r.type];
    if (key) s.sums[key] += key === 'rewardWei' || key === 'roundingWei' || key === 'delegatedWei' ? v : -v;
  }
  return [...out.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.modelId - b.modelId));
}

/** Streams the export to `file`. */
export async function writeExport(ledger: Ledger, file: string, opts: WriteOptions): Promise<WriteResult> {
  const { signal } = opts;
  const prices = opts.prices ?? null;
  const rows = selectRows(ledger, opts);
  const partial = `${file}.partial`;
  // A deep buffer: rows are formatted while the previous pieces are being written.
  const stream = createWriteStream(partial, { mode: 0o600, highWaterMark: 1 << 20 });
  const sink = new Sink(stream);
  let written = 0;
  let lines = 0;
  const step = 2_000;
  const progress = () => opts.onProgress?.({ phase: 'write', done: written, total: rows.length });
  const check = () => {
    if (signal?.aborted) throw abortError(signal);
  };
  try {
    progress();
    if (opts.format === 'csv') {
      const header: string[] = [...CSV_COLUMNS];
      if (prices) header.splice(6, 0, `amount_${prices.currency.toLowerCase()}`);
      await sink.write(csvLine(header));
      // Every cell but the model's name is ours and safe as it is (digits, hex, ISO dates, decimals
      // that csvCell would keep): only the name goes through csvCell, once per model.
      const nameCells = new Map<number, string>();
      let lastMs = NaN;
      let lastIso = '';
      let lastDay = '';
      let lastAccount = '';
      let accountCell = '';
      // Lines are gathered into one string and handed to the sink in pieces of ~64 KB: one await per
      // piece, not per row.
      let text = '';
      for (const r of rows) {
        if (r.timeMs !== lastMs) {
          lastMs = r.timeMs;
          lastIso = isoUtc(r.timeMs);
          lastDay = lastIso.slice(0, 10);
        }
        if (r.account !== lastAccount) {
          lastAccount = r.account;
          accountCell = checksum(r.account);
        }
        let name = nameCells.get(r.modelId);
        if (name === undefined) {
          name = csvLine([modelName(ledger, r.modelId)]).slice(0, -2);
          nameCells.set(r.modelId, name);
        }
        const fiat = prices ? `${fiatValue(r.amountWei, prices.priceOn(lastDay))},` : '';
        // Most rows change the value by their amount: one decimal for both cells.
        const amount = formatNmr(r.amountWei);
        const change = r.valueChangeWei === r.amountWei ? amount : formatNmr(r.valueChangeWei);
        text += `${lastIso},${r.round ?? ''},${r.modelId},${name},${r.type},${amount},${fiat}${change},${formatNmr(r.valueAfterWei)},${r.shares === null ? '' : r.shares},${r.sharesAfter},${r.txHash},${r.block},${r.logIndex},${accountCell}\r\n`;
        lines++;
        if (text.length >= 1 << 16) {
          await sink.write(text);
          text = '';
        }
        if (++written % step === 0) {
          check();
          progress();
        }
      }
      await sink.write(text);
    } else if (opts.format === 'koinly') {
      await sink.write(csvLine([...KOINLY_COLUMNS]));
      for (const r of rows) {
        const cells = koinlyRow(r, ledger, prices);
        if (cells) {
          await sink.write(csvLine(cells));
          lines++;
        }
        if (++written % step === 0) {
          check();
          progress();
        }
      }
    } else {
      const head = {
        format: 'nmr-delegate-history/1',
        chainId: opts.chainId,
        pool: checksum(opts.pool.toLowerCase()),
        asOfBlock: ledger.asOfBlock,
        accounts: [...new Set(rows.map((r) => r.account))].sort().map(checksum),
        fromUtc: opts.fromMs === null || opts.fromMs === undefined ? null : isoUtc(opts.fromMs),
        toUtc: opts.toMs === null || opts.toMs === undefined ? null : isoUtc(opts.toMs),
        modelIds: opts.modelIds ? [...opts.modelIds].sort((a, b) => a - b) : null,
        fiatCurrency: prices?.currency ?? null,
      };
      const headText = JSON.stringify(head, null, 2);
      await sink.write(`${headText.slice(0, -2)},\n  "rows": [`);
      for (const r of rows) {
        const o: Record<string, unknown> = {
          dateUtc: isoUtc(r.timeMs),
          round: r.round,
          account: checksum(r.account),
          modelId: r.modelId,
          model: modelName(ledger, r.modelId),
          type: r.type,
          amountNmr: formatNmr(r.amountWei),
          amountWei: r.amountWei.toString(),
          shares: r.shares === null ? null : r.shares.toString(),
          valueChangeNmr: formatNmr(r.valueChangeWei),
          valueChangeWei: r.valueChangeWei.toString(),
          valueAfterNmr: formatNmr(r.valueAfterWei),
          valueAfterWei: r.valueAfterWei.toString(),
          sharesAfter: r.sharesAfter.toString(),
          pendingInAfterWei: r.pendingInAfterWei.toString(),
          pendingOutSharesAfter: r.pendingOutSharesAfter.toString(),
          withdrawableAfterWei: r.withdrawableAfterWei.toString(),
          returnBps: r.returnBps,
        };
        if (prices) o.amountFiat = fiatValue(r.amountWei, prices.priceOn(new Date(r.timeMs).toISOString().slice(0, 10)));
        o.txHash = r.txHash;
        o.block = r.block;
        o.logIndex = r.logIndex;
        await sink.write(`${written === 0 ? '\n' : ',\n'}    ${JSON.stringify(o)}`);
        lines++;
        if (++written % step === 0) {
          check();
          progress();
        }
      }
      await sink.write(`${written ? '\n  ' : ''}],\n  "positions": [`);
      const sums = summarise(ledger, opts);
      let first = true;
      for (const s of sums) {
        const o = {
          account: checksum(s.account),
          modelId: s.modelId,
          model: modelName(ledger, s.modelId),
          rows: s.rows,
          openingValueNmr: formatNmr(s.openingWei),
          delegatedNmr: formatNmr(s.sums.delegatedWei),
          cancelledNmr: formatNmr(s.sums.cancelledWei),
          withdrawnNmr: formatNmr(s.sums.withdrawnWei),
          rewardsNmr: formatNmr(s.sums.rewardWei),
          feesNmr: formatNmr(s.sums.feeWei),
          burnsNmr: formatNmr(s.sums.burnWei),
          roundingNmr: formatNmr(s.sums.roundingWei),
          closingValueNmr: formatNmr(s.closingWei),
          closingValueWei: s.closingWei.toString(),
        };
        await sink.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(o)}`);
        first = false;
      }
      await sink.write(`${first ? '' : '\n  '}]\n}\n`);
    }
    check();
    await sink.close();
    renameSync(partial, file);
    progress();
    return { rows: lines, bytes: sink.bytes };
  } catch (e) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

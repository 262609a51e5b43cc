/**
 * Export of the StakingPool ledger (staking-ledger.ts): CSV and JSON with the columns and fields in
 * main/history/README.md, and Koinly's universal CSV import for a wallet that stands for the pool. Amounts are exact
 * NMR decimals (`formatNmr`), never rounded. Written to `<file>.partial` and renamed when complete.
 *
 * Koinly (its labels: help.koinly.io "What are labels/tags"): deposits labelled `reward` count as
 * income; withdrawals labelled `cost` are expenses; `lost` is a withdrawal with no proceeds (tokens
 * gone). A round's payout share is a `reward` (gross of the operator's fee), the fee a `cost` in NMR
 * on its own row (Koinly takes no fee on a deposit), a burn share `lost` — whether a loss of
 * burned tokens is deductible is Koinly's country setting and the accountant's call. Delegations,
 * cancellations and withdrawals are transfers (no label: Koinly matches them with the user's wallet).
 * Conversions, exit requests and the `staked` rows move no NMR in or out of the pool: not exported.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { formatNmr } from '../../shared/money';
import { csvLine } from './csv';
import { isoUtc, KOINLY_COLUMNS, koinlyDate, rowFilter, type ExportProgress, type WriteResult } from './export';
import { fiatValue, type PriceSource } from './prices';
import type { StakingLedger, StakingLedgerRow, StakingRowType } from './staking-ledger';

export type StakingExportFormat = 'csv' | 'json' | 'koinly';

export interface StakingExportOptions {
  format: StakingExportFormat;
  chainId: number;
  pool: string;
  /** The time of a block with rows (ms since the epoch, UTC): the index stores block times. */
  timeMs: (block: number) => number;
  prices?: PriceSource | null;
  /** Rows at or after / before these times, of these accounts and models. */
  fromMs?: number | null;
  toMs?: number | null;
  accounts?: readonly string[] | null;
  modelIds?: readonly number[] | null;
  /** Only rows of these types (the History screen's kind filter); null for all. */
  kinds?: readonly StakingRowType[] | null;
  onProgress?: (p: ExportProgress) => void;
}

/** The CSV's columns (an `amount_<currency>` column follows `amount_nmr` when prices are given). */
export const STAKING_CSV_COLUMNS: readonly string[] = (
  'date_utc numerai_round batch model_id model type amount_nmr value_change_nmr value_after_nmr shares_change shares_after ' +
  'tx_hash block log_index account'
).split(' ');

export type StakingRowSelection = Pick<StakingExportOptions, 'timeMs' | 'fromMs' | 'toMs' | 'accounts' | 'modelIds' | 'kinds'>;

/** Whether a row is one an export (and the History screen) with these filters holds. */
export function stakingRowKeep(o: StakingRowSelection): (r: StakingLedgerRow) => boolean {
  const keep = rowFilter(o);
  const kinds = o.kinds ? new Set(o.kinds) : null;
  return (r) => (!kinds || kinds.has(r.type)) && keep(r.holder, r.modelId, o.timeMs(r.block));
}

/** The rows an export with these filters holds, in chain order. */
export function selectStakingRows(ledger: StakingLedger, o: StakingRowSelection): StakingLedgerRow[] {
  return ledger.rows.filter(stakingRowKeep(o));
}

const modelLabel = (ledger: StakingLedger, id: number) => `${ledger.models.get(id)?.name ?? '?'} (#${id})`;

/** What the Koinly row says for each type that moves NMR in or out of the pool; null: not exported. */
const KOINLY: Record<StakingRowType, { label: string; text: string } | null> = {
  delegated: { label: '', text: 'Delegated to model {m}, waiting for its next checkpoint' },
  deposit_cancelled: { label: '', text: 'Delegation to model {m} cancelled before it converted' },
  withdrawn: { label: '', text: 'Withdrawn from model {m}' },
  payout: { label: 'reward', text: "Numerai payout, model {m} round {r}: the position's share, before the operator fee" },
  fee: { label: 'cost', text: 'Operator fee on the gain, model {m} round {r}' },
  burn: { label: 'lost', text: "Numerai burn, model {m} round {r}: the position's share" },
  rounding: { label: '', text: "Rounding of the pool's share price, model {m}" },
  shares_issued: null,
  exit_requested: null,
  exit_settled: null,
  staked: null,
};

/** One Koinly row, or null for rows that move no NMR in or out of the pool (or move 0). */
export function stakingKoinlyRow(r: StakingLedgerRow, ledger: StakingLedger, timeMs: number, prices: PriceSource | null): string[] | null {
  const k = KOINLY[r.type];
  if (!k || r.amountWei === 0n) return null;
  const received = r.amountWei > 0n ? r.amountWei : 0n;
  const sent = r.amountWei < 0n ? -r.amountWei : 0n;
  // Rounding is income or a loss by its sign.
  const label = r.type === 'rounding' ? (received ? 'reward' : 'lost') : k.label;
  const amount = received || sent;
  const fiat = prices ? fiatValue(amount, prices.priceOn(new Date(timeMs).toISOString().slice(0, 10))) : '';
  return [
    koinlyDate(timeMs),
    sent ? formatNmr(sent) : '',
    sent ? 'NMR' : '',
    received ? formatNmr(received) : '',
    received ? 'NMR' : '',
    '',
    '',
    fiat,
    fiat ? prices!.currency : '',
    label,
    k.text.replace('{m}', modelLabel(ledger, r.modelId)).replace('{r}', String(r.roundId ?? '')),
    r.txHash,
  ];
}

/** A block's ISO time and day, formatted once for the run of rows in that block. */
class BlockDates {
  private block = -1;
  private readonly at = { iso: '', day: '' };
  constructor(private readonly timeMs: (block: number) => number) {}
  of(block: number): { iso: string; day: string } {
    if (block !== this.block) {
      this.block = block;
      this.at.iso = isoUtc(this.timeMs(block));
      this.at.day = this.at.iso.slice(0, 10);
    }
    return this.at;
  }
}

/**
 * The CSV's data lines, a piece of ~64 KB at a time. Spelled out rather than through csvLine per row
 * (an export writes 100,000+ rows): every cell but the model's name is ours and safe as it is (digits,
 * hex, ISO dates, type names, decimals that csvCell would keep), so only the name goes through
 * csvCell, once per model; a block's date is formatted once.
 */
function* csvLines(
  rows: readonly StakingLedgerRow[],
  ledger: StakingLedger,
  o: StakingExportOptions,
  count: { rows: number },
): Generator<string> {
  const prices = o.prices ?? null;
  const names = new Map<number, string>();
  const date = new BlockDates(o.timeMs);
  let text = '';
  for (const r of rows) {
    const { iso, day } = date.of(r.block);
    let name = names.get(r.modelId);
    if (name === undefined) {
      name = csvLine([ledger.models.get(r.modelId)?.name ?? '']).slice(0, -2);
      names.set(r.modelId, name);
    }
    const amount = formatNmr(r.amountWei);
    const change = r.valueChangeWei === r.amountWei ? amount : formatNmr(r.valueChangeWei);
    const fiat = prices ? `${fiatValue(r.amountWei, prices.priceOn(day))},` : '';
    const a = r.after;
    text += `${iso},${r.roundId ?? ''},${r.batch ?? ''},${r.modelId},${name},${r.type},${amount},${fiat}${change},${formatNmr(a.valueWei)},${r.sharesDelta},${a.shares + a.exitingShares},${r.txHash},${r.block},${r.logIndex},${r.holder}\r\n`;
    count.rows++;
    if (text.length >= 1 << 16) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}

function jsonRow(r: StakingLedgerRow, ledger: StakingLedger, timeMs: number): Record<string, unknown> {
  return {
    dateUtc: isoUtc(timeMs),
    account: r.holder,
    modelId: r.modelId,
    model: ledger.models.get(r.modelId)?.name ?? null,
    type: r.type,
    numeraiRound: r.roundId,
    batch: r.batch,
    amountNmr: formatNmr(r.amountWei),
    amountWei: r.amountWei.toString(),
    valueChangeWei: r.valueChangeWei.toString(),
    sharesChange: r.sharesDelta.toString(),
    after: {
      shares: r.after.shares.toString(),
      pendingDepositWei: r.after.pendingDepositWei.toString(),
      exitingShares: r.after.exitingShares.toString(),
      unlockRound: r.after.unlockRound,
      withdrawableWei: r.after.withdrawableWei.toString(),
      valueWei: r.after.valueWei.toString(),
      valueNmr: formatNmr(r.after.valueWei),
    },
    txHash: r.txHash,
    block: r.block,
    logIndex: r.logIndex,
  };
}

/**
 * The export's text, a piece at a time (the file is never one string in memory); `count.rows` is the
 * number of data rows given so far.
 */
export function* stakingExportChunks(ledger: StakingLedger, o: StakingExportOptions, count = { rows: 0 }): Generator<string> {
  const prices = o.prices ?? null;
  const rows = selectStakingRows(ledger, o);
  const progress = () => o.onProgress?.({ phase: 'write', done: count.rows, total: rows.length });
  progress();
  if (o.format === 'json') {
    const mods = o.modelIds ? new Set(o.modelIds) : null;
    const rounds = ledger.rounds
      .filter((x) => !mods || mods.has(x.modelId))
      .map((x) => ({
        modelId: x.modelId,
        numeraiRound: x.roundId,
        skipped: x.skipped,
        stakedWei: x.stakedWei.toString(),
        feeBps: x.feeBps,
        resultWei: x.settled?.resultWei.toString() ?? null,
        feeWei: x.settled?.feeWei.toString() ?? null,
      }));
    const head = { format: 'staking-json', chainId: o.chainId, pool: o.pool.toLowerCase(), rounds };
    yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
    for (let i = 0; i < rows.length; i++) {
      yield `${i ? ',' : ''}\n${JSON.stringify(jsonRow(rows[i]!, ledger, o.timeMs(rows[i]!.block)))}`;
      count.rows++;
    }
    yield '\n]}\n';
    return;
  }
  if (o.format === 'koinly') {
    yield csvLine([...KOINLY_COLUMNS]);
    for (const r of rows) {
      const line = stakingKoinlyRow(r, ledger, o.timeMs(r.block), prices);
      if (!line) continue;
      yield csvLine(line);
      count.rows++;
    }
    return;
  }
  const header: string[] = [...STAKING_CSV_COLUMNS];
  if (prices) header.splice(7, 0, `amount_${prices.currency.toLowerCase()}`);
  yield csvLine(header);
  for (const piece of csvLines(rows, ledger, o, count)) {
    yield piece;
    progress();
  }
  progress();
}

/** Text gathered into one write (the JSON and Koinly formats give a piece per row). */
const WRITE_BYTES = 1 << 16;
/** Text written between two turns of the event loop (other calls are answered in between). */
const TURN_BYTES = 1 << 20;

/**
 * Writes the export to `file` (via `<file>.partial`, so a failed export leaves no file). Each ~64 KB
 * of text is written at once (writeSync, tens of µs each), and the event loop gets a turn every
 * ~1 MB: a stream (pipeline into createWriteStream) cost half as much again as the formatting
 * (measured on a 30 MB export).
 */
export async function writeStakingExport(
  ledger: StakingLedger,
  file: string,
  o: StakingExportOptions,
  signal?: AbortSignal,
): Promise<WriteResult> {
  const partial = `${file}.partial`;
  const count = { rows: 0 };
  let fd: number | null = null;
  try {
    signal?.throwIfAborted();
    fd = openSync(partial, 'w', 0o600);
    let bytes = 0;
    let sinceTurn = 0;
    let text = '';
    const write = (to: number) => {
      const buf = Buffer.from(text, 'utf8');
      text = '';
      for (let off = 0; off < buf.length;) off += writeSync(to, buf, off, buf.length - off);
      bytes += buf.length;
      sinceTurn += buf.length;
    };
    for (const piece of stakingExportChunks(ledger, o, count)) {
      text += piece;
      if (text.length < WRITE_BYTES) continue;
      write(fd);
      if (sinceTurn >= TURN_BYTES) {
        sinceTurn = 0;
        await new Promise((r) => setImmediate(r));
        signal?.throwIfAborted();
      }
    }
    write(fd);
    signal?.throwIfAborted();
    closeSync(fd);
    fd = null;
    renameSync(partial, file);
    return { rows: count.rows, bytes };
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  }
}

import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from 'ethers';
import { z } from 'zod';
import { TxHash } from '../../shared/api/primitives';
import type { Logger } from '../log/logger';
import { writeFileAtomic } from '../store/atomic-file';

const Wei = z
  .string()
  .regex(/^\d{1,78}$/)
  .transform((s) => BigInt(s));
const Hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const FeesFile = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(2), maxFeePerGas: Wei, maxPriorityFeePerGas: Wei }),
  z.strictObject({ type: z.literal(0), gasPrice: Wei }),
]);
const AttemptFile = z.strictObject({
  txId: z.string().max(80),
  hash: TxHash,
  purpose: z.enum(['step', 'speed-up', 'cancel']),
  label: z.string().max(300),
  fees: FeesFile,
  sentAt: z.number().int().min(0),
  to: Hex,
  data: Hex,
  value: Wei,
  gasLimit: Wei,
  /** The signed transaction (public once sent): sent again after a restart if the node forgot it; null when a wallet sent it itself. */
  raw: Hex.nullable(),
});
const EntryFile = z.strictObject({
  ref: z.strictObject({
    requestId: z.string().max(64),
    label: z.string().max(300),
    step: z.number().int().min(1),
    steps: z.number().int().min(1),
  }),
  txId: z.string().max(80),
  from: Hex,
  nonce: z.number().int().min(0),
  attempts: z.array(AttemptFile).min(1).max(50),
});
const PendingFileSchema = z.strictObject({
  version: z.literal(1),
  /** Block 0's hash: a demo chain started afresh (same id, new history) must not get old transactions. */
  genesis: TxHash,
  entries: z.array(EntryFile).max(500),
});

/** One nonce still waiting, as kept on disk. */
export type StoredEntry = z.infer<typeof EntryFile>;

/** The file for one chain: transactions belong to a chain, whichever node or pool the app talks to. */
export function pendingTxFile(userDataDir: string, chainId: number): string {
  return join(userDataDir, 'pending-tx', `${chainId}.json`);
}

/**
 * The transactions still waiting, kept in a file so that after a restart (or a crash) main picks
 * them up again and still offers speed up and cancel. Written atomically like the keystore; a
 * damaged file is set aside (.damaged) rather than trusted or lost.
 */
export class PendingTxFile {
  private genesis: Promise<string> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly provider: Provider,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  private chainGenesis(): Promise<string> {
    this.genesis ??= this.provider.getBlock(0).then((b) => {
      if (!b?.hash) throw new Error('the node has no block 0');
      return b.hash;
    });
    return this.genesis;
  }

  /** What the last run left waiting on this very chain; nothing if the file is missing, damaged or from another chain. */
  async load(): Promise<StoredEntry[]> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    let parsed: z.infer<typeof PendingFileSchema>;
    try {
      parsed = PendingFileSchema.parse(JSON.parse(text));
    } catch (e) {
      this.log.warn('tx.pending_file_damaged', { error: e instanceof Error ? e.message.slice(0, 200) : String(e) });
      renameSync(this.path, `${this.path}.damaged`);
      return [];
    }
    if (parsed.genesis !== (await this.chainGenesis())) {
      this.log.warn('tx.pending_file_other_chain', { entries: parsed.entries.length });
      return [];
    }
    return parsed.entries;
  }

  /** Replaces the file with these entries, in call order; a write that fails is logged, never thrown. */
  save(entries: StoredEntry[]): void {
    const body = (genesis: string) =>
      JSON.stringify({ version: 1, genesis, entries }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    this.queue = this.queue
      .then(async () => writeFileAtomic(this.path, body(await this.chainGenesis())))
      .catch((e: unknown) => this.log.warn('tx.pending_file_write_failed', { error: e instanceof Error ? e.message : String(e) }));
  }

  /** Resolves once every save so far reached the disk. */
  flushed(): Promise<void> {
    return this.queue;
  }
}

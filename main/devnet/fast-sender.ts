import { Transaction, type JsonRpcProvider, type Wallet } from 'ethers';
import { waitForReceipt } from '../chain/receipts';

/**
 * Sends many transactions from one local-chain account without a round trip per field: nonce,
 * fees and gas are set here and each transaction is signed locally and sent raw. Sends go out one
 * after another in nonce order (never concurrently): anvil's automine can leave a transaction that
 * arrived ahead of a gap pending for good. Only for the demo chain's own set-up.
 */
export class FastSender {
  private base: Promise<number> | null = null;
  private count = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly hashes: string[] = [];

  constructor(
    private readonly wallet: Wallet,
    private readonly provider: JsonRpcProvider,
    private readonly chainId: number,
  ) {}

  send(to: string, data: string, gasLimit: bigint, value = 0n): Promise<string> {
    const offset = this.count++;
    const run = this.chain.then(async () => {
      this.base ??= this.provider.getTransactionCount(this.wallet.address, 'pending');
      const tx = Transaction.from({
        type: 2,
        chainId: this.chainId,
        nonce: (await this.base) + offset,
        to,
        data,
        value,
        gasLimit,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 1_000_000n,
      });
      const hash = (await this.provider.send('eth_sendRawTransaction', [await this.wallet.signTransaction(tx)])) as string;
      this.hashes.push(hash);
      return hash;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Waits for everything sent so far and fails if any of it reverted or never got mined. */
  async settle(timeoutMs = 60_000): Promise<void> {
    await this.chain;
    const pending = this.hashes.splice(0);
    if (pending.length === 0) return;
    await waitForReceipt(this.provider, pending[pending.length - 1]!, { timeoutMs });
    const receipts = await Promise.all(pending.map((h) => this.provider.getTransactionReceipt(h)));
    const bad = receipts.findIndex((r) => !r || r.status !== 1);
    if (bad >= 0) throw new Error(`demo set-up transaction ${pending[bad]} failed`);
  }
}

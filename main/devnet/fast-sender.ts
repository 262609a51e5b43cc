import { Transaction, type JsonRpcProvider, type Wallet } from 'ethers';

/**
 * Sends many transactions from one local-chain account without a round trip per field: nonce,
 * fees and gas are set here, each transaction is signed locally and sent raw, and ethers batches
 * the sends into few HTTP requests. Only for the demo chain's own set-up, where we know the fees.
 */
export class FastSender {
  private base: Promise<number> | null = null;
  private count = 0;
  private readonly hashes: string[] = [];

  constructor(
    private readonly wallet: Wallet,
    private readonly provider: JsonRpcProvider,
    private readonly chainId: number,
  ) {}

  async send(to: string, data: string, gasLimit: bigint, value = 0n): Promise<string> {
    // The offset is taken before any await, so concurrent sends get consecutive nonces in call order.
    const offset = this.count++;
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
    const signed = await this.wallet.signTransaction(tx);
    const hash = (await this.provider.send('eth_sendRawTransaction', [signed])) as string;
    this.hashes.push(hash);
    return hash;
  }

  /** Waits for everything sent so far and fails if any of it reverted. */
  async settle(): Promise<void> {
    const pending = this.hashes.splice(0);
    if (pending.length === 0) return;
    await this.provider.waitForTransaction(pending[pending.length - 1]!);
    const receipts = await Promise.all(pending.map((h) => this.provider.getTransactionReceipt(h)));
    const bad = receipts.findIndex((r) => !r || r.status !== 1);
    if (bad >= 0) throw new Error(`demo set-up transaction ${pending[bad]} failed`);
  }
}

import { Transaction, toQuantity, type JsonRpcProvider, type Wallet } from 'ethers';
import { waitForReceipt } from '../chain/receipts';

/**
 * Sends many transactions from one local-chain account without a round trip per field: nonce,
 * fees and gas are set here and each transaction is signed locally and sent raw. Sends go out one
 * after another in nonce order (never concurrently): anvil's automine can leave a transaction that
 * arrived ahead of a gap pending for good. Only for the demo chain's own set-up and demo days.
 */
export class FastSender {
  /** The nonce of the next send, read from the node at the first send and after a refusal. */
  private next: number | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly hashes: string[] = [];
  /** A send the node refused: settle() reports it (callers may fire sends without awaiting each). */
  private refused: unknown = null;

  /**
   * `unlocked`: the account is one of anvil's own dev accounts, which anvil signs for; sending with
   * eth_sendTransaction saves signing each transaction in JavaScript (most of a set-up burst's time).
   */
  constructor(
    private readonly wallet: Wallet,
    private readonly provider: JsonRpcProvider,
    private readonly chainId: number,
    private readonly opts: { unlocked?: boolean } = {},
  ) {}

  /** `to` null deploys a contract (`data` = bytecode and constructor arguments). */
  send(to: string | null, data: string, gasLimit: bigint, value = 0n): Promise<string> {
    const run = this.chain.then(async () => {
      // The nonce is taken when the send's turn comes, not when it was asked for: a send the node
      // refused leaves no gap that would hold every later one pending for good.
      const nonce = (this.next ??= await this.provider.getTransactionCount(this.wallet.address, 'pending'));
      const tx = Transaction.from({
        type: 2,
        chainId: this.chainId,
        nonce,
        to,
        data,
        value,
        gasLimit,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 1_000_000n,
      });
      try {
        const hash = (
          this.opts.unlocked
            ? await this.provider.send('eth_sendTransaction', [{ from: this.wallet.address, ...quantities(tx) }])
            : await this.provider.send('eth_sendRawTransaction', [await this.wallet.signTransaction(tx)])
        ) as string;
        this.next = nonce + 1;
        this.hashes.push(hash);
        return hash;
      } catch (e) {
        // Perhaps another sender of this account moved its nonce on: ask the node again next time.
        this.next = null;
        throw e;
      }
    });
    this.chain = run.catch((e: unknown) => {
      this.refused ??= e;
    });
    return run;
  }

  /** Waits until everything so far was handed to the node (not mined). */
  async sent(): Promise<void> {
    await this.chain;
  }

  /** Waits for everything sent so far and fails if any of it reverted or never got mined. */
  async settle(timeoutMs = 60_000): Promise<void> {
    await this.chain;
    if (this.refused) throw this.refused instanceof Error ? this.refused : new Error('a demo set-up transaction was refused');
    const pending = this.hashes.splice(0);
    if (pending.length === 0) return;
    await waitForReceipt(this.provider, pending[pending.length - 1]!, { timeoutMs });
    const receipts = await Promise.all(pending.map((h) => this.provider.getTransactionReceipt(h)));
    const bad = receipts.findIndex((r) => !r || r.status !== 1);
    if (bad >= 0) throw new Error(`demo set-up transaction ${pending[bad]} failed`);
  }
}

/** The transaction's fields as JSON-RPC quantities (eth_sendTransaction's request shape). */
function quantities(tx: Transaction): Record<string, string | null> {
  return {
    to: tx.to,
    data: tx.data,
    value: toQuantity(tx.value),
    gas: toQuantity(tx.gasLimit),
    nonce: toQuantity(tx.nonce),
    chainId: toQuantity(tx.chainId),
    type: toQuantity(2),
    maxFeePerGas: toQuantity(tx.maxFeePerGas ?? 0n),
    maxPriorityFeePerGas: toQuantity(tx.maxPriorityFeePerGas ?? 0n),
  };
}

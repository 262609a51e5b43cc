import type { Provider, TransactionReceipt } from 'ethers';

/**
 * Polls for a transaction's receipt. ethers' own wait() listens for the next block, and a local
 * chain that mined the transaction a moment before has no next block: the wait would never end.
 */
export async function waitForReceipt(
  provider: Provider,
  hash: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<TransactionReceipt> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  let pause = 20;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) return receipt;
    if (opts.signal?.aborted) throw new Error('stopped waiting for the transaction');
    if (Date.now() > deadline) throw new Error(`transaction ${hash} was not mined in time`);
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(1000, pause * 2);
  }
}

import type { JsonRpcProvider } from 'ethers';

/**
 * Mining many transactions a block on the local chain (automine off): a block per transaction is most
 * of a cold start's and a demo day's time. Local chain only (anvil's txpool_status and evm_mine).
 */

/** Whether the node holds transactions not yet mined. */
export async function hasPending(provider: JsonRpcProvider): Promise<boolean> {
  return BigInt(((await provider.send('txpool_status', [])) as { pending: string }).pending) > 0n;
}

/** Mines blocks until nothing is pending (as many transactions a block as fit). */
export async function mineUntilEmpty(provider: JsonRpcProvider): Promise<void> {
  for (let i = 0; i < 10_000 && (await hasPending(provider)); i++) await provider.send('evm_mine', []);
}

/**
 * Runs `work` with the chain mining what is pending a block at a time instead of a block per
 * transaction. Other accounts' transactions sent meanwhile (a holder's) are mined by the same loop;
 * automine is back on when `work` ends, whatever happens.
 */
export async function inSharedBlocks<T>(provider: JsonRpcProvider, work: () => Promise<T>): Promise<T> {
  await provider.send('evm_setAutomine', [false]);
  let done = false;
  const miner = (async () => {
    while (!done) {
      if (await hasPending(provider)) await provider.send('evm_mine', []);
      else await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return await work();
  } finally {
    done = true;
    await miner.catch(() => undefined);
    await provider.send('evm_setAutomine', [true]);
    // A transaction that arrived between the loop's last look and automine's return would wait for the next one.
    await mineUntilEmpty(provider);
  }
}

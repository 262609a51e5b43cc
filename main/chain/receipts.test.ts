import type { Provider, TransactionReceipt } from 'ethers';
import { describe, expect, it, vi } from 'vitest';
import { waitForReceipt } from './receipts';

const HASH = '0x' + 'ab'.repeat(32);
const RECEIPT = { hash: HASH, status: 1 } as unknown as TransactionReceipt;

/** A node that knows the receipt only from its `minedAfter`-th question on. */
function node(minedAfter: number) {
  const asked: number[] = [];
  const provider = {
    getTransactionReceipt: async (hash: string) => {
      expect(hash).toBe(HASH);
      asked.push(Date.now());
      return asked.length > minedAfter ? RECEIPT : null;
    },
  } as unknown as Provider;
  return { provider, asked };
}

describe('waitForReceipt', () => {
  it('returns at once when the transaction is already mined (no next block needed)', async () => {
    const { provider, asked } = node(0);
    await expect(waitForReceipt(provider, HASH)).resolves.toBe(RECEIPT);
    expect(asked).toHaveLength(1);
  });

  it('polls until the receipt is there, doubling the pause between questions up to a second', async () => {
    const { provider, asked } = node(8);
    const timer = vi.spyOn(globalThis, 'setTimeout');
    let pauses: unknown[];
    try {
      await expect(waitForReceipt(provider, HASH)).resolves.toBe(RECEIPT);
      pauses = timer.mock.calls.map(([, ms]) => ms);
    } finally {
      timer.mockRestore();
    }
    expect(asked).toHaveLength(9);
    expect(pauses).toEqual([20, 40, 80, 160, 320, 640, 1000, 1000]);
  });

  it('gives up after the deadline, naming the transaction', async () => {
    const { provider } = node(Infinity);
    await expect(waitForReceipt(provider, HASH, { timeoutMs: 100 })).rejects.toThrow(`transaction ${HASH} was not mined in time`);
  });

  it('stops when asked to', async () => {
    const { provider, asked } = node(Infinity);
    const stop = new AbortController();
    const waiting = waitForReceipt(provider, HASH, { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(waiting).rejects.toThrow('stopped waiting for the transaction');
    expect(asked.length).toBeGreaterThan(1);
  });
});

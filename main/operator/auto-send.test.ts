import type { AbstractSigner, Provider, TransactionReceipt } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { InFlightTx, Outcome, StepRef } from '../tx/in-flight';
import { AutoSendRefused, autoSender, type AutoSendDeps } from './auto-send';

const POOL = '0x0000000000000000000000000000000000000001';
const GWEI = 10n ** 9n;

function deps(opts: { maxFeePerGas?: bigint; outcome?: Outcome } = {}) {
  const log: string[] = [];
  const provider = {
    getFeeData: () => Promise.resolve({ maxFeePerGas: opts.maxFeePerGas ?? 20n * GWEI, maxPriorityFeePerGas: GWEI, gasPrice: null }),
    estimateGas: () => Promise.resolve(100_000n),
    getTransactionReceipt: (hash: string) => Promise.resolve({ hash, logs: [] } as unknown as TransactionReceipt),
  } as unknown as Provider;
  const d: AutoSendDeps = {
    provider,
    chainId: 31337,
    poolAddress: POOL,
    signer: () => ({ address: '0x00000000000000000000000000000000000000aa' }) as AbstractSigner & { address: string },
    checkChain: () => {
      log.push('chain checked');
      return Promise.resolve();
    },
    tracker: {
      signing: (ref: StepRef) => void log.push(`signing ${ref.label}`),
      failed: (ref: StepRef, error: string) => void log.push(`failed ${error}`),
      send: (_s, _ref, body) => {
        log.push(`sent gas ${body.gasLimit}`);
        return Promise.resolve({} as InFlightTx);
      },
      settle: () => Promise.resolve(opts.outcome ?? { kind: 'mined', hash: '0xabc', by: 'step' }),
    },
  };
  return { d, log };
}

describe('autoSender', () => {
  it('sends to the pool at the market fee with headroom on the estimate, and hands back the receipt', async () => {
    const { d, log } = deps();
    const receipt = await autoSender(d)({ to: POOL, data: '0x1234', description: 'Stake round 7' });
    expect(receipt.hash).toBe('0xabc');
    expect(log).toEqual(['chain checked', 'signing Stake round 7', 'sent gas 120000']);
  });

  it('never sends anywhere but the pool', async () => {
    const { d, log } = deps();
    await expect(autoSender(d)({ to: '0x00000000000000000000000000000000000000bb', data: '0x', description: 'x' })).rejects.toBeInstanceOf(
      AutoSendRefused,
    );
    expect(log).toEqual([]);
  });

  it('waits instead of paying an unusually high fee, and says so', async () => {
    const { d, log } = deps({ maxFeePerGas: 900n * GWEI });
    await expect(autoSender(d)({ to: POOL, data: '0x', description: 'Stake round 7' })).rejects.toThrow(/waits for a normal fee/);
    expect(log.some((l) => l.startsWith('sent'))).toBe(false);
    expect(log.at(-1)).toMatch(/^failed .*unusually high/);
  });

  it('reports a revert as a failure of that transaction', async () => {
    const { d, log } = deps({ outcome: { kind: 'reverted', hash: '0xdef' } });
    await expect(autoSender(d)({ to: POOL, data: '0x', description: 'Relay' })).rejects.toThrow('reverted');
    expect(log.at(-1)).toBe('failed The transaction was reverted.');
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PendingTxFile, pendingTxFile, type StoredEntry } from './pending-file';

const GENESIS_A = `0x${'a'.repeat(64)}`;
const GENESIS_B = `0x${'b'.repeat(64)}`;
const chain = (genesis: string) => ({ getBlock: async () => ({ hash: genesis }) }) as unknown as Provider;

const entry: StoredEntry = {
  ref: { requestId: 'f'.repeat(32), label: 'Delegate 7 NMR', step: 1, steps: 1 },
  txId: `${'f'.repeat(32)}:1`,
  from: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  nonce: 4,
  attempts: [
    {
      txId: `${'f'.repeat(32)}:1`,
      hash: `0x${'1'.repeat(64)}`,
      purpose: 'step',
      label: 'Delegate 7 NMR',
      fees: { type: 2, maxFeePerGas: 2n ** 70n, maxPriorityFeePerGas: 1n },
      sentAt: 1_700_000_000_000,
      to: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      data: '0x1234',
      value: 0n,
      gasLimit: 400_000n,
      raw: '0x02f8',
    },
  ],
};

let dir: string;
const warnings: string[] = [];
const log = { warn: (event: string) => void warnings.push(event) };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pending-file-'));
  warnings.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the file of transactions still waiting', () => {
  it('gives back what was saved, amounts to the wei, on the same chain', async () => {
    const path = pendingTxFile(dir, 31337);
    const file = new PendingTxFile(path, chain(GENESIS_A), log);
    file.save([entry]);
    await file.flushed();
    expect(await new PendingTxFile(path, chain(GENESIS_A), log).load()).toEqual([entry]);
    expect(JSON.parse(readFileSync(path, 'utf8')).entries[0].attempts[0].fees.maxFeePerGas).toBe((2n ** 70n).toString());
  });

  it('keeps saves in order: the last one wins', async () => {
    const path = pendingTxFile(dir, 1);
    const file = new PendingTxFile(path, chain(GENESIS_A), log);
    file.save([entry]);
    file.save([]);
    await file.flushed();
    expect(await file.load()).toEqual([]);
  });

  it('gives nothing to a chain started afresh with the same id (another block 0)', async () => {
    const path = pendingTxFile(dir, 31337);
    const file = new PendingTxFile(path, chain(GENESIS_A), log);
    file.save([entry]);
    await file.flushed();
    expect(await new PendingTxFile(path, chain(GENESIS_B), log).load()).toEqual([]);
    expect(warnings).toEqual(['tx.pending_file_other_chain']);
  });

  it('sets a damaged file aside instead of trusting it', async () => {
    const path = pendingTxFile(dir, 31337);
    const file = new PendingTxFile(path, chain(GENESIS_A), log);
    file.save([entry]);
    await file.flushed();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"nonce":4', '"nonce":-4'));
    expect(await file.load()).toEqual([]);
    expect(existsSync(`${path}.damaged`)).toBe(true);
    expect(warnings).toEqual(['tx.pending_file_damaged']);
  });

  it('is empty when there is no file yet', async () => {
    expect(await new PendingTxFile(pendingTxFile(dir, 5), chain(GENESIS_A), log).load()).toEqual([]);
  });
});

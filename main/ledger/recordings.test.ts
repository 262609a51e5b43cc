import { readdirSync } from 'node:fs';
import { Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_0, delegateTx, deviceKey, recordings } from './test-support/device-recordings';
import { recording } from './test-support/replay';

describe('the device recordings', () => {
  it('are the files the specification-based generator writes (npx tsx main/ledger/test-support/write-recordings.ts)', () => {
    const expected = recordings();
    const files = readdirSync(new URL('./recordings/', import.meta.url)).filter((f) => f.endsWith('.apdus'));
    expect(files.map((f) => f.replace(/\.apdus$/, '')).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect(recording(name), name).toBe(text);
  });

  it('hold a real signature by the device’s key over the transaction they stream', () => {
    const lines = recording('sign-delegate').trim().split('\n');
    const last = lines.at(-1)!.replace('<= ', '');
    const tx = delegateTx();
    tx.signature = { r: `0x${last.slice(2, 66)}`, s: `0x${last.slice(66, 130)}`, yParity: Number(last.slice(0, 2)) as 0 | 1 };
    expect(Transaction.from(tx.serialized).from).toBe(deviceKey(ACCOUNT_0).address);
    expect(last.endsWith('9000')).toBe(true);
  });
});

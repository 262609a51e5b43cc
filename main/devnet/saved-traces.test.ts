import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropSavedTraces } from './saved-traces';

/** anvil's saved state, in its shape (compact JSON), with two mined transactions. */
function state(over: { traces?: unknown[]; nonce?: string } = {}) {
  return {
    block: { number: '0x2', timestamp: '0x6553f100' },
    accounts: { '0x5fbdb2315678afecb367f032d93f642f64180aa3': { nonce: 1, balance: '0x0', code: '0x6080', storage: { '0x0': '0x1' } } },
    best_block_number: 2,
    blocks: [{ header: { number: '0x1' }, transactions: [] }],
    transactions: [
      {
        info: {
          transaction_hash: '0xaa',
          traces: over.traces ?? [{ parent: null, children: [], idx: 0, trace: { depth: 0, data: '0x1234' } }],
          gas_used: 21000,
        },
        receipt: { status: '0x1', logs: [{ address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', topics: ['0x01'], data: '0x' }] },
        block_hash: '0xbb',
        block_number: 1,
      },
      { info: { transaction_hash: '0xcc', traces: [] }, receipt: { status: '0x1', logs: [] }, block_hash: '0xdd', block_number: 2 },
    ],
    historical_states: null,
    ...(over.nonce ? { raw: over.nonce } : {}),
  };
}

function fileWith(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'saved-traces-')), 'anvil-state.json');
  writeFileSync(file, content);
  return file;
}

describe('dropSavedTraces', () => {
  it('empties every transaction’s traces and keeps everything else as it was', () => {
    const before = state();
    const file = fileWith(JSON.stringify(before));
    expect(dropSavedTraces(file)).toBe(true);
    const after = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof state>;
    expect(after.transactions.map((t) => t.info.traces)).toEqual([[], []]);
    after.transactions[0]!.info.traces = before.transactions[0]!.info.traces;
    expect(after).toEqual(before);
  });

  it('leaves a state with no traces, or one it cannot read safely, as anvil wrote it', () => {
    const cases = [
      JSON.stringify(state({ traces: [] })), // nothing to drop
      JSON.stringify(state()).replace('"best_block_number":2', '"best_block_number":12345678901234567'), // a number JSON.parse would round
      JSON.stringify(state()).slice(0, -10), // cut short
      JSON.stringify([{ info: { traces: [{}] } }]), // not anvil's shape
    ];
    for (const content of cases) {
      const file = fileWith(content);
      expect(dropSavedTraces(file)).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
    expect(dropSavedTraces(join(tmpdir(), 'no-such-folder-saved-traces', 'anvil-state.json'))).toBe(false);
  });
});

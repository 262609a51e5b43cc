import type { JsonRpcProvider } from 'ethers';
import { describe, expect, it } from 'vitest';
import { CONFIRMATIONS_NEEDED } from '../chain/confirmations';
import { sessionHistoryOptions } from './history-service';

const ctx = (kind: 'local' | 'remote') => ({
  provider: { _getConnection: () => ({ url: 'http://127.0.0.1:8545' }) } as unknown as JsonRpcProvider,
  chainId: 11155111,
  kind,
  poolAddress: '0x1111111111111111111111111111111111111111',
  deployBlock: 42,
});

describe('sessionHistoryOptions', () => {
  it('reads only blocks a transaction would call confirmed, on either kind of network', () => {
    for (const kind of ['local', 'remote'] as const) {
      const behind = sessionHistoryOptions(ctx(kind), '/data').confirmations ?? 0;
      // The indexer reads up to head - behind; that block has head - block + 1 confirmations.
      const head = 1000;
      expect(head - (head - behind) + 1).toBe(CONFIRMATIONS_NEEDED[kind]);
    }
    expect(sessionHistoryOptions(ctx('remote'), '/data').confirmations).toBe(2);
    expect(sessionHistoryOptions(ctx('local'), '/data').confirmations).toBe(0);
  });

  it("keeps the session's node, pool and folders", () => {
    expect(sessionHistoryOptions(ctx('remote'), '/data')).toMatchObject({
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 11155111,
      poolAddress: '0x1111111111111111111111111111111111111111',
      deployBlock: 42,
      indexDir: '/data/history-index',
      exportDir: '/data/exports',
    });
  });
});

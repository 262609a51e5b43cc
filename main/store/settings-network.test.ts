import { describe, expect, it } from 'vitest';
import { MAINNET_NMR } from '../../shared/api';
import { Settings } from './settings';

const node = { rpcUrl: 'https://node.example/v1/key', chainId: 1 };
const a = (c: string) => `0x${c.repeat(40)}`;

describe('the saved real network', () => {
  it('stores a staking network with its staking contract and tournament, and an old-pool one without', () => {
    const stored = {
      kind: 'remote',
      rpcUrl: node.rpcUrl,
      chainId: 1,
      poolAddress: a('3'),
      tokenAddress: MAINNET_NMR,
      label: 'Ethereum mainnet',
      deployBlock: 5,
    } as const;
    const base = { version: 1, lockTimeoutMin: 15, theme: 'system', riskAcknowledged: false, demoRoundIntervalS: 0 } as const;
    expect(Settings.parse({ ...base, network: { ...stored, staking: { address: a('2'), tournamentId: 8 } } }).network).toMatchObject({
      staking: { tournamentId: 8 },
    });
    expect(Settings.parse({ ...base, network: stored }).network).not.toHaveProperty('staking');
    expect(Settings.safeParse({ ...base, network: { ...stored, staking: { address: 'x', tournamentId: 8 } } }).success).toBe(false);
  });
});

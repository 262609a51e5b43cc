import { describe, expect, it } from 'vitest';
import { API } from './contract';
import { AddressVerdicts, MAINNET_NMR, RemoteNetworkInput, knownStakingAddresses } from './networks';

const node = { rpcUrl: 'https://node.example/v1/key', chainId: 1 };
const a = (c: string) => `0x${c.repeat(40)}`;
const staking = { ...node, nmrAddress: MAINNET_NMR, stakingAddress: a('2'), poolAddress: a('3') };

describe('a real network as Settings sends it', () => {
  it('takes the three staking addresses and nothing else', () => {
    const connect = API['network.connect'].input;
    expect(connect.parse(staking)).toEqual(staking);
    // A pool address alone (the old pool's form) or part of the triple is refused.
    expect(connect.safeParse({ ...node, poolAddress: a('3') }).success).toBe(false);
    expect(connect.safeParse({ ...node, poolAddress: a('3'), stakingAddress: a('2') }).success).toBe(false);
    expect(connect.safeParse({ ...staking, extra: 1 }).success).toBe(false);
    expect(RemoteNetworkInput.safeParse({ ...staking, nmrAddress: '' }).success).toBe(false);
    expect(RemoteNetworkInput.safeParse({ ...staking, chainId: 0 }).success).toBe(false);
    // The check takes the same input as the connect, so the screen sends one form to both.
    expect(API['network.checkAddresses'].input.parse(staking)).toEqual(staking);
  });

  it('answers each address with its own verdict: what it is, or what is wrong', () => {
    const verdicts = {
      checks: [
        { role: 'nmr', address: MAINNET_NMR, ok: true, detail: 'NMR, 18 decimals' },
        { role: 'staking', address: a('2'), ok: false, message: 'There is no contract at this address on Ethereum mainnet.' },
        { role: 'pool', address: a('3'), ok: true, detail: 'Staking pool' },
      ],
    };
    expect(AddressVerdicts.parse(verdicts)).toEqual(verdicts);
    // A failed verdict without its message, or a passed one with a message instead of a detail, is refused.
    expect(AddressVerdicts.safeParse({ checks: [{ role: 'nmr', address: a('1'), ok: false, detail: 'x' }] }).success).toBe(false);
    expect(AddressVerdicts.safeParse({ checks: [{ role: 'token', address: a('1'), ok: true, detail: 'x' }] }).success).toBe(false);
  });

  it('prefills mainnet NMR, and leaves Numerai’s staking contract empty with the reason', () => {
    expect(knownStakingAddresses(1)).toMatchObject({ nmr: MAINNET_NMR, staking: null });
    expect(knownStakingAddresses(1).stakingUnknown).toMatch(/v3StakeConfig/);
    expect(knownStakingAddresses(11155111)).toMatchObject({ nmr: null, staking: null });
  });
});

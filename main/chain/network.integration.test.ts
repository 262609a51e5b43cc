/** Validating a real staking network on anvil: what is saved, and a set of addresses that is not one. */
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import { deployWorld, type World } from '../../contracts/test-support/staking';
import { createProvider } from './provider';
import { validateStakingNetwork } from './staking-network';

describe('validateStakingNetwork on a local chain with our pool', () => {
  let anvil: Anvil;
  let w: World;
  beforeAll(async () => {
    anvil = await startAnvil();
    w = await deployWorld(anvil.url);
  }, 60_000);
  afterAll(async () => {
    w?.stop();
    await anvil?.stop();
  });

  const input = () => ({
    rpcUrl: ` ${anvil.url} `,
    chainId: Number(w.domain.chainId),
    nmrAddress: w.token,
    stakingAddress: w.staking,
    poolAddress: w.pool,
  });

  it('returns the network to save: checksummed addresses, the tournament, where the pool’s history starts', async () => {
    const net = await validateStakingNetwork(input());
    expect(net).toMatchObject({
      kind: 'remote',
      rpcUrl: `${anvil.url}/`,
      chainId: Number(w.domain.chainId),
      poolAddress: getAddress(w.pool),
      tokenAddress: getAddress(w.token),
      staking: { address: getAddress(w.staking), tournamentId: Number(w.tournamentId) },
    });
    // The first block with the pool's code: none before it.
    const provider = createProvider(anvil.url, Number(w.domain.chainId));
    try {
      expect(net.deployBlock).toBeGreaterThan(0);
      expect(await provider.getCode(w.pool, net.deployBlock)).not.toBe('0x');
      expect(await provider.getCode(w.pool, net.deployBlock - 1)).toBe('0x');
    } finally {
      provider.destroy();
    }
  });

  it('refuses a contract that is not the pool (the token), naming the field, and the wrong chain id', async () => {
    await expect(validateStakingNetwork({ ...input(), poolAddress: w.token })).rejects.toMatchObject({
      code: 'NOT_A_POOL',
      message: expect.stringMatching(/^Pool: .*does not answer as the staking pool/),
    });
    await expect(validateStakingNetwork({ ...input(), chainId: 1 })).rejects.toMatchObject({ code: 'WRONG_CHAIN' });
  });
});

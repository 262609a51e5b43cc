/** Validating a real pool on anvil: what is saved, and the contracts that are not our pool. */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { tinyDemo } from '../devnet/test-support/tiny-world';
import { DEPLOYER_KEY, deployWorld, type Deployment } from '../devnet/world';
import { MAINNET_NMR } from '../../shared/api';
import { validateRemoteNetwork } from './network';
import { createProvider } from './provider';

async function chainWithPool(chainId: number): Promise<{ anvil: AnvilHandle; deployment: Deployment }> {
  const anvil = await startAnvil({ chainId });
  const provider = createProvider(anvil.url, chainId, 20);
  try {
    const deployment = await deployWorld(provider, new Wallet(DEPLOYER_KEY, provider), tinyDemo(2, 1), chainId);
    return { anvil, deployment };
  } finally {
    provider.destroy();
  }
}

describe('validateRemoteNetwork on a local chain with our pool', () => {
  let anvil: AnvilHandle;
  let deployment: Deployment;
  beforeAll(async () => ({ anvil, deployment } = await chainWithPool(31337)));
  afterAll(() => anvil?.stop());

  it('returns the network to save: checksummed addresses, the token the pool holds, where its history starts', async () => {
    const net = await validateRemoteNetwork({ rpcUrl: ` ${anvil.url} `, chainId: 31337, poolAddress: deployment.pool.toLowerCase() });
    expect(net).toMatchObject({
      kind: 'remote',
      rpcUrl: `${anvil.url}/`,
      chainId: 31337,
      poolAddress: deployment.pool,
      tokenAddress: deployment.token,
      label: 'Local chain',
    });
    // The first block with the pool's code: none before it.
    const provider = createProvider(anvil.url, 31337);
    try {
      expect(net.deployBlock).toBeGreaterThan(0);
      expect(await provider.getCode(deployment.pool, net.deployBlock)).not.toBe('0x');
      expect(await provider.getCode(deployment.pool, net.deployBlock - 1)).toBe('0x');
    } finally {
      provider.destroy();
    }
  });

  it('refuses a contract that is not a pool (the token), and the wrong chain id', async () => {
    await expect(validateRemoteNetwork({ rpcUrl: anvil.url, chainId: 31337, poolAddress: deployment.token })).rejects.toMatchObject({
      code: 'NOT_A_POOL',
      message: `The contract at ${deployment.token} is not an NMR delegation pool.`,
    });
    await expect(validateRemoteNetwork({ rpcUrl: anvil.url, chainId: 1, poolAddress: deployment.pool })).rejects.toMatchObject({
      code: 'WRONG_CHAIN',
    });
  });
});

describe('validateRemoteNetwork on chain id 1', () => {
  let anvil: AnvilHandle;
  let deployment: Deployment;
  beforeAll(async () => ({ anvil, deployment } = await chainWithPool(1)));
  afterAll(() => anvil?.stop());

  it('refuses a pool that does not hold mainnet NMR', async () => {
    await expect(validateRemoteNetwork({ rpcUrl: anvil.url, chainId: 1, poolAddress: deployment.pool })).rejects.toMatchObject({
      code: 'NOT_A_POOL',
      message: `That pool does not hold mainnet NMR (${MAINNET_NMR}); it holds ${deployment.token}.`,
    });
  });
});

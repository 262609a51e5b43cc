import { Contract, ContractFactory, Interface, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAbi, tokenBytecode } from '../chain/contracts';
import { createProvider } from '../chain/provider';
import { waitForReceipt } from '../chain/receipts';
import { startAnvil, type AnvilHandle } from './anvil';
import { FastSender } from './fast-sender';
import { DEPLOYER_KEY, DEVNET_CHAIN_ID } from './demo-accounts';

const token = new Interface(tokenAbi);

describe('FastSender on anvil', () => {
  let anvil: AnvilHandle;
  let provider: ReturnType<typeof createProvider>;
  let deployer: Wallet;
  let tokenAddress: string;
  beforeAll(async () => {
    anvil = await startAnvil({ chainId: DEVNET_CHAIN_ID });
    provider = createProvider(anvil.url, DEVNET_CHAIN_ID, 20);
    deployer = new Wallet(DEPLOYER_KEY, provider);
    const deployed = await new ContractFactory(tokenAbi, tokenBytecode, deployer).deploy();
    await waitForReceipt(provider, deployed.deploymentTransaction()!.hash);
    tokenAddress = await deployed.getAddress();
  });
  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  it('sends many transactions at once in nonce order, each signed locally, and settles when all are mined', async () => {
    const fast = new FastSender(deployer, provider, DEVNET_CHAIN_ID);
    const first = await provider.getTransactionCount(deployer.address, 'pending');
    const to = Wallet.createRandom().address;
    const hashes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fast.send(tokenAddress, token.encodeFunctionData('demoMint', [to, BigInt(i + 1)]), 200_000n)),
    );
    await fast.settle();
    const nonces = await Promise.all(hashes.map(async (h) => (await provider.getTransaction(h))!.nonce));
    expect(nonces).toEqual(Array.from({ length: 12 }, (_, i) => first + i));
    const balance = BigInt(await new Contract(tokenAddress, tokenAbi, provider).getFunction('balanceOf')(to));
    expect(balance).toBe(78n); // 1 + 2 + … + 12
    await expect(fast.settle()).resolves.toBeUndefined(); // nothing left to wait for
  });

  it('fails the settle when a transaction it sent reverted, naming it', async () => {
    const fast = new FastSender(deployer, provider, DEVNET_CHAIN_ID);
    const nobody = Wallet.createRandom().address;
    await fast.send(tokenAddress, token.encodeFunctionData('demoMint', [nobody, 1n]), 200_000n);
    // Moving more than the sender holds reverts; the fixed gas limit gets it mined anyway (status 0).
    const bad = await fast.send(tokenAddress, token.encodeFunctionData('transfer', [nobody, 10n ** 30n]), 200_000n);
    await expect(fast.settle()).rejects.toThrow(`demo set-up transaction ${bad} failed`);
    // The sender goes on from the next nonce.
    await fast.send(tokenAddress, token.encodeFunctionData('demoMint', [nobody, 1n]), 200_000n);
    await expect(fast.settle()).resolves.toBeUndefined();
  });

  it('after the node refuses a send (another sender took the nonce), the next send asks the node again: no gap', async () => {
    const fast = new FastSender(deployer, provider, DEVNET_CHAIN_ID);
    const nobody = Wallet.createRandom().address;
    await waitForReceipt(provider, await fast.send(tokenAddress, token.encodeFunctionData('demoMint', [nobody, 1n]), 200_000n));
    // The same account sends elsewhere (the demo faucet, say): the nonce FastSender counted on is gone.
    await waitForReceipt(provider, (await deployer.sendTransaction({ to: nobody, value: 1n })).hash);
    await expect(fast.send(tokenAddress, token.encodeFunctionData('demoMint', [nobody, 2n]), 200_000n)).rejects.toThrow();
    const next = await fast.send(tokenAddress, token.encodeFunctionData('demoMint', [nobody, 4n]), 200_000n);
    expect((await waitForReceipt(provider, next, { timeoutMs: 10_000 })).status).toBe(1);
    const balance = BigInt(await new Contract(tokenAddress, tokenAbi, provider).getFunction('balanceOf')(nobody));
    expect(balance).toBe(5n);
  });
});

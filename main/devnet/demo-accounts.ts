import { Contract, type JsonRpcProvider, type Wallet } from 'ethers';
import { tokenAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';

export { DEVNET_CHAIN_ID } from './staking-chain';
/** Anvil's first well-known dev account: the local chain's deployer, relayer and faucet. Local only. */
export const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** Anvil's next dev accounts act as other holders, so demo models have stake from day one. */
export const DEMO_HOLDER_KEYS = [
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
];

/** The deployer mints demo NMR (the demo token has `demoMint`, minter = deployer) and sends ETH. */
export async function demoFaucet(
  chain: { deployer: Wallet; provider: JsonRpcProvider },
  tokenAddress: string,
  to: string,
  nmrWei: bigint,
  ethWei: bigint,
): Promise<void> {
  const nmr = new Contract(tokenAddress, tokenAbi, chain.deployer);
  const a = await nmr.getFunction('demoMint').send(to, nmrWei);
  const b = await chain.deployer.sendTransaction({ to, value: ethWei });
  await Promise.all([waitForReceipt(chain.provider, a.hash), waitForReceipt(chain.provider, b.hash)]);
}

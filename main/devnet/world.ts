import { Contract, ContractFactory, Interface, Wallet, type JsonRpcProvider } from 'ethers';
import { z } from 'zod';
import { poolAbi, poolBytecode, tokenAbi, tokenBytecode } from '../chain/contracts';
import type { Logger } from '../log/logger';
import type { AnvilHandle } from './anvil';
import { FastSender } from './fast-sender';
import { startSavedChain } from './saved-chain';
import { waitForReceipt } from '../chain/receipts';

export const DEVNET_CHAIN_ID = 31337;
/** Anvil's first well-known dev account: the local chain's deployer, reporter and faucet. Local only. */
export const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** Anvil's next dev accounts act as other holders, so demo models have stake from day one. */
export const DEMO_HOLDER_KEYS = [
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
];
const WORLD_VERSION = 1;
const RESOLVE_BATCH = 200;
const LOCK_ROUNDS = 4;
const NMR = 10n ** 18n;

export interface DemoModelSpec {
  name: string;
  feeBps: number;
  capWei: bigint;
}

/** What the demo world needs from the track-record source: which models, and their round results. */
export interface DemoSpec {
  models: DemoModelSpec[];
  /** Rounds of history to write on chain at first start, ending at `lastRound`. */
  historyRounds: number;
  lastRound: number;
  returnBps(name: string, round: number): number;
}

const Deployment = z.object({
  version: z.number(),
  chainId: z.number(),
  token: z.string(),
  pool: z.string(),
  deployBlock: z.number(),
  models: z.number(),
});
export type Deployment = z.infer<typeof Deployment>;

export interface Devnet {
  anvil: AnvilHandle;
  provider: JsonRpcProvider;
  deployment: Deployment;
  deployer: Wallet;
  /** How long start-up took and whether it was a first run. */
  startup: { cold: boolean; seconds: number };
  stop(): Promise<void>;
}

/**
 * Starts the local chain. On first run it deploys the token and pool, registers the demo models
 * and writes their recent rounds on chain, so charts and exports have real events from day one;
 * later runs reload anvil's saved state instead of replaying anything.
 */
export async function startDevnet(opts: { dir: string; demo: DemoSpec; log: Logger }): Promise<Devnet> {
  const t0 = performance.now();
  const { anvil, provider, deployment, cold } = await startSavedChain<Deployment>({
    dir: opts.dir,
    chainId: DEVNET_CHAIN_ID,
    log: opts.log,
    name: 'devnet',
    parse: (raw) => {
      const d = Deployment.parse(raw);
      return d.version === WORLD_VERSION && d.chainId === DEVNET_CHAIN_ID ? d : null;
    },
    matches: async (p, d) => (await p.getCode(d.pool)) !== '0x',
    deploy: (p) => {
      opts.log.info('devnet.deploying', { models: opts.demo.models.length, rounds: opts.demo.historyRounds });
      return deployWorld(p, new Wallet(DEPLOYER_KEY, p), opts.demo);
    },
  });
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  const seconds = (performance.now() - t0) / 1000;
  opts.log.info('devnet.started', { cold, seconds: Number(seconds.toFixed(3)), url: anvil.url });
  return {
    anvil,
    provider,
    deployment,
    deployer,
    startup: { cold, seconds },
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
}

/** Deploys the token and pool with the demo models and their history on any chain we control. */
export async function deployWorld(
  provider: JsonRpcProvider,
  deployer: Wallet,
  demo: DemoSpec,
  chainId = DEVNET_CHAIN_ID,
): Promise<Deployment> {
  const deployBlock = await provider.getBlockNumber();
  const firstRound = demo.lastRound - demo.historyRounds + 1;
  const token = await new ContractFactory(tokenAbi, tokenBytecode, deployer).deploy();
  const pool = await new ContractFactory(poolAbi, poolBytecode, deployer).deploy(
    await token.getAddress(),
    deployer.address,
    LOCK_ROUNDS,
    firstRound,
  );
  await Promise.all([
    waitForReceipt(provider, token.deploymentTransaction()!.hash),
    waitForReceipt(provider, pool.deploymentTransaction()!.hash),
  ]);
  const tokenAddress = await token.getAddress();
  const poolAddress = await pool.getAddress();
  const nmr = new Interface(tokenAbi);
  const p = new Interface(poolAbi);
  const fast = new FastSender(deployer, provider, chainId);

  await Promise.all(
    demo.models.map((m) =>
      fast.send(poolAddress, p.encodeFunctionData('registerModel', [m.name, deployer.address, m.feeBps, m.capWei]), 400_000n),
    ),
  );
  const reserve = 2_000_000n * NMR;
  await fast.send(tokenAddress, nmr.encodeFunctionData('demoMint', [deployer.address, reserve]), 200_000n);
  await fast.send(tokenAddress, nmr.encodeFunctionData('approve', [poolAddress, reserve]), 200_000n);
  await fast.send(poolAddress, p.encodeFunctionData('fundReserve', [reserve]), 300_000n);

  // Other holders delegate before the history starts, so every demo model has stake at risk.
  const holders = DEMO_HOLDER_KEYS.map((k) => new FastSender(new Wallet(k, provider), provider, chainId));
  for (const [h, key] of DEMO_HOLDER_KEYS.entries()) {
    const holder = new Wallet(key);
    const picks = demo.models.map((_, i) => i).filter((i) => i % DEMO_HOLDER_KEYS.length === h || i % 5 === 0);
    const amounts = picks.map((i) => (BigInt(1 + ((i * 7 + h * 3) % 11)) * 1_000n * NMR) / 2n);
    const total = amounts.reduce((a, b) => a + b, 0n);
    await fast.send(tokenAddress, nmr.encodeFunctionData('demoMint', [holder.address, total]), 200_000n);
    await fast.settle();
    const sender = holders[h]!;
    await sender.send(tokenAddress, nmr.encodeFunctionData('approve', [poolAddress, total]), 200_000n);
    for (let i = 0; i < picks.length; i += 50) {
      const ids = picks.slice(i, i + 50).map((x) => x + 1);
      await sender.send(poolAddress, p.encodeFunctionData('delegateBatch', [ids, amounts.slice(i, i + 50)]), 10_000_000n);
    }
  }
  await Promise.all(holders.map((s) => s.settle()));

  const ids = demo.models.map((_, i) => i + 1);
  for (let r = firstRound; r <= demo.lastRound; r++) {
    const rets = demo.models.map((m) => Math.max(-500, Math.min(500, Math.round(demo.returnBps(m.name, r)))));
    // A round with more models than fit one transaction is posted in batches; the last one closes it.
    for (let i = 0; i < ids.length; i += RESOLVE_BATCH) {
      const fn = i + RESOLVE_BATCH >= ids.length ? 'resolveRound' : 'postResults';
      await fast.send(
        poolAddress,
        p.encodeFunctionData(fn, [r, ids.slice(i, i + RESOLVE_BATCH), rets.slice(i, i + RESOLVE_BATCH)]),
        15_000_000n,
      );
    }
  }
  await fast.settle();
  return {
    version: WORLD_VERSION,
    chainId,
    token: tokenAddress,
    pool: poolAddress,
    deployBlock,
    models: demo.models.length,
  };
}

/** Local-chain only: demo NMR and ETH for the user's wallet. */
export function faucet(devnet: Devnet, to: string, nmrWei: bigint, ethWei: bigint): Promise<void> {
  return demoFaucet(devnet, devnet.deployment.token, to, nmrWei, ethWei);
}

/** The deployer mints demo NMR (both demo tokens have `demoMint`, minter = deployer) and sends ETH. */
export async function demoFaucet(
  chain: Pick<Devnet, 'deployer' | 'provider'>,
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

/**
 * The demo world on real staking (issue 13): a local chain with the faithful NMR (LocalNMR), Numerai's
 * staking contract (LocalNumeraiStaking; owner and authorization signer are the demo Numerai's keys),
 * and the pool that stakes through it (StakingPool; its Numerai adapter is an internal library, no
 * deployment of its own). Demo models are registered by their on-chain Numerai model id, each with an
 * operator account; demo holders delegate; a few rounds are staked, resolved and claimed through the
 * demo Numerai so a fresh app has history. Later starts reload the saved chain and Numerai's saved
 * state.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ContractFactory, Interface, MaxUint256, Wallet, getCreateAddress, keccak256, toUtf8Bytes, type JsonRpcProvider } from 'ethers';
import { z } from 'zod';
import {
  localNmrAbi,
  localNmrBytecode,
  localNumeraiStakingAbi,
  localNumeraiStakingBytecode,
  stakingPoolAbi,
  stakingPoolBytecode,
} from '../../contracts/generated';
import { poolAuthorizationTuple } from '../../contracts/numerai-layout';
import { createProvider } from '../chain/provider';
import type { Logger } from '../log/logger';
import { DemoNumerai } from '../numerai/demo/demo-numerai';
import { demoModelIdentity } from '../numerai/demo/identity';
import type { PayoutScores } from '../numerai/demo/payout';
import { DEMO_CONCURRENT_ROUNDS } from '../numerai/demo/schedule';
import { authorizationFromApi } from '../numerai/stake-authorization';
import { NumeraiRefusal, TOURNAMENT_IDS, type TournamentId } from '../numerai/v3-api';
import type { AnvilHandle, AnvilSupervision, EarlyAnvil } from './anvil';
import { STAKING_ANVIL_ARGS } from './staking-chain';
import { FastSender } from './fast-sender';
import { mineUntilEmpty } from './shared-blocks';
import { startSavedChain } from './saved-chain';
import { DEMO_HOLDER_KEYS, DEPLOYER_KEY, DEVNET_CHAIN_ID } from './demo-accounts';

const NMR = 10n ** 18n;
export const STAKING_WORLD_VERSION = 1;
/** Anvil's tenth dev account plays Numerai: owner of its staking contract, holder of its payout treasury. Local only. */
export const NUMERAI_OWNER_KEY = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6';
/** The demo Numerai's authorization signer: a fixed local key that only signs (no ETH, no NMR). */
export const NUMERAI_SIGNER_KEY = keccak256(toUtf8Bytes('nmr-delegate demo numerai authorization signer'));
/** Demo tournament: Numerai Classic (ABS.md T2/T5: tournament 8). */
export const DEMO_TOURNAMENT: TournamentId = TOURNAMENT_IDS.classic;
/** Numerai's payout treasury on the demo chain: funds every round's payouts for a long demo. */
const NUMERAI_TREASURY = 50_000_000n * NMR;
const ADMIN_DELAY_S = 86_400;
const FEE_NOTICE_S = 7 * 86_400;
/** Deployer, demo holders and Numerai's owner are anvil's own dev accounts: anvil signs for them. */
const ANVIL_ACCOUNT = { unlocked: true } as const;
/** registerModel writes the model's 64 tranche ring slots (~1.59M gas, contracts/STATUS.md). */
const REGISTER_GAS = 2_000_000n;
const OPERATOR_ETH = 10n * NMR;
/** StakingPool.stakeRound costs ~100k gas a model (contracts/README.md, "StakingPool gas"): 50 a transaction stays far below anvil's block limit. */
const STAKE_BATCH = 50;
/** What the demo operators ask Numerai for: no cap of their own, the pool's policy decides the amount. */
const OPERATOR_MAX_WEI = 2n ** 96n - 1n;

/** A demo operator's key, by the model's index (local chain only). */
export function demoOperatorKey(index: number): string {
  return keccak256(toUtf8Bytes(`nmr-delegate demo operator ${index}`));
}

export interface StakingWorldSpec {
  models: readonly { name: string; feeBps: number; capWei: bigint }[];
  /** The first Numerai round the demo Numerai opens. */
  firstRoundId: bigint;
  /** Rounds staked, resolved and claimed at first start (each moves demo time one day). */
  historyRounds: number;
  /** Models' scores per round; default the demo track-record generator (demo-source.ts). */
  scores?: (name: string, roundId: bigint) => PayoutScores | null;
  /** NMR each demo holder delegates to each of its models (default 1,000). */
  holderDelegationWei?: bigint;
}

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const StakingDeployment = z.object({
  version: z.literal(STAKING_WORLD_VERSION),
  chainId: z.number().int(),
  nmr: Address,
  staking: Address,
  pool: Address,
  deployBlock: z.number().int().nonnegative(),
  tournamentId: z.number().int(),
  numeraiOwner: Address,
  numeraiSigner: Address,
  models: z.array(
    z.object({
      poolModelId: z.number().int().positive(),
      name: z.string(),
      apiModelId: z.string(),
      numeraiModelId: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
      operator: Address,
    }),
  ),
});
export type StakingDeployment = z.infer<typeof StakingDeployment>;

export interface StakingWorld {
  anvil: AnvilHandle;
  provider: JsonRpcProvider;
  deployment: StakingDeployment;
  /** Admin of the pool, minter of demo NMR (the faucet). */
  readonly deployer: Wallet;
  numerai: DemoNumerai;
  startup: ChainStartup;
  stop(): Promise<void>;
}

/** Starts (first run: deploys) the staking demo world in `dir`. */
/** How the demo chain started: deployed now (`cold`) or reloaded, how long it took, and a saved state set aside. */
export interface ChainStartup {
  cold: boolean;
  seconds: number;
  /** Where a saved state anvil could not read was moved (the chain was deployed afresh); else null. */
  setAside: string | null;
}

export async function startStakingWorld(opts: {
  dir: string;
  spec: StakingWorldSpec;
  log: Logger;
  supervise?: AnvilSupervision;
  /** The node the harness started early on the saved chain (staking-chain.ts), if any. */
  early?: EarlyAnvil | null;
}): Promise<StakingWorld> {
  const t0 = performance.now();
  const numeraiFile = join(opts.dir, 'numerai.json');
  let numerai: DemoNumerai | null = null;
  let fast: JsonRpcProvider | null = null;
  const chain = await startSavedChain<StakingDeployment>({
    dir: opts.dir,
    chainId: DEVNET_CHAIN_ID,
    log: opts.log,
    name: 'staking_world',
    anvilArgs: STAKING_ANVIL_ARGS,
    supervise: opts.supervise,
    early: opts.early ?? null,
    parse: (raw) => {
      const d = StakingDeployment.safeParse(raw);
      return d.success && d.data.chainId === DEVNET_CHAIN_ID ? d.data : null;
    },
    // Both asked at once: one round trip on the start's path.
    matches: async (p, d) => (await Promise.all([p.getCode(d.pool), p.getCode(d.staking)])).every((code) => code !== '0x'),
    deploy: async (_, anvil) => {
      opts.log.info('staking_world.deploying', { models: opts.spec.models.length, rounds: opts.spec.historyRounds });
      // Set-up is a long run of dependent calls: a provider that does not wait to batch them.
      const p = (fast = createProvider(anvil.url, DEVNET_CHAIN_ID, 20, 1));
      // A fresh chain reuses the same addresses: Numerai's old records must not survive it.
      rmSync(numeraiFile, { force: true });
      const d = await deployStakingWorld(p, opts.spec);
      numerai = demoNumeraiFor(p, d, opts.spec, numeraiFile);
      await playHistory(p, d, numerai, opts.spec.historyRounds);
      numerai.flush();
      return d;
    },
  });
  // The demo Numerai's calls depend on each other one by one: its own unbatched provider.
  fast ??= createProvider(chain.anvil.url, DEVNET_CHAIN_ID, 20, 1);
  const demo = (numerai ??= demoNumeraiFor(fast, chain.deployment, opts.spec, numeraiFile));
  if (!chain.cold) await demo.resume();
  const numeraiProvider = fast;
  const seconds = (performance.now() - t0) / 1000;
  opts.log.info('staking_world.started', { cold: chain.cold, seconds: Number(seconds.toFixed(3)), url: chain.anvil.url });
  let deployer: Wallet | null = null;
  return {
    anvil: chain.anvil,
    provider: chain.provider,
    deployment: chain.deployment,
    // Made on first use (the faucet): a key's first public point is ~100 ms of a start's CPU.
    get deployer() {
      return (deployer ??= new Wallet(DEPLOYER_KEY, chain.provider));
    },
    numerai: demo,
    startup: { cold: chain.cold, seconds, setAside: chain.setAside },
    async stop() {
      demo.flush();
      chain.provider.destroy();
      numeraiProvider.destroy();
      await chain.anvil.stop();
    },
  };
}

/** The demo Numerai of a deployed world (its state beside the chain's). */
export function demoNumeraiFor(provider: JsonRpcProvider, d: StakingDeployment, spec: StakingWorldSpec, stateFile: string): DemoNumerai {
  return new DemoNumerai({
    provider,
    chainId: d.chainId,
    tournamentId: DEMO_TOURNAMENT,
    nmrAddress: d.nmr,
    stakingAddress: d.staking,
    owner: () => new Wallet(NUMERAI_OWNER_KEY, provider),
    signer: () => new Wallet(NUMERAI_SIGNER_KEY),
    models: d.models.map((m) => m.name),
    stateFile,
    firstRoundId: spec.firstRoundId,
    fromBlock: d.deployBlock,
    ...(spec.scores ? { scores: spec.scores } : {}),
  });
}

/** Deploys NMR, Numerai's staking contract and the pool; registers the models; funds Numerai, operators and holders. */
export async function deployStakingWorld(
  provider: JsonRpcProvider,
  spec: StakingWorldSpec,
  chainId = DEVNET_CHAIN_ID,
): Promise<StakingDeployment> {
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  const owner = new Wallet(NUMERAI_OWNER_KEY, provider);
  const signer = new Wallet(NUMERAI_SIGNER_KEY);
  const deployBlock = await provider.getBlockNumber();
  await provider.send('evm_setAutomine', [false]);
  const fast = new FastSender(deployer, provider, chainId, ANVIL_ACCOUNT);
  const base = await provider.getTransactionCount(deployer.address, 'pending');
  // Three deployments in one go: their addresses follow from the deployer's nonces.
  const nmrAddress = getCreateAddress({ from: deployer.address, nonce: base });
  const stakingAddress = getCreateAddress({ from: deployer.address, nonce: base + 1 });
  const poolAddress = getCreateAddress({ from: deployer.address, nonce: base + 2 });
  const deploys = [
    new ContractFactory(localNmrAbi, localNmrBytecode).interface.encodeDeploy([]),
    new ContractFactory(localNumeraiStakingAbi, localNumeraiStakingBytecode).interface.encodeDeploy([
      nmrAddress,
      DEMO_TOURNAMENT,
      signer.address,
      owner.address,
    ]),
    new ContractFactory(stakingPoolAbi, stakingPoolBytecode).interface.encodeDeploy([
      nmrAddress,
      stakingAddress,
      deployer.address,
      ADMIN_DELAY_S,
      DEMO_CONCURRENT_ROUNDS,
      FEE_NOTICE_S,
    ]),
  ];
  const bytecodes = [localNmrBytecode, localNumeraiStakingBytecode, stakingPoolBytecode];
  for (const [i, args] of deploys.entries()) void fast.send(null, bytecodes[i]! + args.slice(2), 8_000_000n);
  const nmr = new Interface(localNmrAbi);
  const pool = new Interface(stakingPoolAbi);

  const models = spec.models.map((m, i) => {
    const id = demoModelIdentity(m.name);
    return {
      poolModelId: i + 1,
      name: m.name,
      apiModelId: id.apiModelId,
      numeraiModelId: id.modelId,
      operator: new Wallet(demoOperatorKey(i)).address,
    };
  });
  for (const [i, m] of models.entries()) {
    const s = spec.models[i]!;
    void fast.send(
      poolAddress,
      pool.encodeFunctionData('registerModel', [m.numeraiModelId, m.name, m.operator, s.feeBps, s.capWei]),
      REGISTER_GAS,
    );
  }
  // Local chain only: operators get ETH for their own transactions without one transfer each.
  await Promise.all(models.map((m) => provider.send('anvil_setBalance', [m.operator, `0x${OPERATOR_ETH.toString(16)}`])));
  void fast.send(nmrAddress, nmr.encodeFunctionData('demoMint', [owner.address, NUMERAI_TREASURY]), 200_000n);

  // Demo holders delegate to a share of the models each, so every model has NMR to stake.
  const each = spec.holderDelegationWei ?? 1_000n * NMR;
  const plans = DEMO_HOLDER_KEYS.map((key, h) => {
    const ids = models.filter((_, i) => i % DEMO_HOLDER_KEYS.length === h || i % 5 === 0).map((m) => m.poolModelId);
    return { wallet: new Wallet(key, provider), ids, total: each * BigInt(ids.length) };
  });
  for (const p of plans) void fast.send(nmrAddress, nmr.encodeFunctionData('demoMint', [p.wallet.address, p.total]), 200_000n);
  await settleMined(provider, [fast]);
  const senders = [
    ...plans.map((p) => {
      const s = new FastSender(p.wallet, provider, chainId, ANVIL_ACCOUNT);
      void s.send(nmrAddress, nmr.encodeFunctionData('approve', [poolAddress, p.total]), 100_000n);
      for (let i = 0; i < p.ids.length; i += 100) {
        const ids = p.ids.slice(i, i + 100);
        void s.send(poolAddress, pool.encodeFunctionData('delegateBatch', [ids, ids.map(() => each)]), 20_000_000n);
      }
      return s;
    }),
    (() => {
      const s = new FastSender(owner, provider, chainId, ANVIL_ACCOUNT);
      void s.send(nmrAddress, nmr.encodeFunctionData('approve', [stakingAddress, MaxUint256]), 100_000n);
      return s;
    })(),
  ];
  await settleMined(provider, senders);
  await provider.send('evm_setAutomine', [true]);
  return {
    version: STAKING_WORLD_VERSION,
    chainId,
    nmr: nmrAddress,
    staking: stakingAddress,
    pool: poolAddress,
    deployBlock,
    tournamentId: DEMO_TOURNAMENT,
    numeraiOwner: owner.address,
    numeraiSigner: signer.address,
    models,
  };
}

/**
 * Rounds of history through the demo Numerai, as operators and relayers would play them: open, every
 * model's operator obtains an authorization naming the pool and stakes (here one batch for all,
 * which anyone may send), Numerai resolves, the claims are relayed. Ends with a new round open (when it played any).
 */
export async function playHistory(provider: JsonRpcProvider, d: StakingDeployment, numerai: DemoNumerai, rounds: number): Promise<void> {
  const fast = new FastSender(new Wallet(DEPLOYER_KEY, provider), provider, d.chainId, ANVIL_ACCOUNT);
  const pool = new Interface(stakingPoolAbi);
  for (let k = 0; k < rounds; k++) {
    const roundId = await numerai.openRound();
    // The demo Numerai sends its own transactions with automine on; our bursts turn it off meanwhile.
    await provider.send('evm_setAutomine', [false]);
    const staked: StakingDeployment['models'] = [];
    const batch: { ids: number[]; auths: unknown[] } = { ids: [], auths: [] };
    const flush = () => {
      if (batch.ids.length === 0) return;
      void fast.send(d.pool, pool.encodeFunctionData('stakeRound', [batch.ids, batch.auths]), 12_000_000n);
      batch.ids = [];
      batch.auths = [];
    };
    const byNumeraiId = new Map(d.models.map((m) => [m.numeraiModelId.toLowerCase(), m]));
    for (const a of await numerai.authorizeOpenRound(d.pool, OPERATOR_MAX_WEI)) {
      const m = byNumeraiId.get(a.modelId.toLowerCase());
      if (!m) continue;
      batch.ids.push(m.poolModelId);
      batch.auths.push(poolAuthorizationTuple(authorizationFromApi(a), a.signature));
      staked.push(m);
      if (batch.ids.length === STAKE_BATCH) flush();
    }
    flush();
    await settleMined(provider, [fast], true);
    await numerai.resolveRound(roundId);
    await provider.send('evm_setAutomine', [false]);
    for (const m of staked) {
      const c = await numerai.claim({ roundId, apiModelId: m.apiModelId, staker: d.pool }).catch((e: unknown) => {
        // The pool's policy staked nothing for this model (StakeSkipped): there is no position.
        if (e instanceof NumeraiRefusal && e.kind === 'not-found') return null;
        throw e;
      });
      if (!c) continue;
      void fast.send(
        d.pool,
        pool.encodeFunctionData('claim', [roundId, m.poolModelId, BigInt(c.payoutAmountWei), BigInt(c.burnAmountWei), c.proof]),
        1_000_000n,
      );
    }
    await settleMined(provider, [fast], true);
  }
  // A fresh app finds a round open for its operators (a world without history opens none: its first
  // round is the caller's to open).
  if (rounds > 0) await numerai.openRound();
}

/**
 * Mines what the senders handed to the node, as many transactions a block as fit (automine is off
 * during set-up bursts: a block per transaction is most of a cold start's time), then checks them all.
 */
async function settleMined(provider: JsonRpcProvider, senders: FastSender[], automineAfter = false): Promise<void> {
  await Promise.all(senders.map((s) => s.sent()));
  await mineUntilEmpty(provider);
  if (automineAfter) await provider.send('evm_setAutomine', [true]);
  await Promise.all(senders.map((s) => s.settle()));
}

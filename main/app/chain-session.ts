import { rmSync } from 'node:fs';
import type { JsonRpcProvider } from 'ethers';
import { join } from 'node:path';
import { AppError } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import { createProvider } from '../chain/provider';
import { checkChainId, nodeFault } from '../chain/tx-errors';
import { PoolService, type ChainContext, type OnChainModel } from '../pool/pool-service';
import { HistoryService, sessionHistoryOptions } from '../history/history-service';
import { faucet, startDevnet, type DemoSpec, type Devnet } from '../devnet/world';
import { advanceDemoRound } from '../devnet/reporter';
import type { ChainTx } from '../tx/chain-tx';
import type { WalletService } from '../wallet/wallet-service';
import type { RemoteNetwork, Settings } from '../store/settings';
import type { OperatorParts } from '../operator/create-operator-service';
import type { DemoStakingChoices, PoolKind } from './pool-choice';
import { openRemoteStakingSession, openStakingSession, type StakingParts } from './staking-session';

/** What one step of the demo did (devnet.advanceRound's answer, the round timer's work). */
export interface DemoStep {
  resolvedRound: number;
  currentRound: number;
  /** In a sentence, when the step did more than post one round. */
  happened?: string;
}

/** The local demo chain a session runs on: its node, how it started, and the demo's own controls. */
export interface LocalChain {
  url: string;
  startup: { cold: boolean; seconds: number };
  /** Demo NMR and ETH for an account. */
  faucet(to: string, nmrWei: bigint, ethWei: bigint): Promise<void>;
  /** Moves the demo one step (the old pool: posts the round's results; staking: Numerai's next step). */
  advance(): Promise<DemoStep>;
}

/** What the model lists join with the track records: the pool's models in one row form, whichever pool. */
export interface CatalogPool {
  models(maxAgeMs?: number): Promise<OnChainModel[]>;
  /** The round the lists show as now. */
  currentRound(): Promise<number>;
  /** Rounds a take-back waits (the old pool's lock; the staking pool's is Numerai's, per tranche). */
  lockRounds(): Promise<number>;
}

interface SessionParts {
  /** Balances, plans, signing, replacement, in-flight and node faults, with this session's contracts' errors. */
  tx: ChainTx;
  /** The reward history (still on the old pool's events: history moves onto StakingPool's separately). */
  history: HistoryService;
  catalog: CatalogPool;
  /** The local demo chain, or null on a real network. */
  local: LocalChain | null;
  close(): Promise<void>;
}

/**
 * Everything tied to one network: its provider, the pool, the history, and the demo chain if local.
 * The session says which pool it runs (`poolKind`) and carries that pool's parts: handlers ask it
 * (delegationPool / stakingPool below), never which class a service is.
 */
export type ChainSession =
  (SessionParts & { poolKind: 'delegation'; pool: PoolService }) | (SessionParts & { poolKind: 'staking'; staking: StakingParts });

/** The old pool's service, or NOT_AVAILABLE on a staking session. */
export function delegationPool(s: ChainSession, what = 'This'): PoolService {
  if (s.poolKind !== 'delegation')
    throw new AppError('NOT_AVAILABLE', `${what} belongs to the old pool; this network runs the staking pool.`);
  return s.pool;
}

/** The staking pool's parts, or NOT_AVAILABLE on a session of the old pool. */
export function stakingPool(s: ChainSession, what = 'This'): StakingParts {
  if (s.poolKind !== 'staking') throw new AppError('NOT_AVAILABLE', `${what} needs the staking pool; this network runs the old pool.`);
  return s.staking;
}

export interface SessionDeps {
  userDataDir: string;
  wallet: WalletService;
  events: EventBus;
  log: Logger;
  demo: () => DemoSpec;
  /** Which world the local demo chain runs (main/app/pool-choice.ts). */
  demoPool: PoolKind;
  /** How the staking demo relays and which operator token Numerai refuses (main/app/pool-choice.ts). */
  demoStaking: DemoStakingChoices;
  /** The operator's token and standing consent: they outlive sessions; a staking session builds its operator on them. */
  operator: Pick<OperatorParts, 'tokens' | 'consent'>;
}

export function devnetDir(userDataDir: string): string {
  return join(userDataDir, 'devnet');
}

export async function openSession(network: Settings['network'], deps: SessionDeps): Promise<ChainSession> {
  if (network.kind === 'local') {
    if (deps.demoPool === 'staking') {
      return openStakingSession(deps);
    }
    const devnet = await startDevnet({ dir: devnetDir(deps.userDataDir), demo: deps.demo(), log: deps.log });
    return delegationSession(devnetContext(devnet), deps, devnet);
  }
  if (network.staking) return openRemoteStakingSession(network, deps);
  const provider = await connectRemote(network);
  const ctx: ChainContext = {
    provider,
    chainId: network.chainId,
    kind: 'remote',
    label: network.label,
    tokenAddress: network.tokenAddress,
    poolAddress: network.poolAddress,
    deployBlock: network.deployBlock,
  };
  return delegationSession(ctx, deps, null);
}

/**
 * The provider of a saved real network, once its node answered for the chain it was saved with. A
 * node that does not answer now must not leave the app hanging: say so at once. One that answers for
 * another chain than the one validated when it was saved is refused (WRONG_CHAIN).
 */
export async function connectRemote(network: RemoteNetwork): Promise<JsonRpcProvider> {
  const provider = createProvider(network.rpcUrl, network.chainId, 4000);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      checkChainId(provider, network.chainId, network.label, 'so the app opened the local demo chain instead'),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${network.rpcUrl} does not answer`)), 8000);
      }),
    ]);
  } catch (e) {
    provider.destroy();
    throw nodeFault(e) ?? e;
  } finally {
    clearTimeout(timer);
  }
  return provider;
}

function devnetContext(devnet: Devnet): ChainContext {
  return {
    provider: devnet.provider,
    chainId: devnet.deployment.chainId,
    kind: 'local',
    label: 'Local demo chain',
    tokenAddress: devnet.deployment.token,
    poolAddress: devnet.deployment.pool,
    deployBlock: devnet.deployment.deployBlock,
  };
}

/** A session of the old pool, on the old demo world (`devnet`) or on a real network. */
function delegationSession(ctx: ChainContext, deps: SessionDeps, devnet: Devnet | null): ChainSession {
  const pool = new PoolService(ctx, deps.wallet, deps.events);
  const local: LocalChain | null = devnet && {
    url: devnet.anvil.url,
    startup: devnet.startup,
    faucet: (to, nmrWei, ethWei) => faucet(devnet, to, nmrWei, ethWei),
    async advance() {
      const round = await advanceDemoRound(devnet, deps.demo());
      pool.invalidate();
      return { resolvedRound: round, currentRound: round + 1 };
    },
  };
  return {
    poolKind: 'delegation',
    pool,
    tx: pool.tx,
    catalog: pool,
    history: new HistoryService(sessionHistoryOptions(ctx, deps.userDataDir)),
    local,
    async close() {
      pool.close();
      if (devnet) await devnet.stop();
      else ctx.provider.destroy();
    },
  };
}

/** Moves the demo one step on the local chain and tells the renderer the round now open. */
export async function advanceRound(session: ChainSession, deps: Pick<SessionDeps, 'events'>): Promise<DemoStep> {
  if (!session.local) throw new Error('not a local chain');
  const step = await session.local.advance();
  deps.events.emit('chain.round', { round: step.currentRound });
  return step;
}

/** Throws the demo chain away (the user's key stays) so the next local session starts fresh. */
export function eraseDevnet(userDataDir: string): void {
  rmSync(devnetDir(userDataDir), { recursive: true, force: true });
}

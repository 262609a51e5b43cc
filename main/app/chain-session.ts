import { rmSync } from 'node:fs';
import type { JsonRpcProvider } from 'ethers';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import { createProvider } from '../chain/provider';
import { checkChainId, nodeFault } from '../chain/tx-errors';
import type { HistoryService } from '../history/history-service';
import type { DemoSpec } from '../devnet/demo-spec';
import type { ChainTx } from '../tx/chain-tx';
import type { WalletService } from '../wallet/wallet-service';
import type { HolderAccount } from '../accounts';
import type { RemoteNetwork, Settings } from '../store/settings';
import type { OperatorParts } from '../operator/create-operator-service';
import type { DemoStakingChoices } from './pool-choice';
import { openRemoteStakingSession, openStakingSession, type StakingParts } from './staking-session';
import { devnetDir } from '../devnet/staking-chain';
import type { EarlyAnvil } from '../devnet/anvil';
import type { ChainStartup } from '../devnet/staking-world';

/** What one step of the demo did (devnet.advanceRound's answer, the round timer's work). */
export interface DemoStep {
  resolvedRound: number;
  currentRound: number;
  /** What the step did, in a sentence (rounds opened, staked, resolved, claims relayed). */
  happened: string;
  /** Numerai's refusals, one sentence each (shown as warnings, not as success). */
  warnings: string[];
}

/** The local demo chain a session runs on: its node, how it started, and the demo's own controls. */
export interface LocalChain {
  url: string;
  startup: ChainStartup;
  /** Demo NMR and ETH for an account. */
  faucet(to: string, nmrWei: bigint, ethWei: bigint): Promise<void>;
  /** Moves the demo one step: Numerai's next demo day. */
  advance(): Promise<DemoStep>;
}

/** A pool model in the row form the model lists join with the track records. */
export interface OnChainModel {
  modelId: number;
  name: string;
  operator: string;
  feeBps: number;
  capWei: bigint;
  stakeWei: bigint;
  pendingInWei: bigint;
}

/** What the model lists join with the track records: the pool's models, the round now, the lock. */
export interface CatalogPool {
  models(maxAgeMs?: number): Promise<OnChainModel[]>;
  /** The round the lists show as now. */
  currentRound(): Promise<number>;
  /** Rounds a take-back waits at most (Numerai's, per tranche). */
  lockRounds(): Promise<number>;
}

/** Everything tied to one network: its provider, the pool, the history, and the demo chain if local. */
export interface ChainSession {
  /** Balances, plans, signing, replacement, in-flight and node faults, with this session's contracts' errors. */
  tx: ChainTx;
  /** The reward history, from StakingPool's events. */
  history: HistoryService;
  catalog: CatalogPool;
  /** The pool's holder and operator parts. */
  staking: StakingParts;
  /** The local demo chain, or null on a real network. */
  local: LocalChain | null;
  close(): Promise<void>;
}

export interface SessionDeps {
  userDataDir: string;
  wallet: WalletService;
  /** The account in use for the holder's transactions (the operator's part keeps the wallet's key). */
  accounts: HolderAccount;
  events: EventBus;
  log: Logger;
  demo: () => DemoSpec;
  /** How the staking demo relays and which operator token Numerai refuses (main/app/pool-choice.ts). */
  demoStaking: DemoStakingChoices;
  /** The operator's token and standing consent: they outlive sessions; a staking session builds its operator on them. */
  operator: Pick<OperatorParts, 'tokens' | 'consent'>;
  /** The demo chain's node, started before main loaded (the harness), for the first local session to take. */
  earlyChain?: EarlyAnvil | null;
}

export async function openSession(network: Settings['network'], deps: SessionDeps): Promise<ChainSession> {
  return network.kind === 'local' ? openStakingSession(deps) : openRemoteStakingSession(network, deps);
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

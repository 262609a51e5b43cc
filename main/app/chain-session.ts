import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import { createProvider } from '../chain/provider';
import { checkChainId, nodeFault } from '../chain/tx-errors';
import { PoolService, type ChainContext } from '../pool/pool-service';
import { HistoryService, sessionHistoryOptions } from '../history/history-service';
import { startDevnet, type DemoSpec, type Devnet } from '../devnet/world';
import { advanceDemoRound } from '../devnet/reporter';
import type { WalletService } from '../wallet/wallet-service';
import type { Settings } from '../store/settings';

/** Everything tied to one network: its provider, the pool, the history, and the devnet if local. */
export interface ChainSession {
  pool: PoolService;
  history: HistoryService;
  devnet: Devnet | null;
  close(): Promise<void>;
}

export interface SessionDeps {
  userDataDir: string;
  wallet: WalletService;
  events: EventBus;
  log: Logger;
  demo: () => DemoSpec;
}

export function devnetDir(userDataDir: string): string {
  return join(userDataDir, 'devnet');
}

export async function openSession(network: Settings['network'], deps: SessionDeps): Promise<ChainSession> {
  if (network.kind === 'local') {
    const devnet = await startDevnet({ dir: devnetDir(deps.userDataDir), demo: deps.demo(), log: deps.log });
    const ctx: ChainContext = {
      provider: devnet.provider,
      chainId: devnet.deployment.chainId,
      kind: 'local',
      label: 'Local demo chain',
      tokenAddress: devnet.deployment.token,
      poolAddress: devnet.deployment.pool,
      deployBlock: devnet.deployment.deployBlock,
    };
    const pool = new PoolService(ctx, deps.wallet, deps.events);
    return {
      pool,
      history: new HistoryService(sessionHistoryOptions(ctx, deps.userDataDir)),
      devnet,
      async close() {
        pool.close();
        await devnet.stop();
      },
    };
  }
  const provider = createProvider(network.rpcUrl, network.chainId, 4000);
  // A saved node that does not answer now must not leave the app hanging: say so at once. One that
  // answers for another chain than the one validated when it was saved is refused (WRONG_CHAIN).
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
  const ctx: ChainContext = {
    provider,
    chainId: network.chainId,
    kind: 'remote',
    label: network.label,
    tokenAddress: network.tokenAddress,
    poolAddress: network.poolAddress,
    deployBlock: network.deployBlock,
  };
  const pool = new PoolService(ctx, deps.wallet, deps.events);
  return {
    pool,
    history: new HistoryService(sessionHistoryOptions(ctx, deps.userDataDir)),
    devnet: null,
    async close() {
      pool.close();
      provider.destroy();
    },
  };
}

/**
 * The session's reward history, read from the same node as the pool. It stays as many blocks behind
 * the head as a transaction needs to count as confirmed on a real network; none on the local chain,
 * whose blocks come only with transactions.
 */
/** Posts the next demo round on the local chain and tells the renderer. */
export async function advanceRound(session: ChainSession, deps: SessionDeps): Promise<number> {
  if (!session.devnet) throw new Error('not a local chain');
  const round = await advanceDemoRound(session.devnet, deps.demo());
  session.pool.invalidate();
  deps.events.emit('chain.round', { round: round + 1 });
  return round;
}

/** Throws the demo chain away (the user's key stays) so the next local session starts fresh. */
export function eraseDevnet(userDataDir: string): void {
  rmSync(devnetDir(userDataDir), { recursive: true, force: true });
}

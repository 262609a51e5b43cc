/**
 * A chain session on StakingPool: the local demo chain (the staking world, StakingPool staking
 * through the demo Numerai, the demo Numerai's API on loopback; main/app/pool-choice.ts says how it
 * relays) or a real network. Each has the holder's reads (StakingPoolService), the shared
 * transaction part with StakingPool's, Numerai's and NMR's error ABIs, the history from StakingPool's
 * events, and the operator's part.
 */
import type { JsonRpcProvider } from 'ethers';
import { AppError, type ClaimCheck, type IntentWei, type StakingPortfolio } from '../../shared/api';
import { uuidFromModelId } from '../../contracts/numerai-layout';
import { HistoryService, sessionHistoryOptions } from '../history/history-service';
import { startStakingWorld, DEMO_TOURNAMENT, type StakingWorldSpec } from '../devnet/staking-world';
import type { AnvilSupervision } from '../devnet/anvil';
import { stakingWorldDir } from '../devnet/staking-chain';
import { advanceStakingDemo, LOOPBACK_CLIENT } from '../devnet/staking-demo-step';
import { demoFaucet } from '../devnet/demo-accounts';
import type { DemoSpec } from '../devnet/demo-spec';
import { startDemoNumeraiApi, type DemoNumeraiApi } from '../numerai/demo/demo-api';
import { DEMO_CONCURRENT_ROUNDS } from '../numerai/demo/schedule';
import { isTournamentId, NumeraiRefusal, type NumeraiStakingApi, type TournamentId, type V3StakeClaim } from '../numerai/v3-api';
import { createStakingClient, type StakingClientOptions } from '../numerai/v3-client';
import type { RemoteNetwork } from '../store/settings';
import { numeraiUrl } from './numerai-records';
import { verifyClaim } from '../numerai/verify-claim';
import { createOperatorService, type OperatorHandle } from '../operator/create-operator-service';
import { refusalWords } from '../operator/refusal-words';
import { StakingPoolService } from '../pool/staking-pool-service';
import { numeraiStakingIface, stakingPoolIface } from '../pool/staking-pool-views';
import { ChainTx, type ChainFacts } from '../tx/chain-tx';
import { pendingTxFile } from '../tx/pending-file';
import { tokenCalls } from '../tx/staking-intents/draft';
import type { Plan } from '../tx/plan';
import type { StakingIntent } from '../tx/staking-intents';
import { connectRemote, type CatalogPool, type ChainSession, type LocalChain, type OnChainModel, type SessionDeps } from './chain-session';

/** The staking pool's parts of a session, as the handlers use them. */
export interface StakingParts {
  service: StakingPoolService;
  /** Numerai's staking API as a holder's app asks it: no token (claims are public to relay). */
  numerai: Pick<NumeraiStakingApi, 'claim'>;
  plan(intent: IntentWei): Promise<Plan>;
  execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }>;
  portfolio(holder: string): Promise<StakingPortfolio>;
  /** "Check with Numerai" for the pool's result of (model, round). */
  checkClaim(modelId: number, roundId: number): Promise<ClaimCheck>;
  /** The operator's part for the wallet's account (Settings → Your models): its round and the claims. */
  operator: OperatorHandle;
}

/** How long a list's model figures may be reused between asks (our own transactions refresh them). */
const MODELS_MAX_AGE_MS = 5_000;

/** The staking world from the demo records: the demo chain's models, one history round. */
export function stakingWorldSpec(demo: DemoSpec): StakingWorldSpec {
  return { models: demo.models, firstRoundId: BigInt(demo.lastRound + 1), historyRounds: 1 };
}

/** The demo chain dying while the app runs: started again from its saved state, and the page told. */
function chainSupervision({ log, events }: Pick<SessionDeps, 'log' | 'events'>, restarted: () => void): AnvilSupervision {
  return {
    onRestarted({ exitCode, signal }) {
      log.warn('devnet.restarted', { exitCode, signal });
      restarted();
      events.emit('app.notice', {
        kind: 'chain-restarted',
        message:
          'The demo chain on this computer stopped unexpectedly and was started again. The last few seconds of demo activity may be missing; any transaction of yours still waiting was sent to it again.',
      });
    },
    onGaveUp(reason) {
      log.error('devnet.gave_up', { reason });
      events.emit('app.notice', {
        kind: 'chain-down',
        message: `The demo chain on this computer stopped and could not be started again (${reason}). Quit and reopen NMR Delegate.`,
      });
    },
  };
}

export async function openStakingSession(deps: SessionDeps): Promise<ChainSession> {
  const world = await startStakingWorld({
    dir: stakingWorldDir(deps.userDataDir),
    spec: stakingWorldSpec(deps.demo()),
    log: deps.log,
    // The new anvil has an empty pool: what the session still waits for is sent again (set once the session exists).
    supervise: chainSupervision(deps, () => resend()),
    early: deps.earlyChain ?? null,
  });
  let resend = () => {};
  let api: DemoNumeraiApi;
  try {
    api = await startDemoNumeraiApi(world.numerai, deps.demoStaking.unscopedTokenModel);
  } catch (e) {
    await world.stop();
    throw e;
  }
  const d = world.deployment;
  /** The newest round this session saw Numerai resolve (0 before the first). */
  let lastResolved = 0n;
  const session = stakingSession(deps, {
    provider: world.provider,
    chainId: d.chainId,
    kind: 'local',
    label: 'Local demo chain',
    nmr: d.nmr,
    staking: d.staking,
    pool: d.pool,
    deployBlock: d.deployBlock,
    numerai: { url: api.server.url, tournamentId: DEMO_TOURNAMENT, transport: LOOPBACK_CLIENT },
    rounds: {
      currentRound: async () => Number(world.numerai.latestRoundId() ?? 0n),
      lockRounds: async () => DEMO_CONCURRENT_ROUNDS,
    },
    local: (catalog) => ({
      url: world.anvil.url,
      startup: world.startup,
      faucet: (to, nmrWei, ethWei) => demoFaucet(world, d.nmr, to, nmrWei, ethWei),
      async advance() {
        try {
          // With relaying off (pool-choice.ts) nobody relays: Numerai's results wait for a holder's "Claim".
          const step = await advanceStakingDemo(world, api, deps.demoStaking.relayClaims);
          lastResolved = step.resolved ?? lastResolved;
          return {
            resolvedRound: Number(lastResolved),
            currentRound: Number(step.open ?? lastResolved),
            happened: step.happened,
            warnings: step.warnings,
          };
        } finally {
          catalog.invalidate();
        }
      },
    }),
    async stop() {
      await api.server.close();
      await world.stop();
    },
  });
  resend = () => void session.tx.resend();
  return session;
}

/** Why a network saved for the earlier pool (a pool address only, no staking contract) does not open. */
export const EARLIER_POOL_NETWORK =
  'Your saved network was set up for an earlier pool this app no longer runs, so the app opened the local demo chain. Enter the network’s NMR, Numerai staking and pool addresses in Settings → Network.';

/**
 * The staking pool on a real network (Settings → Network, all three addresses checked when saved):
 * the node by URL, Numerai's real staking API (NMR_DELEGATE_NUMERAI_URL overrides it: numeraiUrl,
 * the one reader), the operator on the real client with the token from the vault. No demo parts:
 * no faucet, no demo step (`local` is null).
 */
export async function openRemoteStakingSession(network: RemoteNetwork, deps: SessionDeps): Promise<ChainSession> {
  const s = network.staking;
  if (!s || !isTournamentId(s.tournamentId)) throw new AppError('NOT_A_POOL', EARLIER_POOL_NETWORK);
  const provider = await connectRemote(network);
  const service = new StakingPoolService({ provider, poolAddress: network.poolAddress, deployBlock: network.deployBlock });
  return stakingSession(deps, {
    provider,
    chainId: network.chainId,
    kind: 'remote',
    label: network.label,
    nmr: network.tokenAddress,
    staking: s.address,
    pool: network.poolAddress,
    deployBlock: network.deployBlock,
    numerai: { url: numeraiUrl(), tournamentId: s.tournamentId },
    service,
    rounds: {
      currentRound: async () => Number(await service.latestStakedRound()),
      lockRounds: async () => Number(await service.concurrentRounds()),
    },
    local: () => null,
    async stop() {
      provider.destroy();
    },
  });
}

/** Where a staking session runs and what is particular to it (the demo chain's parts, or none). */
interface StakingSessionPlace {
  provider: JsonRpcProvider;
  chainId: number;
  kind: 'local' | 'remote';
  label: string;
  nmr: string;
  staking: string;
  pool: string;
  deployBlock: number;
  /** Numerai's staking API: its URL (real, or the demo's on loopback), tournament and client limits. */
  numerai: { url: string; tournamentId: TournamentId; transport?: Omit<StakingClientOptions, 'url' | 'tournamentId' | 'token'> };
  /** The pool's reader, when the caller needs it first; else one is made. */
  service?: StakingPoolService;
  rounds: Pick<CatalogPool, 'currentRound' | 'lockRounds'>;
  local(catalog: StakingCatalog): LocalChain | null;
  /** Stops what the place started (the demo world and its API, or the provider). */
  stop(): Promise<void>;
}

/** The parts every staking session has, on the demo chain or a real network. */
function stakingSession(deps: SessionDeps, at: StakingSessionPlace): ChainSession {
  const facts: ChainFacts = { provider: at.provider, chainId: at.chainId, kind: at.kind, label: at.label, tokenAddress: at.nmr };
  // Transactions still waiting outlive the app: kept per chain, picked up again on the next start.
  const keep = { file: pendingTxFile(deps.userDataDir, at.chainId), log: deps.log };
  const tx = new ChainTx(facts, deps.accounts, deps.events, [stakingPoolIface, numeraiStakingIface, tokenCalls], keep);
  const service = at.service ?? new StakingPoolService({ provider: at.provider, poolAddress: at.pool, deployBlock: at.deployBlock });
  const catalog = new StakingCatalog(service, at.rounds);
  // A holder's app asks Numerai without a token: claims are public to relay.
  const numerai = createStakingClient({ url: at.numerai.url, tournamentId: at.numerai.tournamentId, ...at.numerai.transport });
  // The person's own operator part talks to the same Numerai's API, with the token they saved.
  const operator = createOperatorService({
    ...deps.operator,
    wallet: deps.wallet,
    numerai: at.numerai,
    provider: at.provider,
    chainId: at.chainId,
    networkLabel: at.label,
    poolAddress: at.pool,
    stakingAddress: at.staking,
    tracker: tx.tracker,
    checkChain: () => tx.checkChain(),
  });
  const staking = { ...stakingParts(service, tx, numerai, catalog, at.pool), operator };
  const historyAt = { provider: at.provider, chainId: at.chainId, kind: at.kind, poolAddress: at.pool, deployBlock: at.deployBlock };
  return {
    staking,
    tx,
    catalog,
    history: new HistoryService(sessionHistoryOptions(historyAt, deps.userDataDir)),
    local: at.local(catalog),
    async close() {
      operator.service.stop();
      await tx.close();
      await at.stop();
    },
  };
}

function stakingParts(
  service: StakingPoolService,
  tx: ChainTx,
  numerai: Pick<NumeraiStakingApi, 'claim'>,
  catalog: StakingCatalog,
  poolAddress: string,
): Omit<StakingParts, 'operator'> {
  /** Numerai's result for the pool's position in (model, round), as its API gives it. */
  async function claimOf(modelId: number, roundId: number): Promise<V3StakeClaim> {
    const m = await service.model(modelId);
    try {
      return await numerai.claim({ roundId: BigInt(roundId), apiModelId: uuidFromModelId(m.numeraiModelId), staker: poolAddress });
    } catch (e) {
      if (!(e instanceof NumeraiRefusal)) throw e;
      const words = refusalWords(e.kind, m.name);
      throw new AppError(e.kind === 'not-found' ? 'NOT_FOUND' : 'NOT_AVAILABLE', `${words} (round ${roundId})`);
    }
  }

  /** The wire intent as the staking builders take it; a relay fetches Numerai's claim first. */
  async function builderIntent(intent: IntentWei): Promise<StakingIntent> {
    if (intent.kind !== 'relay-claim') return intent;
    return { kind: 'relay-claim', claim: await claimOf(intent.modelId, intent.roundId) };
  }

  return {
    service,
    numerai,
    plan: async (intent) => {
      const built = await builderIntent(intent);
      return tx.plan(({ holder, balances }) => service.draft(built, holder, balances));
    },
    async execute(plan, requestId) {
      try {
        return await tx.execute(plan, requestId);
      } finally {
        catalog.invalidate();
      }
    },
    portfolio: (holder) => service.portfolio(holder),
    checkClaim: async (modelId, roundId) => verifyClaim(await claimOf(modelId, roundId), service.claimCheckReads()),
  };
}

/**
 * The staking pool's models in the row form the model lists join with track records (ModelRow keeps
 * its shape): `stakeWei` is the model's NAV (idle and at Numerai), `pendingInWei` its NMR waiting to
 * convert. Read at most every few seconds; the registrations themselves are read once (StakingPoolService).
 */
class StakingCatalog implements CatalogPool {
  private cache: { at: number; models: OnChainModel[] } | null = null;

  constructor(
    private readonly service: StakingPoolService,
    private readonly rounds: Pick<CatalogPool, 'currentRound' | 'lockRounds'>,
  ) {}

  invalidate(): void {
    this.cache = null;
  }

  async models(maxAgeMs = MODELS_MAX_AGE_MS): Promise<OnChainModel[]> {
    if (this.cache && Date.now() - this.cache.at < maxAgeMs) return this.cache.models;
    const models = (await this.service.models()).map((m) => ({
      modelId: m.modelId,
      name: m.name,
      operator: m.operator,
      feeBps: Number(m.feeBps),
      capWei: m.capWei,
      stakeWei: m.navWei,
      pendingInWei: m.pendingDepositWei,
    }));
    this.cache = { at: Date.now(), models };
    return models;
  }

  /** The round the lists show as now (the staking pool has no round of its own: Numerai's). */
  currentRound(): Promise<number> {
    return this.rounds.currentRound();
  }

  /** A stake taken back waits for the model's tranches at Numerai: at most this many rounds. */
  lockRounds(): Promise<number> {
    return this.rounds.lockRounds();
  }
}

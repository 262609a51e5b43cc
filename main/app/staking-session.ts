/**
 * The local demo chain on the staking world (NMR_DELEGATE_DEMO_POOL=staking, main/app/pool-choice.ts):
 * StakingPool staking through the demo Numerai, the demo Numerai's API on loopback, the holder's
 * reads (StakingPoolService), the shared transaction part with StakingPool's, Numerai's and NMR's
 * error ABIs, and the history as today (its move onto StakingPool's events is separate: the session
 * says `poolKind: 'staking'`, which is where history picks its decoder once it has one).
 */
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { AppError, type ClaimCheck, type StakingPoolIntentWei, type StakingPortfolio } from '../../shared/api';
import { uuidFromModelId } from '../../contracts/numerai-layout';
import { HistoryService, sessionHistoryOptions } from '../history/history-service';
import { startStakingWorld, DEMO_TOURNAMENT, type StakingWorld, type StakingWorldSpec } from '../devnet/staking-world';
import { advanceStakingDemo, LOOPBACK_CLIENT } from '../devnet/staking-demo-step';
import { demoFaucet, DEPLOYER_KEY, type DemoSpec } from '../devnet/world';
import { demoOperatorGrants, startDemoNumeraiApi, type DemoNumeraiApi } from '../numerai/demo/demo-api';
import { DEMO_CONCURRENT_ROUNDS } from '../numerai/demo/schedule';
import { NumeraiRefusal, type NumeraiStakingApi, type V3StakeClaim } from '../numerai/v3-api';
import { createStakingClient } from '../numerai/v3-client';
import { verifyClaim } from '../numerai/verify-claim';
import { createOperatorService, type OperatorHandle } from '../operator/create-operator-service';
import { refusalWords } from '../operator/refusal-words';
import type { OnChainModel } from '../pool/pool-service';
import { StakingPoolService } from '../pool/staking-pool-service';
import { numeraiStakingIface, stakingPoolIface } from '../pool/staking-pool-views';
import { ChainTx, type ChainFacts } from '../tx/chain-tx';
import { tokenCalls } from '../tx/intents/draft';
import type { Plan } from '../tx/plan';
import type { StakingIntent } from '../tx/staking-intents';
import { devnetDir, type CatalogPool, type ChainSession, type LocalChain, type SessionDeps } from './chain-session';

/** The staking pool's parts of a session, as the handlers use them. */
export interface StakingParts {
  service: StakingPoolService;
  /** Numerai's staking API as a holder's app asks it: no token (claims are public to relay). */
  numerai: Pick<NumeraiStakingApi, 'claim'>;
  plan(intent: StakingPoolIntentWei): Promise<Plan>;
  execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }>;
  portfolio(holder: string): Promise<StakingPortfolio>;
  /** "Check with Numerai" for the pool's result of (model, round). */
  checkClaim(modelId: number, roundId: number): Promise<ClaimCheck>;
  /** The operator's part for the wallet's account (Settings → Your models): its round and the claims. */
  operator: OperatorHandle;
}

/** How long a list's model figures may be reused between asks (our own transactions refresh them). */
const MODELS_MAX_AGE_MS = 5_000;

/** The staking world from the demo records: the same model names as the old world, one history round. */
export function stakingWorldSpec(demo: DemoSpec): StakingWorldSpec {
  return { models: demo.models, firstRoundId: BigInt(demo.lastRound + 1), historyRounds: 1 };
}

export function stakingWorldDir(userDataDir: string): string {
  return join(devnetDir(userDataDir), 'staking');
}

export async function openStakingSession(deps: SessionDeps): Promise<ChainSession> {
  const world = await startStakingWorld({ dir: stakingWorldDir(deps.userDataDir), spec: stakingWorldSpec(deps.demo()), log: deps.log });
  let api: DemoNumeraiApi;
  try {
    api = await startDemoNumeraiApi(world.numerai, demoOperatorGrants(world.numerai, deps.demoStaking.unscopedTokenModel));
  } catch (e) {
    await world.stop();
    throw e;
  }
  const d = world.deployment;
  const facts: ChainFacts = { provider: world.provider, chainId: d.chainId, kind: 'local', label: 'Local demo chain', tokenAddress: d.nmr };
  const tx = new ChainTx(facts, deps.wallet, deps.events, [stakingPoolIface, numeraiStakingIface, tokenCalls]);
  const service = new StakingPoolService({ provider: world.provider, poolAddress: d.pool, deployBlock: d.deployBlock });
  const catalog = new StakingCatalog(service, world);
  const numerai = createStakingClient({ url: api.server.url, tournamentId: DEMO_TOURNAMENT, ...LOOPBACK_CLIENT });
  // With relaying off (pool-choice.ts) nobody relays: Numerai's results wait for a holder's "Claim".
  const relayer = deps.demoStaking.relayClaims ? new Wallet(DEPLOYER_KEY) : null;
  /** The newest round this session saw Numerai resolve (0 before the first). */
  let lastResolved = 0n;
  const local: LocalChain = {
    url: world.anvil.url,
    startup: world.startup,
    faucet: (to, nmrWei, ethWei) => demoFaucet(world, d.nmr, to, nmrWei, ethWei),
    async advance() {
      try {
        const step = await advanceStakingDemo(world, api, relayer);
        lastResolved = step.resolved ?? lastResolved;
        return { resolvedRound: Number(lastResolved), currentRound: Number(step.open ?? lastResolved), happened: step.happened };
      } finally {
        catalog.invalidate();
      }
    },
  };
  // The person's own operator part talks to the same demo Numerai's API, with the token they saved.
  const operator = createOperatorService({
    ...deps.operator,
    wallet: deps.wallet,
    numerai: { url: api.server.url, tournamentId: DEMO_TOURNAMENT, transport: LOOPBACK_CLIENT },
    provider: world.provider,
    chainId: d.chainId,
    networkLabel: facts.label,
    poolAddress: d.pool,
    stakingAddress: d.staking,
    tracker: tx.tracker,
    checkChain: () => tx.checkChain(),
  });
  const staking = { ...stakingParts(service, tx, numerai, catalog, d.pool), operator };
  return {
    poolKind: 'staking',
    staking,
    tx,
    catalog,
    history: new HistoryService(
      sessionHistoryOptions(
        {
          provider: world.provider,
          chainId: d.chainId,
          kind: 'local',
          poolAddress: d.pool,
          deployBlock: d.deployBlock,
          poolKind: 'staking',
        },
        deps.userDataDir,
      ),
    ),
    local,
    async close() {
      operator.service.stop();
      tx.close();
      await api.server.close();
      await world.stop();
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
  async function builderIntent(intent: StakingPoolIntentWei): Promise<StakingIntent> {
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
    private readonly world: StakingWorld,
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

  /** The newest Numerai round (the staking pool has no round of its own). */
  async currentRound(): Promise<number> {
    return Number(this.world.numerai.roundIds().at(-1) ?? 0n);
  }

  /** A stake taken back waits for the model's tranches at Numerai: at most this many rounds. */
  async lockRounds(): Promise<number> {
    return DEMO_CONCURRENT_ROUNDS;
  }
}

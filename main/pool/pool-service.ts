import { Contract } from 'ethers';
import { AppError, PortfolioPositionsWei, type ApiOutput, type EventPayload, type PositionWei } from '../../shared/api';
import type { Intent, Plan } from '../tx/plan';
import { draftIntent, type PoolReads } from '../tx/intents';
import type { EventBus } from '../ipc/events';
import type { WalletService } from '../wallet/wallet-service';
import { poolAbi, tokenAbi } from '../chain/contracts';
import { ChainTx, type ChainFacts, type NetworkInfo } from '../tx/chain-tx';
import type { Replacement } from '../tx/in-flight';

export type { NetworkInfo } from '../tx/chain-tx';

/** The chain facts plus the old pool's address and deployment block (where its logs start). */
export interface ChainContext extends ChainFacts {
  poolAddress: string;
  deployBlock: number;
}

export interface OnChainModel {
  modelId: number;
  name: string;
  operator: string;
  feeBps: number;
  capWei: bigint;
  stakeWei: bigint;
  pendingInWei: bigint;
}

/** The pool's `model(id)` view as ethers decodes it (integers come back as bigint). */
interface ModelView {
  name: string;
  operator: string;
  feeBps: bigint;
  capWei: bigint;
  stakeWei: bigint;
  pendingInWei: bigint;
}

/**
 * The holder's side of the old pool (DelegationPool): read models and positions, and draft an
 * intent ("delegate these amounts") for the shared transaction part (main/tx/chain-tx.ts), which
 * completes it into a Plan, signs it once the user confirmed, and tracks it. A narrow facade: its
 * provider and contracts stay inside; callers get named questions (`network()`, `inFlightList()`,
 * `nodeFault()`) or the session's `tx` itself.
 */
export class PoolService {
  private readonly pool: Contract;
  private readonly token: Contract;
  /** Balances, plan completion, signing, replacement and in-flight tracking, with the pool's and the token's error ABIs. */
  readonly tx: ChainTx;
  private modelsCache: { at: number; models: OnChainModel[] } | null = null;
  /** A read of the models under way: callers meanwhile (start-up asks twice) share it. */
  private modelsRead: Promise<OnChainModel[]> | null = null;

  constructor(
    private readonly ctx: ChainContext,
    wallet: WalletService,
    events: EventBus,
  ) {
    this.pool = new Contract(ctx.poolAddress, poolAbi, ctx.provider);
    this.token = new Contract(ctx.tokenAddress, tokenAbi, ctx.provider);
    this.tx = new ChainTx(ctx, wallet, events, [this.pool.interface, this.token.interface]);
  }

  /** Which network this pool is on. */
  network(): NetworkInfo {
    return this.tx.network();
  }

  /** The last status of every transaction this session sent that still waits for the network. */
  inFlightList(): EventPayload<'tx.status'>[] {
    return this.tx.inFlightList();
  }

  /** A failure's node part in words (the pool's and token's reverts decoded), or null when the node is not at fault. */
  nodeFault(e: unknown): AppError | null {
    return this.tx.nodeFault(e);
  }

  /** Stops watching transactions (before the session's provider goes away). */
  close(): void {
    this.tx.close();
  }

  /** Forget cached chain reads, after something outside this service changed the chain. */
  invalidate(): void {
    this.modelsCache = null;
    this.modelsRead = null;
  }

  async currentRound(): Promise<number> {
    return Number(await this.pool.getFunction('currentRound')());
  }

  async lockRounds(): Promise<number> {
    return Number(await this.pool.getFunction('lockRounds')());
  }

  /** Every registered model with its stake; cached for a few seconds, refreshed after our own transactions. */
  async models(maxAgeMs = 5_000): Promise<OnChainModel[]> {
    if (this.modelsCache && Date.now() - this.modelsCache.at < maxAgeMs) return this.modelsCache.models;
    if (!this.modelsRead) {
      const read = this.readModels().finally(() => {
        if (this.modelsRead === read) this.modelsRead = null;
      });
      this.modelsRead = read;
    }
    return this.modelsRead;
  }

  private async readModels(): Promise<OnChainModel[]> {
    const count = Number(await this.pool.getFunction('modelCount')());
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const views = await Promise.all(ids.map((id) => this.pool.getFunction('model')(id) as Promise<ModelView>));
    const models = views.map((v, i) => ({
      modelId: ids[i]!,
      name: String(v.name),
      operator: String(v.operator),
      feeBps: Number(v.feeBps),
      capWei: BigInt(v.capWei),
      stakeWei: BigInt(v.stakeWei),
      pendingInWei: BigInt(v.pendingInWei),
    }));
    this.modelsCache = { at: Date.now(), models };
    return models;
  }

  async model(modelId: number): Promise<OnChainModel> {
    const m = (await this.models()).find((x) => x.modelId === modelId);
    if (!m) throw new AppError('NOT_FOUND', `There is no model number ${modelId} in the pool.`);
    return m;
  }

  balances(address: string): Promise<{ ethWei: bigint; nmrWei: bigint }> {
    return this.tx.balances(address);
  }

  /** Turns an intent into the exact transactions and the facts a holder needs to decide: its builder drafts, the shared part completes. */
  plan(intent: Intent): Promise<Plan> {
    return this.tx.plan(async ({ holder, balances }) => {
      const [round, lockRounds] = await Promise.all([this.currentRound(), this.lockRounds()]);
      return draftIntent(intent, this.reads, { holder, balances, round, lockRounds });
    });
  }

  /** What the intent builders may read, answered from this session's node. */
  private get reads(): PoolReads {
    return {
      poolAddress: this.ctx.poolAddress,
      tokenAddress: this.ctx.tokenAddress,
      model: (modelId) => this.model(modelId),
      allowance: async (holder) => (await this.token.getFunction('allowance')(holder, this.ctx.poolAddress)) as bigint,
      position: async (holder, modelId) => {
        const pos = (await this.pool.getFunction('positionOf')(holder, modelId)) as Record<string, bigint>;
        return { shares: BigInt(pos.shares ?? 0n), withdrawableWei: BigInt(pos.withdrawableWei ?? 0n) };
      },
      convertToShares: async (modelId, amountWei) => (await this.pool.getFunction('convertToShares')(modelId, amountWei)) as bigint,
      convertToAssets: async (modelId, shares) => (await this.pool.getFunction('convertToAssets')(modelId, shares)) as bigint,
    };
  }

  /** Signs and sends a confirmed plan (ChainTx.execute); the pool's reads are fresh afterwards. */
  async execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }> {
    try {
      return await this.tx.execute(plan, requestId);
    } finally {
      this.invalidate();
    }
  }

  replacementPlan(txId: string, purpose: 'speed-up' | 'cancel'): Promise<{ plan: Plan; replacement: Replacement }> {
    return this.tx.replacementPlan(txId, purpose);
  }

  sendReplacement(plan: Plan, r: Replacement): Promise<{ txHashes: string[] }> {
    return this.tx.sendReplacement(plan, r);
  }

  async positions(holder: string): Promise<ApiOutput<'portfolio.positions'>> {
    const [models, round] = await Promise.all([this.models(0), this.currentRound()]);
    const ids = models.map((m) => m.modelId);
    const views = ids.length ? ((await this.pool.getFunction('positionsOf')(holder, ids)) as unknown[]) : [];
    const principal = await this.delegatedByModel(holder);
    const positions: PositionWei[] = [];
    let totalValueWei = 0n;
    for (const [i, v] of views.entries()) {
      const p = v as Record<string, bigint>;
      const valueWei = BigInt(p.valueWei ?? 0n);
      const pendingInWei = BigInt(p.pendingInWei ?? 0n);
      const pendingOutValueWei = BigInt(p.pendingOutValueWei ?? 0n);
      const withdrawableWei = BigInt(p.withdrawableWei ?? 0n);
      if (valueWei === 0n && pendingInWei === 0n && pendingOutValueWei === 0n && withdrawableWei === 0n) continue;
      const m = models[i]!;
      const unlock = Number(p.unlockRound ?? 0n);
      totalValueWei += valueWei + pendingInWei + pendingOutValueWei + withdrawableWei;
      positions.push({
        modelId: m.modelId,
        name: m.name,
        principalWei: principal.get(m.modelId) ?? 0n,
        valueWei,
        pendingInWei,
        pendingOutValueWei,
        withdrawableWei,
        unlockRound: pendingOutValueWei > 0n && unlock > 0 ? unlock : null,
      });
    }
    return PortfolioPositionsWei.encode({ address: holder, currentRound: round, positions, totalValueWei });
  }

  /** Sum of the holder's Delegated events per model: what they put in, from the logs. */
  private async delegatedByModel(holder: string): Promise<Map<number, bigint>> {
    const logs = await this.pool.queryFilter(this.pool.filters.Delegated!(holder), this.ctx.deployBlock, 'latest');
    const out = new Map<number, bigint>();
    for (const log of logs) {
      if (!('args' in log)) continue;
      const id = Number(log.args.modelId);
      out.set(id, (out.get(id) ?? 0n) + (log.args.amountWei as bigint));
    }
    return out;
  }
}

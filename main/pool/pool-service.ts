import { Contract, type Interface, type JsonRpcProvider } from 'ethers';
import { AppError, PortfolioPositionsWei, type ApiOutput, type EventPayload, type PositionWei } from '../../shared/api';
import type { Intent, Plan, PlanStep } from '../tx/plan';
import { completePlan, draftIntent, replacementPlan, type PoolReads } from '../tx/intents';
import type { EventBus } from '../ipc/events';
import type { WalletService } from '../wallet/wallet-service';
import { checkChainId, describeTxError, nodeFault } from '../chain/tx-errors';
import { poolAbi, tokenAbi } from '../chain/contracts';
import { marketFees } from '../tx/fees';
import { InFlightTracker, type Outcome, type Replacement, type StepRef } from '../tx/in-flight';

export interface ChainContext {
  provider: JsonRpcProvider;
  chainId: number;
  kind: 'local' | 'remote';
  label: string;
  tokenAddress: string;
  poolAddress: string;
  deployBlock: number;
}

/** Which network a pool is on, as the app shows it. */
export interface NetworkInfo {
  kind: 'local' | 'remote';
  chainId: number;
  label: string;
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

// A step that depends on an earlier one (delegate after approve) cannot be simulated yet: this bounds its gas.
const DEPENDENT_STEP_GAS_BOUND = 400_000n;
/** Room over a simulated gas figure: state can move a little between simulating and mining. */
const gasWithHeadroom = (estimate: bigint) => (estimate * 6n) / 5n;

/**
 * The holder's side of the pool: read models and positions, and turn an intent ("delegate these
 * amounts") into a Plan: the exact transactions, which main signs once the user confirmed that plan.
 * A narrow facade: its provider, contracts and transaction tracker stay inside; callers get named
 * questions (`network()`, `inFlightList()`, `nodeFault()`).
 */
export class PoolService {
  private readonly pool: Contract;
  private readonly token: Contract;
  /** The transactions this session sent and is still watching. */
  private readonly inFlight: InFlightTracker;
  /** The pool's and the token's errors, to decode a revert into words. */
  private readonly errorAbis: Interface[];
  private modelsCache: { at: number; models: OnChainModel[] } | null = null;
  /** A read of the models under way: callers meanwhile (start-up asks twice) share it. */
  private modelsRead: Promise<OnChainModel[]> | null = null;

  constructor(
    private readonly ctx: ChainContext,
    private readonly wallet: WalletService,
    events: EventBus,
  ) {
    this.pool = new Contract(ctx.poolAddress, poolAbi, ctx.provider);
    this.token = new Contract(ctx.tokenAddress, tokenAbi, ctx.provider);
    this.errorAbis = [this.pool.interface, this.token.interface];
    this.inFlight = new InFlightTracker(ctx.provider, events, ctx.kind);
  }

  /** Refuses to plan or sign when the node now claims another chain than the one validated. */
  private checkChain(): Promise<void> {
    return checkChainId(this.ctx.provider, this.ctx.chainId, this.ctx.label);
  }

  /** Which network this pool is on. */
  network(): NetworkInfo {
    return { kind: this.ctx.kind, chainId: this.ctx.chainId, label: this.ctx.label };
  }

  /** The last status of every transaction this session sent that still waits for the network. */
  inFlightList(): EventPayload<'tx.status'>[] {
    return this.inFlight.list();
  }

  /** A failure's node part in words (the pool's and token's reverts decoded), or null when the node is not at fault. */
  nodeFault(e: unknown): AppError | null {
    return nodeFault(e, this.errorAbis);
  }

  /** Stops watching transactions (before the session's provider goes away). */
  close(): void {
    this.inFlight.close();
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

  async balances(address: string): Promise<{ ethWei: bigint; nmrWei: bigint }> {
    const [ethWei, nmrWei] = await Promise.all([
      this.ctx.provider.getBalance(address),
      this.token.getFunction('balanceOf')(address) as Promise<bigint>,
    ]);
    return { ethWei, nmrWei: BigInt(nmrWei) };
  }

  /** Sets each step's gas limit: simulated where the chain can tell, bounded where a step depends on an earlier one. */
  private async setGasLimits(holder: string, steps: PlanStep[]): Promise<bigint> {
    let gas = 0n;
    for (const [i, s] of steps.entries()) {
      s.gasLimit = i > 0 ? DEPENDENT_STEP_GAS_BOUND : gasWithHeadroom(await this.estimate(holder, s));
      gas += s.gasLimit;
    }
    return gas;
  }

  /** Simulates a step now; a revert becomes the pool's or the token's reason in words. */
  private async estimate(holder: string, step: PlanStep): Promise<bigint> {
    try {
      return await this.ctx.provider.estimateGas({ ...step.tx, from: holder });
    } catch (e) {
      throw new AppError('TX_FAILED', describeTxError(e, this.errorAbis));
    }
  }

  /** Turns an intent into the exact transactions and the facts a holder needs to decide: its builder drafts, the fee completes. */
  async plan(intent: Intent): Promise<Plan> {
    const holder = this.wallet.address();
    await this.checkChain();
    const [balances, round, lockRounds, fees] = await Promise.all([
      this.balances(holder),
      this.currentRound(),
      this.lockRounds(),
      marketFees(this.ctx.provider),
    ]);
    const draft = await draftIntent(intent, this.reads, { holder, balances, round, lockRounds });
    const gasUnits = draft.blocker ? 0n : await this.setGasLimits(holder, draft.steps);
    return completePlan(draft, {
      holder,
      chainId: this.ctx.chainId,
      networkLabel: this.ctx.label,
      fees,
      ethWei: balances.ethWei,
      gasUnits,
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

  /**
   * Signs and sends a confirmed plan's steps in order, with the confirmed fees, reporting live
   * status. Each step waits until it is mined (by itself or by a speed-up); a revert, a cancel or
   * a transaction from elsewhere taking its nonce stops the plan before the next step is signed.
   */
  async execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }> {
    const signer = this.wallet.signer(this.ctx.provider);
    if (signer.address !== plan.holder) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    const hashes: string[] = [];
    try {
      for (const [i, step] of plan.steps.entries()) {
        const ref: StepRef = { requestId, label: step.description, step: i + 1, steps: plan.steps.length };
        this.inFlight.signing(ref);
        let outcome: Outcome;
        try {
          // A node that switched chains since the network was chosen gets nothing signed.
          await this.checkChain();
          // Earlier steps are mined now, so this one can be simulated: a revert is reported before signing,
          // and the gas never exceeds what the confirmation counted.
          const gasLimit = min(gasWithHeadroom(await this.estimate(plan.holder, step)), step.gasLimit);
          const body = { to: String(step.tx.to), data: String(step.tx.data ?? '0x'), value: BigInt(step.tx.value ?? 0n), gasLimit };
          outcome = await this.inFlight.settle(await this.inFlight.send(signer, ref, body, plan.fees, plan.chainId));
        } catch (e) {
          const message = e instanceof AppError ? e.message : describeTxError(e, this.errorAbis);
          this.inFlight.failed(ref, message);
          throw e instanceof AppError ? e : new AppError('TX_FAILED', message);
        }
        if (outcome.kind === 'mined') {
          hashes.push(outcome.hash);
          continue;
        }
        const later = plan.steps.length - i - 1;
        const rest = later > 0 ? ` The ${later === 1 ? 'next step was' : `${later} later steps were`} not sent.` : '';
        if (outcome.kind === 'reverted') throw new AppError('TX_FAILED', `The transaction was reverted.${rest}`);
        if (outcome.kind === 'cancelled') throw new AppError('CANCELLED', `You cancelled “${step.description}”.${rest}`);
        throw new AppError('TX_FAILED', `Another transaction from your account took the place of “${step.description}”.${rest}`);
      }
    } finally {
      this.invalidate();
    }
    return { txHashes: hashes };
  }

  /**
   * The confirmation for a speed-up or cancel of a pending step: the same nonce with higher fees,
   * shown with the old and new fee and the total it can cost, exactly as it will be signed.
   */
  async replacementPlan(txId: string, purpose: 'speed-up' | 'cancel'): Promise<{ plan: Plan; replacement: Replacement }> {
    await this.checkChain();
    const r = await this.inFlight.prepareReplacement(txId, purpose);
    const holder = this.wallet.address();
    if (holder !== r.entry.from) throw new AppError('BAD_INPUT', 'That transaction was sent from another account; switch to it first.');
    const ethWei = await this.ctx.provider.getBalance(holder);
    const plan = replacementPlan(r, { holder, chainId: this.ctx.chainId, networkLabel: this.ctx.label, ethWei });
    return { plan, replacement: r };
  }

  /** Signs and sends a confirmed speed-up or cancel; the step's own watch reports what happens next. */
  async sendReplacement(plan: Plan, r: Replacement): Promise<{ txHashes: string[] }> {
    const signer = this.wallet.signer(this.ctx.provider);
    if (signer.address !== plan.holder) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    try {
      await this.checkChain();
      return { txHashes: [await this.inFlight.sendReplacement(signer, r, plan.chainId)] };
    } catch (e) {
      const message = e instanceof AppError ? e.message : describeTxError(e, this.errorAbis);
      this.inFlight.replacementFailed(r, message);
      throw e instanceof AppError ? e : new AppError('TX_FAILED', message);
    }
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

const min = (a: bigint, b: bigint) => (a < b ? a : b);

import { Contract, type Interface, type JsonRpcProvider } from 'ethers';
import { AppError, type ApiOutput } from '../../shared/api';
import type { Intent, Plan, PlanStep } from '../tx/plan';
import { formatEth, formatNmr, formatNmrApprox } from '../../shared/money';
import type { EventBus } from '../ipc/events';
import type { WalletService } from '../wallet/wallet-service';
import { checkChainId, describeTxError } from '../chain/tx-errors';
import { poolAbi, tokenAbi } from '../chain/contracts';
import { feeCapPerGas, gwei, marketFees, type Fees } from '../tx/fees';
import { highFeeWarning } from '../tx/fee-limits';
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

export type Allocation = { modelId: number; amountWei: bigint };

// A step that depends on an earlier one (delegate after approve) cannot be simulated yet: this bounds its gas.
const DEPENDENT_STEP_GAS_BOUND = 400_000n;
/** Room over a simulated gas figure: state can move a little between simulating and mining. */
const gasWithHeadroom = (estimate: bigint) => (estimate * 6n) / 5n;

/**
 * The holder's side of the pool: read models and positions, and turn an intent ("delegate these
 * amounts") into a Plan: the exact transactions, which main signs once the user confirmed that plan.
 */
export class PoolService {
  readonly pool: Contract;
  readonly token: Contract;
  /** The transactions this session sent and is still watching. */
  readonly inFlight: InFlightTracker;
  /** The pool's and the token's errors, to decode a revert into words. */
  readonly errorAbis: Interface[];
  private modelsCache: { at: number; models: OnChainModel[] } | null = null;
  /** A read of the models under way: callers meanwhile (start-up asks twice) share it. */
  private modelsRead: Promise<OnChainModel[]> | null = null;

  constructor(
    readonly ctx: ChainContext,
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

  /** The transactions that carry out a delegation, including NMR's approve rule. */
  private async delegateSteps(
    holder: string,
    allocations: Allocation[],
  ): Promise<{ steps: PlanStep[]; total: bigint; models: Map<number, OnChainModel> }> {
    const models = new Map<number, OnChainModel>();
    let total = 0n;
    for (const a of allocations) {
      const m = await this.model(a.modelId);
      if (a.amountWei <= 0n) throw new AppError('BAD_INPUT', 'Each amount must be above zero.');
      const room = m.capWei - m.stakeWei - m.pendingInWei;
      if (a.amountWei > room) {
        throw new AppError('BAD_INPUT', `${m.name} has room for only ${formatNmr(room > 0n ? room : 0n)} more NMR.`);
      }
      models.set(a.modelId, m);
      total += a.amountWei;
    }
    const allowance = (await this.token.getFunction('allowance')(holder, this.ctx.poolAddress)) as bigint;
    const steps: PlanStep[] = [];
    const poolAddr = this.ctx.poolAddress;
    if (allowance < total) {
      // NMR reverts on approve from one non-zero allowance to another: clear it first.
      if (allowance > 0n) {
        steps.push({
          kind: 'reset-approval',
          description: 'Clear the pool’s old permission to move your NMR',
          tx: { to: this.ctx.tokenAddress, data: this.token.interface.encodeFunctionData('approve', [poolAddr, 0n]) },
          gasLimit: 0n,
        });
      }
      steps.push({
        kind: 'approve',
        description: `Let the pool move ${formatNmr(total)} NMR from your wallet`,
        tx: { to: this.ctx.tokenAddress, data: this.token.interface.encodeFunctionData('approve', [poolAddr, total]) },
        gasLimit: 0n,
      });
    }
    const desc = allocations.map((a) => `${formatNmr(a.amountWei)} NMR to ${models.get(a.modelId)!.name}`).join(', ');
    steps.push({
      kind: 'delegate',
      description: `Delegate ${desc}`,
      tx: {
        to: poolAddr,
        data:
          allocations.length === 1
            ? this.pool.interface.encodeFunctionData('delegate', [allocations[0]!.modelId, allocations[0]!.amountWei])
            : this.pool.interface.encodeFunctionData('delegateBatch', [
                allocations.map((a) => a.modelId),
                allocations.map((a) => a.amountWei),
              ]),
      },
      gasLimit: 0n,
    });
    return { steps, total, models };
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

  /** Turns an intent into the exact transactions and the facts a holder needs to decide. */
  async plan(intent: Intent): Promise<Plan> {
    const holder = this.wallet.address();
    await this.checkChain();
    const [bal, round, lock, fees] = await Promise.all([
      this.balances(holder),
      this.currentRound(),
      this.lockRounds(),
      marketFees(this.ctx.provider),
    ]);
    const lines: Plan['lines'] = [];
    const warnings: string[] = [];
    let steps: PlanStep[];
    let title: string;
    let blocker: string | null = null;
    if (intent.kind === 'delegate') {
      const d = await this.delegateSteps(holder, intent.allocations);
      steps = d.steps;
      title = `Delegate ${formatNmr(d.total)} NMR`;
      for (const a of intent.allocations) {
        const m = d.models.get(a.modelId)!;
        lines.push({
          label: `To ${m.name}`,
          value: `${formatNmr(a.amountWei)} NMR (operator fee ${(m.feeBps / 100).toFixed(1)}% of gains)`,
        });
      }
      lines.push({ label: 'Total', value: `${formatNmr(d.total)} NMR of your ${formatNmr(bal.nmrWei)} NMR` });
      lines.push({ label: 'At risk from', value: `round ${round + 1} (round ${round} is open now)` });
      lines.push({
        label: 'Taking it back',
        value: `after you ask, it stays at risk for ${lock} round${lock === 1 ? '' : 's'}, then you can withdraw it`,
      });
      warnings.push('Delegated NMR grows or is burned each round, depending on how the model scores.');
      if (d.total > bal.nmrWei) blocker = `You have only ${formatNmr(bal.nmrWei)} NMR.`;
    } else if (intent.kind === 'undelegate') {
      const m = await this.model(intent.modelId);
      const pos = (await this.pool.getFunction('positionOf')(holder, intent.modelId)) as Record<string, bigint>;
      const held = BigInt(pos.shares ?? 0n);
      if (held === 0n) throw new AppError('BAD_INPUT', `You have no settled stake in ${m.name} to take back.`);
      let shares = held;
      if (intent.amountWei !== 'all') {
        shares = (await this.pool.getFunction('convertToShares')(intent.modelId, intent.amountWei)) as bigint;
        if (shares === 0n) throw new AppError('BAD_INPUT', 'That amount is too small to take back.');
        if (shares > held) shares = held;
      }
      const value = (await this.pool.getFunction('convertToAssets')(intent.modelId, shares)) as bigint;
      title = `Take back about ${formatNmrApprox(value)} NMR from ${m.name}`;
      lines.push({ label: 'From', value: m.name });
      lines.push({
        label: 'Value now',
        value: `${formatNmr(value)} NMR (${shares === held ? 'all of your stake' : 'part of your stake'})`,
      });
      lines.push({ label: 'Withdrawable from', value: `round ${round + lock}, after ${lock} more round${lock === 1 ? '' : 's'} at risk` });
      warnings.push(
        'Until then it still grows or is burned with the model’s results; the amount you receive can differ from today’s value.',
      );
      steps = [
        {
          kind: 'undelegate',
          description: `Ask to take back ${shares === held ? 'all of your stake' : `about ${formatNmrApprox(value)} NMR`} from ${m.name}`,
          tx: { to: this.ctx.poolAddress, data: this.pool.interface.encodeFunctionData('requestUndelegate', [intent.modelId, shares]) },
          gasLimit: 0n,
        },
      ];
    } else {
      const m = await this.model(intent.modelId);
      const pos = (await this.pool.getFunction('positionOf')(holder, intent.modelId)) as Record<string, bigint>;
      const amount = BigInt(pos.withdrawableWei ?? 0n);
      if (amount === 0n) throw new AppError('BAD_INPUT', `Nothing from ${m.name} is withdrawable yet.`);
      title = `Withdraw ${formatNmr(amount)} NMR`;
      lines.push({ label: 'From', value: m.name });
      lines.push({ label: 'To your wallet', value: `${formatNmr(amount)} NMR` });
      steps = [
        {
          kind: 'withdraw',
          description: `Withdraw ${formatNmr(amount)} NMR from ${m.name} to your wallet`,
          tx: { to: this.ctx.poolAddress, data: this.pool.interface.encodeFunctionData('withdraw', [intent.modelId]) },
          gasLimit: 0n,
        },
      ];
    }
    const gasCostWei = blocker ? 0n : (await this.setGasLimits(holder, steps)) * feeCapPerGas(fees);
    lines.push({ label: 'Network fee (at most)', value: `${formatEth(gasCostWei)} ETH, paid from your ETH (${feeWords(fees)})` });
    if (!blocker && gasCostWei > bal.ethWei)
      blocker = `You need about ${formatEth(gasCostWei)} ETH for the network fee and have ${formatEth(bal.ethWei)}.`;
    // Said even when the ETH is short: it explains why so much is needed. Not counted (0) when the NMR is short.
    const highFee = gasCostWei > 0n ? highFeeWarning(fees, gasCostWei) : null;
    if (highFee) warnings.unshift(highFee);
    return {
      holder,
      chainId: this.ctx.chainId,
      networkLabel: this.ctx.label,
      title,
      lines,
      warnings,
      steps,
      fees,
      gasCostWei,
      blocker,
      highFee,
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
    const gasCostWei = r.body.gasLimit * feeCapPerGas(r.fees);
    const oldCost = r.previous.gasLimit * feeCapPerGas(r.previous.fees);
    const what = r.entry.ref.label;
    const cancel = r.purpose === 'cancel';
    const lines: Plan['lines'] = [
      { label: cancel ? 'Cancels' : 'Speeds up', value: `${what} (transaction number ${r.entry.nonce} of your account)` },
      {
        label: 'How',
        value: cancel
          ? 'An empty transfer of 0 ETH to your own address is sent with the same number and a higher fee. If it is mined first, the original can no longer happen.'
          : 'The same transaction is sent again with the same number and a higher fee, so the network picks it up sooner.',
      },
      { label: 'Fee per gas', value: `${feeWords(r.previous.fees)} → ${feeWords(r.fees)}` },
      { label: 'Network fee (at most)', value: `${formatEth(gasCostWei)} ETH instead of ${formatEth(oldCost)} ETH` },
      { label: 'Total cost (at most)', value: `${formatEth(gasCostWei + r.body.value)} ETH from your ${formatEth(ethWei)} ETH` },
    ];
    const warnings = [
      'Only one of them can go through, and only that one is paid for. If the original is mined first, this one is dropped and costs nothing.',
    ];
    if (cancel && r.entry.ref.steps > r.entry.ref.step)
      warnings.push('The later steps of this action will not be sent; your NMR stays where it is.');
    const blocker =
      gasCostWei + r.body.value > ethWei
        ? `You need about ${formatEth(gasCostWei)} ETH for the higher fee and have ${formatEth(ethWei)}.`
        : null;
    const highFee = highFeeWarning(r.fees, gasCostWei);
    if (highFee) warnings.unshift(highFee);
    const description = cancel ? `Cancel: ${what}` : `Speed up: ${what}`;
    const plan: Plan = {
      holder,
      chainId: this.ctx.chainId,
      networkLabel: this.ctx.label,
      title: description,
      lines,
      warnings,
      steps: [{ kind: r.purpose, description, tx: { to: r.body.to, data: r.body.data, value: r.body.value }, gasLimit: r.body.gasLimit }],
      fees: r.fees,
      gasCostWei,
      blocker,
      highFee,
    };
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
    const positions = [];
    let totalValue = 0n;
    for (const [i, v] of views.entries()) {
      const p = v as Record<string, bigint>;
      const value = BigInt(p.valueWei ?? 0n);
      const pendingIn = BigInt(p.pendingInWei ?? 0n);
      const pendingOut = BigInt(p.pendingOutValueWei ?? 0n);
      const withdrawable = BigInt(p.withdrawableWei ?? 0n);
      if (value === 0n && pendingIn === 0n && pendingOut === 0n && withdrawable === 0n) continue;
      const m = models[i]!;
      const unlock = Number(p.unlockRound ?? 0n);
      totalValue += value + pendingIn + pendingOut + withdrawable;
      positions.push({
        modelId: m.modelId,
        name: m.name,
        principalWei: (principal.get(m.modelId) ?? 0n).toString(),
        valueWei: value.toString(),
        pendingInWei: pendingIn.toString(),
        pendingOutValueWei: pendingOut.toString(),
        withdrawableWei: withdrawable.toString(),
        unlockRound: pendingOut > 0n && unlock > 0 ? unlock : null,
      });
    }
    return { address: holder, currentRound: round, positions, totalValueWei: totalValue.toString() };
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

/** "max 3 gwei, tip 1 gwei" or "12 gwei": the offer per unit of gas, for the confirmation. */
function feeWords(f: Fees): string {
  return f.type === 2 ? `max ${gwei(f.maxFeePerGas)}, tip ${gwei(f.maxPriorityFeePerGas)}` : gwei(f.gasPrice);
}

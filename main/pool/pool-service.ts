import { Contract, Interface, type JsonRpcProvider } from 'ethers';
import { AppError, type ApiOutput, type EventPayload } from '../../shared/api';
import type { Intent, Plan, PlanStep } from '../tx/plan';
import { formatNmr, formatNmrApprox } from '../../shared/money';
import type { EventBus } from '../ipc/events';
import type { WalletService } from '../wallet/wallet-service';
import { describeTxError } from '../chain/tx-errors';
import { waitForReceipt } from '../chain/receipts';
import { poolAbi, tokenAbi } from '../chain/contracts';

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

export type Allocation = { modelId: number; amountWei: bigint };

// A step that depends on an earlier one (delegate after approve) cannot be simulated yet: this bounds its gas.
const DEPENDENT_STEP_GAS_BOUND = 400_000n;

/**
 * The holder's side of the pool: read models and positions, and turn an intent ("delegate these
 * amounts") into a Plan: the exact transactions, which main signs once the user confirmed that plan.
 */
export class PoolService {
  readonly pool: Contract;
  readonly token: Contract;
  private readonly errorAbis: Interface[];
  private modelsCache: { at: number; models: OnChainModel[] } | null = null;

  constructor(
    readonly ctx: ChainContext,
    private readonly wallet: WalletService,
    private readonly events: EventBus,
  ) {
    this.pool = new Contract(ctx.poolAddress, poolAbi, ctx.provider);
    this.token = new Contract(ctx.tokenAddress, tokenAbi, ctx.provider);
    this.errorAbis = [this.pool.interface, this.token.interface];
  }

  /** Forget cached chain reads, after something outside this service changed the chain. */
  invalidate(): void {
    this.modelsCache = null;
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
    const count = Number(await this.pool.getFunction('modelCount')());
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const views = await Promise.all(ids.map((id) => this.pool.getFunction('model')(id)));
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
  private async delegateSteps(holder: string, allocations: Allocation[]): Promise<{ steps: PlanStep[]; total: bigint; models: Map<number, OnChainModel> }> {
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
    const allowance = BigInt(await this.token.getFunction('allowance')(holder, this.ctx.poolAddress));
    const steps: PlanStep[] = [];
    const poolAddr = this.ctx.poolAddress;
    if (allowance < total) {
      // NMR reverts on approve from one non-zero allowance to another: clear it first.
      if (allowance > 0n) {
        steps.push({
          kind: 'reset-approval',
          description: 'Clear the pool’s old permission to move your NMR',
          tx: { to: this.ctx.tokenAddress, data: this.token.interface.encodeFunctionData('approve', [poolAddr, 0n]) },
        });
      }
      steps.push({
        kind: 'approve',
        description: `Let the pool move ${formatNmr(total)} NMR from your wallet`,
        tx: { to: this.ctx.tokenAddress, data: this.token.interface.encodeFunctionData('approve', [poolAddr, total]) },
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
            : this.pool.interface.encodeFunctionData('delegateBatch', [allocations.map((a) => a.modelId), allocations.map((a) => a.amountWei)]),
      },
    });
    return { steps, total, models };
  }

  private async feePerGas(): Promise<bigint> {
    const fee = await this.ctx.provider.getFeeData();
    return fee.maxFeePerGas ?? fee.gasPrice ?? 1_000_000_000n;
  }

  /** Gas for the steps: simulated where the chain can tell, bounded where a step depends on an earlier one. */
  private async gasFor(holder: string, steps: PlanStep[]): Promise<bigint> {
    let gas = 0n;
    for (const [i, s] of steps.entries()) {
      if (i > 0) {
        gas += DEPENDENT_STEP_GAS_BOUND;
        continue;
      }
      try {
        gas += await this.ctx.provider.estimateGas({ ...s.tx, from: holder });
      } catch (e) {
        throw new AppError('TX_FAILED', describeTxError(e, this.errorAbis));
      }
    }
    return gas;
  }

  /** Turns an intent into the exact transactions and the facts a holder needs to decide. */
  async plan(intent: Intent): Promise<Plan> {
    const holder = this.wallet.address();
    const [bal, round, lock, feePerGas] = await Promise.all([this.balances(holder), this.currentRound(), this.lockRounds(), this.feePerGas()]);
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
        lines.push({ label: `To ${m.name}`, value: `${formatNmr(a.amountWei)} NMR (operator fee ${(m.feeBps / 100).toFixed(1)}% of gains)` });
      }
      lines.push({ label: 'Total', value: `${formatNmr(d.total)} NMR of your ${formatNmr(bal.nmrWei)} NMR` });
      lines.push({ label: 'At risk from', value: `round ${round + 1} (round ${round} is open now)` });
      lines.push({ label: 'Taking it back', value: `after you ask, it stays at risk for ${lock} round${lock === 1 ? '' : 's'}, then you can withdraw it` });
      warnings.push('Delegated NMR grows or is burned each round, depending on how the model scores.');
      if (d.total > bal.nmrWei) blocker = `You have only ${formatNmr(bal.nmrWei)} NMR.`;
    } else if (intent.kind === 'undelegate') {
      const m = await this.model(intent.modelId);
      const pos = (await this.pool.getFunction('positionOf')(holder, intent.modelId)) as Record<string, bigint>;
      const held = BigInt(pos.shares ?? 0n);
      if (held === 0n) throw new AppError('BAD_INPUT', `You have no settled stake in ${m.name} to take back.`);
      let shares = held;
      if (intent.amountWei !== 'all') {
        shares = BigInt(await this.pool.getFunction('convertToShares')(intent.modelId, intent.amountWei));
        if (shares === 0n) throw new AppError('BAD_INPUT', 'That amount is too small to take back.');
        if (shares > held) shares = held;
      }
      const value = BigInt(await this.pool.getFunction('convertToAssets')(intent.modelId, shares));
      title = `Take back about ${formatNmrApprox(value)} NMR from ${m.name}`;
      lines.push({ label: 'From', value: m.name });
      lines.push({ label: 'Value now', value: `${formatNmr(value)} NMR (${shares === held ? 'all of your stake' : 'part of your stake'})` });
      lines.push({ label: 'Withdrawable from', value: `round ${round + lock}, after ${lock} more round${lock === 1 ? '' : 's'} at risk` });
      warnings.push('Until then it still grows or is burned with the model’s results; the amount you receive can differ from today’s value.');
      steps = [
        {
          kind: 'undelegate',
          description: `Ask to take back ${shares === held ? 'all of your stake' : `about ${formatNmrApprox(value)} NMR`} from ${m.name}`,
          tx: { to: this.ctx.poolAddress, data: this.pool.interface.encodeFunctionData('requestUndelegate', [intent.modelId, shares]) },
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
        },
      ];
    }
    const gasCostWei = blocker ? 0n : (await this.gasFor(holder, steps)) * feePerGas;
    lines.push({ label: 'Network fee (estimate)', value: `${formatNmr(gasCostWei)} ETH, paid from your ETH` });
    if (!blocker && gasCostWei > bal.ethWei) blocker = `You need about ${formatNmr(gasCostWei)} ETH for the network fee and have ${formatNmr(bal.ethWei)}.`;
    return { holder, chainId: this.ctx.chainId, networkLabel: this.ctx.label, title, lines, warnings, steps, gasCostWei, blocker };
  }

  /** Signs and sends a confirmed plan's steps in order, reporting live status; stops at the first failure. */
  async execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }> {
    const signer = this.wallet.signer(this.ctx.provider);
    if (signer.address !== plan.holder) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    const hashes: string[] = [];
    try {
      for (const [i, step] of plan.steps.entries()) {
        const status = (state: EventPayload<'tx.status'>['state'], hash: string | null, error: string | null) =>
          this.events.emit('tx.status', { txId: `${requestId}:${i + 1}`, requestId, label: step.description, step: i + 1, steps: plan.steps.length, state, hash, error });
        status('signing', null, null);
        try {
          const sent = await signer.sendTransaction({ ...step.tx, chainId: plan.chainId });
          status('pending', sent.hash, null);
          const receipt = await waitForReceipt(this.ctx.provider, sent.hash);
          if (!receipt || receipt.status !== 1) throw new Error('The transaction was reverted.');
          hashes.push(sent.hash);
          status('mined', sent.hash, null);
        } catch (e) {
          const message = describeTxError(e, this.errorAbis);
          status('failed', null, message);
          throw new AppError('TX_FAILED', message);
        }
      }
    } finally {
      this.modelsCache = null;
    }
    return { txHashes: hashes };
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
      out.set(id, (out.get(id) ?? 0n) + BigInt(log.args.amountWei));
    }
    return out;
  }
}

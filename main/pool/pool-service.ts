import { randomUUID } from 'node:crypto';
import { Contract, Interface, type JsonRpcProvider, type TransactionRequest } from 'ethers';
import { AppError, type ApiOutput, type EventPayload } from '../../shared/api';
import { formatNmr } from '../../shared/money';
import type { EventBus } from '../ipc/events';
import type { WalletService } from '../wallet/wallet-service';
import { describeTxError } from '../chain/tx-errors';
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
type Step = { kind: 'reset-approval' | 'approve' | 'delegate'; description: string; tx: TransactionRequest };

// When a delegate cannot be simulated yet (its approval is not on chain), this bounds its gas.
const DELEGATE_GAS_BOUND = 250_000n;

/**
 * The holder's side of the pool: read models and positions, and turn an intent ("delegate these
 * amounts") into the exact transactions, which main signs. The review and the sending are built by
 * the same `plan()`, so what the user saw is what gets signed.
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

  /** The transactions that carry out an allocation, including NMR's approve rule. */
  private async plan(holder: string, allocations: Allocation[]): Promise<{ steps: Step[]; total: bigint; names: Map<number, OnChainModel> }> {
    const names = new Map<number, OnChainModel>();
    let total = 0n;
    for (const a of allocations) {
      const m = await this.model(a.modelId);
      if (a.amountWei <= 0n) throw new AppError('BAD_INPUT', 'Each amount must be above zero.');
      const room = m.capWei - m.stakeWei - m.pendingInWei;
      if (a.amountWei > room) {
        throw new AppError('BAD_INPUT', `${m.name} has room for only ${formatNmr(room > 0n ? room : 0n)} more NMR.`);
      }
      names.set(a.modelId, m);
      total += a.amountWei;
    }
    const allowance = BigInt(await this.token.getFunction('allowance')(holder, this.ctx.poolAddress));
    const steps: Step[] = [];
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
    const desc = allocations.map((a) => `${formatNmr(a.amountWei)} NMR to ${names.get(a.modelId)!.name}`).join(', ');
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
    });
    return { steps, total, names };
  }

  private async feePerGas(): Promise<bigint> {
    const fee = await this.ctx.provider.getFeeData();
    return fee.maxFeePerGas ?? fee.gasPrice ?? 1_000_000_000n;
  }

  async review(allocations: Allocation[]): Promise<ApiOutput<'pool.reviewDelegate'>> {
    const holder = this.wallet.address();
    const [{ steps, total, names }, bal, round, lock, feePerGas] = await Promise.all([
      this.plan(holder, allocations),
      this.balances(holder),
      this.currentRound(),
      this.lockRounds(),
      this.feePerGas(),
    ]);
    let gas = 0n;
    for (const s of steps) {
      if (s.kind === 'delegate' && steps.length > 1) gas += DELEGATE_GAS_BOUND * BigInt(allocations.length);
      else {
        try {
          gas += await this.ctx.provider.estimateGas({ ...s.tx, from: holder });
        } catch {
          gas += DELEGATE_GAS_BOUND;
        }
      }
    }
    return {
      allocations: allocations.map((a) => ({
        modelId: a.modelId,
        amountWei: a.amountWei.toString(),
        name: names.get(a.modelId)!.name,
        feeBps: names.get(a.modelId)!.feeBps,
      })),
      totalWei: total.toString(),
      balanceWei: bal.nmrWei.toString(),
      steps: steps.map(({ kind, description }) => ({ kind, description })),
      gasCostWei: (gas * feePerGas).toString(),
      ethBalanceWei: bal.ethWei.toString(),
      currentRound: round,
      atRiskFromRound: round + 1,
      lockRounds: lock,
    };
  }

  /** Signs and sends each step in order, reporting live status; stops at the first failure. */
  async delegate(allocations: Allocation[]): Promise<{ txHashes: string[] }> {
    const signer = this.wallet.signer(this.ctx.provider);
    const { steps, total } = await this.plan(signer.address, allocations);
    const { nmrWei } = await this.balances(signer.address);
    if (nmrWei < total) {
      throw new AppError('INSUFFICIENT_FUNDS', `You have ${formatNmr(nmrWei)} NMR; this needs ${formatNmr(total)}.`);
    }
    const hashes: string[] = [];
    for (const [i, step] of steps.entries()) {
      const txId = randomUUID();
      const status = (state: EventPayload<'tx.status'>['state'], hash: string | null, error: string | null) =>
        this.events.emit('tx.status', { txId, label: step.description, step: i + 1, steps: steps.length, state, hash, error });
      status('signing', null, null);
      try {
        const sent = await signer.sendTransaction(step.tx);
        status('pending', sent.hash, null);
        const receipt = await sent.wait(1);
        if (!receipt || receipt.status !== 1) throw new Error('The transaction was reverted.');
        hashes.push(sent.hash);
        status('mined', sent.hash, null);
      } catch (e) {
        const message = describeTxError(e, this.errorAbis);
        status('failed', null, message);
        throw new AppError('TX_FAILED', message);
      } finally {
        this.modelsCache = null;
      }
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

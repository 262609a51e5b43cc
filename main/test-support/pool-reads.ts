import { AppError } from '../../shared/api';
import type { OnChainModel } from '../pool/pool-service';
import type { PlanContext, PoolReads } from '../tx/intents';

export const NMR = 10n ** 18n;
export const POOL = '0x' + '9'.repeat(40);
export const TOKEN = '0x' + '7'.repeat(40);
export const HOLDER = '0x' + 'a'.repeat(40);

export function onChainModel(modelId: number, over: Partial<OnChainModel> = {}): OnChainModel {
  return {
    modelId,
    name: `model_${modelId}`,
    operator: '0x' + 'c'.repeat(40),
    feeBps: 1000,
    capWei: 1000n * NMR,
    stakeWei: 100n * NMR,
    pendingInWei: 0n,
    ...over,
  };
}

/** A pool that answers from memory: one share is worth `pricePerShare` wei. */
export function fakeReads(
  opts: {
    models?: OnChainModel[];
    allowanceWei?: bigint;
    positions?: Record<number, { shares: bigint; withdrawableWei: bigint }>;
    pricePerShare?: bigint;
  } = {},
): PoolReads {
  const models = opts.models ?? [onChainModel(1), onChainModel(2)];
  const price = opts.pricePerShare ?? 2n;
  return {
    poolAddress: POOL,
    tokenAddress: TOKEN,
    model: async (id) => {
      const m = models.find((x) => x.modelId === id);
      if (!m) throw new AppError('NOT_FOUND', `There is no model number ${id} in the pool.`);
      return m;
    },
    allowance: async () => opts.allowanceWei ?? 0n,
    position: async (_holder, id) => opts.positions?.[id] ?? { shares: 0n, withdrawableWei: 0n },
    convertToShares: async (_id, amountWei) => amountWei / price,
    convertToAssets: async (_id, shares) => shares * price,
  };
}

export function planContext(over: Partial<PlanContext> = {}): PlanContext {
  return { holder: HOLDER, balances: { ethWei: 10n * NMR, nmrWei: 500n * NMR }, round: 100, lockRounds: 4, ...over };
}

import { AppError } from '../../shared/api';
import type { StakingModel } from '../pool/staking-pool-service';
import type { PoolPositionView } from '../pool/staking-pool-views';
import type { StakingPlanContext, StakingReads } from '../tx/staking-intents';

export const NMR = 10n ** 18n;
export const POOL = '0x' + '9'.repeat(40);
export const TOKEN = '0x' + '7'.repeat(40);
export const HOLDER = '0x' + 'a'.repeat(40);

/** A pool model: 1,000 NMR of NAV over 1,000 × 10^24 shares (one share ≈ 10^-6 wei), nothing at Numerai. */
export function stakingModel(modelId: number, over: Partial<StakingModel> = {}): StakingModel {
  return {
    modelId,
    name: `model_${modelId}`,
    id: BigInt(modelId),
    numeraiModelId: '0x' + modelId.toString(16).padStart(64, 'a'),
    operator: '0x' + 'c'.repeat(40),
    feeBps: 1000n,
    nextFeeBps: 1000n,
    nextFeeAt: 0n,
    capWei: 10_000n * NMR,
    navWei: 1000n * NMR,
    idleWei: 1000n * NMR,
    atStakeWei: 0n,
    totalShares: 1000n * NMR * 1_000_000n,
    exitingShares: 0n,
    pendingDepositWei: 0n,
    feesOwedWei: 0n,
    owedExitWei: 0n,
    headRound: 0n,
    lastStakedRound: 0n,
    depositEpoch: 1n,
    ...over,
  };
}

export const noPosition: PoolPositionView = {
  shares: 0n,
  valueWei: 0n,
  pendingDepositWei: 0n,
  exitingShares: 0n,
  exitingValueWei: 0n,
  unlockRound: 0n,
  withdrawableWei: 0n,
};

/** A StakingPool that answers from memory. */
export function fakeStakingReads(
  opts: {
    models?: StakingModel[];
    allowanceWei?: bigint;
    positions?: Record<number, Partial<PoolPositionView>>;
    tranches?: Record<string, bigint>;
    toClaim?: Record<number, bigint[]>;
  } = {},
): StakingReads {
  const models = opts.models ?? [stakingModel(1), stakingModel(2)];
  const find = async (id: number) => {
    const m = models.find((x) => x.modelId === id);
    if (!m) throw new AppError('NOT_FOUND', `There is no model number ${id} in the pool.`);
    return m;
  };
  return {
    poolAddress: POOL,
    tokenAddress: TOKEN,
    model: find,
    modelIdOf: async (numeraiModelId) => models.find((m) => m.numeraiModelId === numeraiModelId)?.modelId ?? 0,
    allowance: async () => opts.allowanceWei ?? 0n,
    position: async (_holder, id) => ({ ...noPosition, ...opts.positions?.[id] }),
    roundsToClaim: async (id) => opts.toClaim?.[id] ?? [],
    tranche: async (id, round) => ({ principalWei: opts.tranches?.[`${id}:${round}`] ?? 0n, feeBps: 1000n }),
  };
}

export function stakingContext(over: Partial<StakingPlanContext> = {}): StakingPlanContext {
  return { holder: HOLDER, balances: { ethWei: 10n * NMR, nmrWei: 500n * NMR }, nmrStopped: false, ...over };
}

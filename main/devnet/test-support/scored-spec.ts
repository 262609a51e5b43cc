import type { PayoutScores } from '../../numerai/demo/payout';
import type { StakingWorldSpec } from '../staking-world';

const NMR = 10n ** 18n;

/**
 * A small staking world for a test: each model with its fee and the fixed scores Numerai resolves it
 * with (null: Numerai selects no submission of it), a cap far above what the demo holders delegate.
 */
export function scoredWorldSpec(
  models: readonly { name: string; feeBps: number; scores: PayoutScores | null }[],
  rest: Pick<StakingWorldSpec, 'firstRoundId' | 'historyRounds' | 'holderDelegationWei'>,
): StakingWorldSpec {
  const byName = new Map(models.map((m) => [m.name, m.scores]));
  return {
    models: models.map((m) => ({ name: m.name, feeBps: m.feeBps, capWei: 100_000n * NMR })),
    scores: (name) => byName.get(name) ?? null,
    ...rest,
  };
}

import { AppError } from '../../../shared/api';
import { formatNmr } from '../../../shared/money';
import type { V3StakeClaim } from '../../numerai/v3-api';
import { claimToRelay } from '../../operator/claim-relay';
import { onePoolCall, stakingPoolIface, type IntentDraft, type StakingReads } from './draft';

export interface RelayClaim {
  kind: 'relay-claim';
  /** As Numerai's API gave it (`v3StakeClaim`, schema-checked in main/numerai/v3-api.ts). */
  claim: V3StakeClaim;
}

/**
 * Relaying a settled round's result to the pool (`claim`): anyone may, so a holder's app can when
 * the operator is late. Numerai's contract checks the proof and pays the pool stake + payout − burn;
 * the relayer only pays the network fee. Refused here when the claim is not the pool's or the pool
 * has nothing unsettled in that round for the model (already claimed).
 */
export async function relayClaimDraft(intent: RelayClaim, reads: StakingReads): Promise<IntentDraft> {
  const c = intent.claim;
  if (c.staker.toLowerCase() !== reads.poolAddress.toLowerCase())
    throw new AppError('BAD_INPUT', 'This result is for another staker, not for the pool.');
  const modelId = await reads.modelIdOf(c.modelId);
  if (modelId === 0) throw new AppError('NOT_FOUND', 'The pool has no model with this Numerai model id.');
  // The same reading of Numerai's answer as the operator's relay (main/operator/claim-relay.ts).
  const { roundId, payoutWei: payout, burnWei: burn, proof } = claimToRelay(c, modelId);
  const [m, tranche] = await Promise.all([reads.model(modelId), reads.tranche(modelId, roundId)]);
  if (tranche.principalWei === 0n)
    throw new AppError(
      'BAD_INPUT',
      `The pool has nothing unsettled for ${m.name} in round ${roundId}: it was claimed already or never staked.`,
    );
  if (burn > tranche.principalWei + payout)
    throw new AppError('BAD_INPUT', `This result burns more than the pool staked for ${m.name} in round ${roundId}.`);
  const back = tranche.principalWei + payout - burn;
  const result = payout >= burn ? `paid ${formatNmr(payout - burn)} NMR` : `burned ${formatNmr(burn - payout)} NMR`;
  return onePoolCall(reads, {
    title: `Claim round ${roundId} for ${m.name}`,
    lines: [
      { label: 'Model', value: m.name },
      { label: 'Round', value: String(roundId) },
      { label: 'Staked', value: `${formatNmr(tranche.principalWei)} NMR` },
      { label: 'Result', value: result },
      { label: 'Back to the pool', value: `${formatNmr(back)} NMR` },
    ],
    warnings: ['Anyone may relay this; you pay only the network fee, and the NMR goes to the pool, not to you.'],
    kind: 'claim',
    description: `Claim round ${roundId} for ${m.name}`,
    data: stakingPoolIface.encodeFunctionData('claim', [roundId, modelId, payout, burn, proof]),
  });
}

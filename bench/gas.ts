import { startAnvil } from '../contracts/test-support/anvil';
import { measureStakingGas } from '../contracts/test-support/staking-gas';
import type { Figure } from './results-file';

/**
 * Gas of the pool's main calls, measured on a fresh local EVM: `gas.delegate`, `gas.withdraw`,
 * `gas.stake_round_per_model` and `gas.claim_per_position` are StakingPool's (with the faithful NMR
 * and Numerai's staking stand-in).
 */
const met = (gas: number) => (gas <= 100_000 ? 'met' : 'not met');

export async function benchGas(): Promise<Figure[]> {
  const chain = await startAnvil({ gasLimit: 100_000_000n, accounts: 8 });
  try {
    const s = await measureStakingGas(chain.url);
    const note = 'gas used, measured on anvil (prague) against freshly deployed contracts';
    const staking = `${note}; StakingPool with LocalNMR and LocalNumeraiStaking`;
    return [
      {
        name: 'gas.delegate',
        value: s.delegate,
        unit: 'gas',
        note: `${staking}; a holder's first delegation to a model whose epoch already has deposits; first delegation of an epoch: ${s.delegate_first_in_epoch}`,
      },
      {
        name: 'gas.withdraw',
        value: s.withdraw,
        unit: 'gas',
        note: `${staking}; a converted exit, booked on the way`,
      },
      {
        name: 'gas.stake_round_per_model',
        value: s.stake_round_per_model,
        unit: 'gas',
        note: `${staking}; stakeRound over ${s.stake_round_batch} models, each converting a deposit first, ${s.stake_round_active_rounds} active rounds scanned, ÷ ${s.stake_round_batch}; of which Numerai's stand-in (stake, EIP-712 check, two fresh storage slots: the position and its submission hash, 44,200; LocalNMR's transferFrom): ${s.stake_round_per_model_numerai}; nothing to convert: ${s.stake_round_per_model_quiet}; goal ≤ 100,000 ${met(s.stake_round_per_model)} (nothing to convert: ${met(s.stake_round_per_model_quiet)}); the tranche ring this relies on is written once per model at registration: registerModel ${s.register_model}`,
      },
      {
        name: 'gas.claim_per_position',
        value: s.claim_per_position,
        unit: 'gas',
        note: `${staking}; one relayed claim of a gain (operator fee booked); of which Numerai's stand-in (proof check, NMR transfer): ${s.claim_per_position_numerai}; a loss (burn through NMR's mint): ${s.claim_loss}; a position Numerai finalized (root checked by the pool): ${s.claim_finalized}; goal ≤ 100,000 ${met(Math.max(s.claim_per_position, s.claim_loss))} (gain and loss)`,
      },
    ];
  } finally {
    await chain.stop();
  }
}

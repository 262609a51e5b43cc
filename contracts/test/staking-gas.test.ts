import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { measureStakingGas } from '../test-support/staking-gas';

describe('StakingPool gas', () => {
  let chain: Anvil;
  beforeAll(async () => {
    chain = await startAnvil({ gasLimit: 100_000_000n, accounts: 8 });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  // Goal (issue 12): ≤ 100,000 each, the Numerai stand-in included. A relayed claim meets it, a gain and a
  // loss, and so does staking with nothing to convert; staking that also converts each model's deposits
  // does not (the stand-in alone takes ~61,500 of it, see contracts/README.md "StakingPool gas").
  // These budgets hold the measured figures (107,701 and 96,274) so that a regression fails.
  it('relays a claim within 100,000 gas and stakes a round within 108,000 per model (batch of 50), Numerai stand-in included', async () => {
    const gas = await measureStakingGas(chain.url);
    console.log(`staking gas: ${JSON.stringify(gas)}`);
    expect(gas.stake_round_batch).toBe(50);
    expect(gas.stake_round_active_rounds).toBeGreaterThanOrEqual(2);
    expect(gas.stake_round_per_model).toBeLessThanOrEqual(108_000);
    expect(gas.stake_round_per_model_quiet).toBeLessThanOrEqual(96_500);
    expect(gas.stake_round_per_model_quiet).toBeLessThan(gas.stake_round_per_model);
    expect(gas.claim_per_position).toBeLessThanOrEqual(95_000);
    expect(gas.claim_loss).toBeLessThanOrEqual(97_000);
    // The stand-in's share is measured, not assumed: it is part of each figure and less than all of it.
    expect(gas.stake_round_per_model_numerai).toBeGreaterThan(21_000);
    expect(gas.stake_round_per_model_numerai).toBeLessThan(gas.stake_round_per_model);
    expect(gas.claim_per_position_numerai).toBeGreaterThan(21_000);
    expect(gas.claim_per_position_numerai).toBeLessThan(gas.claim_per_position);
    // The tranche ring is paid once, at registration: 64 fresh slots.
    expect(gas.register_model).toBeGreaterThan(64 * 22_100);
    expect(gas.register_model).toBeLessThanOrEqual(1_650_000);
    expect(gas.delegate).toBeGreaterThan(21_000);
    expect(gas.withdraw).toBeGreaterThan(21_000);
  });
});

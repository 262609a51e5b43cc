import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { measureNumeraiGas } from '../test-support/numerai-gas';

describe('gas: the Numerai stand-in’s own share', () => {
  let chain: Anvil;
  beforeAll(async () => {
    chain = await startAnvil({ gasLimit: 30_000_000n });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('leaves the pool most of its 100,000 gas per model staked (batch of 50) and per relayed claim', async () => {
    const provider = chain.provider();
    const gas = await measureNumeraiGas(provider, 50);
    provider.destroy();
    console.log(`numerai gas: ${JSON.stringify(gas)}`);
    // Two fresh slots per position (staker+amount+flag, submission hash) are ~44k of a stake; the
    // rest is signature recovery, hashing, the NMR transferFrom and the event.
    expect(gas.stake_in_batch_per_model).toBeLessThanOrEqual(70_000);
    expect(gas.claim_per_position).toBeLessThanOrEqual(50_000);
    expect(gas.claim_with_burn).toBeGreaterThan(gas.claim_payout_only); // the burn call is there
  });
});

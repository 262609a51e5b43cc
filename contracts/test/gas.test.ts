import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { measureGas } from '../test-support/gas';

describe('gas', () => {
  let chain: Anvil;
  beforeAll(async () => {
    chain = await startAnvil({ gasLimit: 100_000_000n });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('resolveRound stays within 25,000 gas per model at 100 models, even with every model converting', async () => {
    const gas = await measureGas(chain.url);
    console.log(`gas: ${JSON.stringify(gas)}`);
    expect(gas.resolve_round_per_model).toBeLessThanOrEqual(25_000);
    expect(gas.resolve_round_per_model_quiet).toBeLessThanOrEqual(25_000);
    expect(gas.delegate).toBeGreaterThan(21_000);
    expect(gas.delegate_batch_5).toBeGreaterThan(gas.delegate);
    expect(gas.withdraw).toBeGreaterThan(21_000);
  });

  // ~1 minute: GAS_1000=1 npx vitest run --project contracts contracts/test/gas.test.ts
  it.runIf(process.env.GAS_1000 === '1')(
    '1,000 models resolve in one transaction within 25,000 gas each',
    async () => {
      const gas = await measureGas(chain.url, { thousandModels: true });
      console.log(`gas: ${JSON.stringify(gas)}`);
      expect(gas.resolve_round_1000_models!).toBeLessThanOrEqual(25_000_000);
      expect(gas.resolve_round_1000_models_quiet!).toBeLessThanOrEqual(25_000_000);
    },
    600_000,
  );
});

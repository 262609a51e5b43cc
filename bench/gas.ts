import { startAnvil } from '../contracts/test-support/anvil';
import { measureGas } from '../contracts/test-support/gas';
import type { Figure } from './results-file';

/** Gas of the pool's main calls, measured on a fresh local EVM. */
export async function benchGas(): Promise<Figure[]> {
  const chain = await startAnvil();
  try {
    const g = await measureGas(chain.url);
    const note = 'gas used, measured on anvil (prague) against freshly deployed contracts';
    return [
      {
        name: 'gas.delegate',
        value: g.delegate,
        unit: 'gas',
        note: `${note}; first delegation of a round to a model: ${g.delegate_first_in_round}`,
      },
      { name: 'gas.delegate_batch_5', value: g.delegate_batch_5, unit: 'gas', note },
      {
        name: 'gas.resolve_round_100_models',
        value: g.resolve_round_100_models,
        unit: 'gas',
        note: `${note}; busiest case (every model converting deposits and exits): ${g.resolve_round_per_model} per model (goal ≤ 25,000); nothing to convert: ${g.resolve_round_100_models_quiet}`,
      },
      { name: 'gas.withdraw', value: g.withdraw, unit: 'gas', note },
    ];
  } finally {
    await chain.stop();
  }
}

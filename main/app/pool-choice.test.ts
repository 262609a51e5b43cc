import { describe, expect, it } from 'vitest';
import { demoStakingChoices } from './pool-choice';

describe('demoStakingChoices', () => {
  it('relays results and scopes every token by default', () => {
    expect(demoStakingChoices({})).toEqual({ relayClaims: true, unscopedTokenModel: null });
    expect(demoStakingChoices({ NMR_DELEGATE_DEMO_RELAY: 'on', NMR_DELEGATE_DEMO_UNSCOPED_TOKEN: ' ' })).toEqual({
      relayClaims: true,
      unscopedTokenModel: null,
    });
  });

  it('leaves results unrelayed and names the model whose token lacks the staking scope when asked', () => {
    expect(demoStakingChoices({ NMR_DELEGATE_DEMO_RELAY: ' OFF ', NMR_DELEGATE_DEMO_UNSCOPED_TOKEN: ' alpha_model ' })).toEqual({
      relayClaims: false,
      unscopedTokenModel: 'alpha_model',
    });
    expect(demoStakingChoices({ NMR_DELEGATE_DEMO_RELAY: '0' }).relayClaims).toBe(false);
  });
});

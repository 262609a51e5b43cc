import { describe, expect, it } from 'vitest';
import { demoPoolKind, demoStakingChoices } from './pool-choice';

describe('demoPoolKind', () => {
  it('runs the old DelegationPool world only when asked for by name', () => {
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'delegation' })).toBe('delegation');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: ' Delegation ' })).toBe('delegation');
  });

  it('runs the staking world otherwise', () => {
    expect(demoPoolKind({})).toBe('staking');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'staking' })).toBe('staking');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'delegationpool' })).toBe('staking');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: '' })).toBe('staking');
  });
});

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

import { describe, expect, it } from 'vitest';
import { demoPoolKind } from './pool-choice';

describe('demoPoolKind', () => {
  it('runs the staking world only when asked for by name', () => {
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'staking' })).toBe('staking');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: ' Staking ' })).toBe('staking');
  });

  it('keeps the old DelegationPool world otherwise', () => {
    expect(demoPoolKind({})).toBe('delegation');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'delegation' })).toBe('delegation');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: 'stakingpool' })).toBe('delegation');
    expect(demoPoolKind({ NMR_DELEGATE_DEMO_POOL: '' })).toBe('delegation');
  });
});

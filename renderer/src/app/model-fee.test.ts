import { describe, expect, it } from 'vitest';
import { feeText, knownFeeBps } from './model-fee';

describe('the operator fee a screen states', () => {
  it('is the pool’s for a pool model, 0% included', () => {
    expect(knownFeeBps({ modelId: 3, feeBps: 0 })).toBe(0);
    expect(feeText({ modelId: 3, feeBps: 0 })).toBe('0.0%');
    expect(feeText({ modelId: 3, feeBps: 1250 })).toBe('12.5%');
  });

  it('is the record’s outside the pool when it has one, and unknown when it has none', () => {
    expect(feeText({ modelId: null, feeBps: 1750 })).toBe('17.5%');
    expect(knownFeeBps({ modelId: null, feeBps: 0 })).toBeNull();
    expect(feeText({ modelId: null, feeBps: 0 })).toBe('—');
  });
});

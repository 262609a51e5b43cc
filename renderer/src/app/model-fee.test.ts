import { describe, expect, it } from 'vitest';
import { feeText } from './model-fee';

describe('an operator fee as the list shows it', () => {
  it('is a percentage with one decimal, 0% included, and "—" when none is known', () => {
    expect(feeText(0)).toBe('0.0%');
    expect(feeText(1250)).toBe('12.5%');
    expect(feeText(null)).toBe('—');
  });
});

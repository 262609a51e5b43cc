import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { renderConfirmPage } from '../confirm/render';
import { needsHighFeeTick } from '../tx/plan';
import { consentPlan } from './consent-plan';

describe('consentPlan', () => {
  it('is drawn in main’s window as a consent: nothing to sign now, the pool named, how to turn it off', () => {
    const pool = Wallet.createRandom().address;
    const plan = consentPlan({
      account: Wallet.createRandom().address,
      pool,
      chainId: 31337,
      networkLabel: 'Local demo chain',
      once: false,
    });
    expect(plan.steps).toEqual([]);
    expect(needsHighFeeTick(plan)).toBe(false);
    const html = renderConfirmPage(plan, '/confirm/x', 'csrf');
    expect(html).toContain('Confirming signs nothing now.');
    expect(html).not.toContain('You will sign');
    expect(html).toContain(pool);
    expect(html).toContain('Settings → Your models');
    expect(html).toContain('>Confirm</button>');
  });
});

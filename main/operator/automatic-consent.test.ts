import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { AutomaticConsent } from './automatic-consent';

const scope = { chainId: 31337, pool: Wallet.createRandom().address, account: Wallet.createRandom().address };
const file = () => join(mkdtempSync(join(tmpdir(), 'consent-')), 'automatic-staking.json');

describe('AutomaticConsent', () => {
  it('is kept per account, pool and chain, whatever the address case', () => {
    const path = file();
    const c = new AutomaticConsent(path, () => 5);
    expect(c.isOn(scope)).toBe(false);
    c.set({ ...scope, account: scope.account.toLowerCase() }, true);
    expect(new AutomaticConsent(path).isOn(scope)).toBe(true);
    expect(c.isOn({ ...scope, chainId: 1 })).toBe(false);
    expect(c.isOn({ ...scope, pool: Wallet.createRandom().address })).toBe(false);
    expect(c.isOn({ ...scope, account: Wallet.createRandom().address })).toBe(false);
    c.set(scope, false);
    expect(c.isOn(scope)).toBe(false);
  });

  it('reads a damaged or hand-edited file as no consent', () => {
    const path = file();
    writeFileSync(path, '{ "version": 1, "consents": [');
    expect(new AutomaticConsent(path).isOn(scope)).toBe(false);
    writeFileSync(path, JSON.stringify({ version: 1, consents: [{ ...scope, since: 1, extra: true }] }));
    expect(new AutomaticConsent(path).isOn(scope)).toBe(false);
  });

  it('lets one confirmed run act until it ends, without turning the standing consent on', () => {
    const c = new AutomaticConsent(file());
    const a = c.grantOnce(scope);
    const b = c.grantOnce(scope);
    expect(c.allows(scope)).toBe(true);
    expect(c.isOn(scope)).toBe(false);
    a();
    a();
    expect(c.allows(scope)).toBe(true);
    b();
    expect(c.allows(scope)).toBe(false);
  });
});

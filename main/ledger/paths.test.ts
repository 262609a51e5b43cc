import { describe, expect, it } from 'vitest';
import { checkLedgerPath, ledgerPath } from './paths';

describe('Ledger derivation paths', () => {
  it('makes Ledger Live’s and the legacy paths, and reads them back', () => {
    expect(ledgerPath('ledger-live', 3)).toBe("m/44'/60'/3'/0/0");
    expect(ledgerPath('legacy', 3)).toBe("m/44'/60'/0'/3");
    expect(checkLedgerPath("m/44'/60'/3'/0/0")).toEqual({ scheme: 'ledger-live', index: 3 });
    expect(checkLedgerPath("m/44'/60'/0'/3")).toEqual({ scheme: 'legacy', index: 3 });
    // Account 0 of Ledger Live is not the legacy account 0.
    expect(checkLedgerPath("m/44'/60'/0'/0/0").scheme).toBe('ledger-live');
  });

  it('refuses other paths and account numbers out of range', () => {
    for (const p of ["m/44'/0'/0'/0/0", "44'/60'/0'/0/0", "m/44'/60'/0'/0/1", "m/44'/60'/0'/1'", "m/44'/60'/2147483648'/0/0", ''])
      expect(() => checkLedgerPath(p), p).toThrow(/Not a Ledger Ethereum account path/);
    expect(() => ledgerPath('legacy', -1)).toThrow(/No account number/);
    expect(() => ledgerPath('legacy', 2 ** 31)).toThrow(/No account number/);
    expect(() => ledgerPath('legacy', 1.5)).toThrow(/No account number/);
  });
});

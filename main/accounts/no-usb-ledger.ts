import { AppError } from '../../shared/api';
import type { LedgerConnector } from './external-signers';

/**
 * The Ledger connector of a place with no USB (the browser harness): it says why, and every other
 * call refuses with the same words. The desktop app gets the real one (main/ledger/).
 */
export function noUsbLedger(reason: string): LedgerConnector {
  const refuse = (): never => {
    throw new AppError('NOT_AVAILABLE', reason);
  };
  return {
    availability: async () => ({ ok: false, reason }),
    addresses: async () => refuse(),
    verifyOnDevice: async () => refuse(),
    signer: () => refuse(),
  };
}

export const HARNESS_NO_USB = 'The browser version has no USB access: connect a Ledger in the desktop app.';

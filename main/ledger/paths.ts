import { AppError } from '../../shared/api/errors';
import type { LedgerScheme } from '../accounts/external-signers';

/** The most accounts one `addresses()` call reads: each is a round trip to the device (~50–100 ms). */
export const MAX_ADDRESSES_PER_READ = 20;
/** Account numbers stay below the hardened offset (2^31): the path's own index space. */
const MAX_INDEX = 0x7fffffff;

/**
 * The derivation path of account `index` under a scheme: Ledger Live's puts the account in the
 * hardened third level (m/44'/60'/i'/0/0); the legacy one (MyEtherWallet, old Ledger Chrome app)
 * counts at the last level (m/44'/60'/0'/i).
 */
export function ledgerPath(scheme: LedgerScheme, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_INDEX) throw new AppError('BAD_INPUT', `No account number ${index}.`);
  return scheme === 'ledger-live' ? `m/44'/60'/${index}'/0/0` : `m/44'/60'/0'/${index}`;
}

const LEDGER_LIVE = /^m\/44'\/60'\/(\d+)'\/0\/0$/;
const LEGACY = /^m\/44'\/60'\/0'\/(\d+)$/;

/**
 * Only the paths the two schemes make are accepted: a path from elsewhere (a typo, another coin's
 * 44'/0') would have the device derive an address nobody meant.
 */
export function checkLedgerPath(path: string): { scheme: LedgerScheme; index: number } {
  const live = LEDGER_LIVE.exec(path);
  const legacy = LEGACY.exec(path);
  const m = live ?? legacy;
  const index = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(index) || index > MAX_INDEX)
    throw new AppError('BAD_INPUT', `Not a Ledger Ethereum account path: ${path.slice(0, 60)}`);
  return { scheme: live ? 'ledger-live' : 'legacy', index };
}

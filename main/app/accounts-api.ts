import type { Handlers } from '../ipc/router';
import type { AccountRegistry } from '../accounts';

/** The account list of Settings → Wallet: the key on this computer, WalletConnect wallets, Ledger accounts. */
export function accountsHandlers({
  accounts,
}: {
  accounts: AccountRegistry;
}): Pick<Handlers, 'accounts.list' | 'accounts.use' | 'accounts.pairWalletConnect' | 'accounts.remove' | 'accounts.addLedger'> {
  return {
    'accounts.list': () => accounts.list(),
    'accounts.use': ({ id }) => accounts.use(id),
    'accounts.pairWalletConnect': () => accounts.pairWalletConnect(),
    'accounts.remove': ({ id }) => accounts.remove(id),
    'accounts.addLedger': ({ scheme, index }) => accounts.addLedger(scheme, index),
  };
}

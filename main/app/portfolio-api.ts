import { Wei } from '../../shared/money';
import type { Handlers } from '../ipc/router';
import type { HolderAccount } from '../accounts';
import type { ChainSession } from './chain-session';

export interface PortfolioApiDeps {
  session: () => Promise<ChainSession>;
  accounts: Pick<HolderAccount, 'address'>;
}

/** What the account in use holds now: its balances and its positions in the session's pool (the returns are history-api's). */
export function portfolioHandlers({ session, accounts }: PortfolioApiDeps): Pick<Handlers, 'account.balances' | 'portfolio.staking'> {
  return {
    'account.balances': async () => {
      const address = await accounts.address();
      const b = await (await session()).tx.balances(address);
      return { address, ethWei: Wei.encode(b.ethWei), nmrWei: Wei.encode(b.nmrWei) };
    },
    'portfolio.staking': async () => (await session()).staking.portfolio(await accounts.address()),
  };
}

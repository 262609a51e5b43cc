import { Wei } from '../../shared/money';
import type { Handlers } from '../ipc/router';
import type { HolderAccount } from '../accounts';
import { eraseDevnet } from './chain-session';
import type { Sessions } from './sessions';

const FAUCET_NMR = 1_000n * 10n ** 18n;
const FAUCET_ETH = 10n ** 18n;

export interface DevnetApiDeps {
  sessions: Sessions;
  /** Demo NMR goes to the account in use, whichever kind it is. */
  accounts: Pick<HolderAccount, 'address'>;
  userDataDir: string;
}

/** The local demo chain's own calls: demo NMR, the next round now, a fresh chain. NOT_AVAILABLE on a real network. */
export function devnetHandlers(deps: DevnetApiDeps): Pick<Handlers, 'faucet.request' | 'devnet.advanceRound' | 'devnet.reset'> {
  const { sessions, accounts } = deps;
  return {
    'faucet.request': async () => {
      const s = await sessions.requireLocal('Demo NMR exists');
      const address = await accounts.address();
      await s.local.faucet(address, FAUCET_NMR, FAUCET_ETH);
      const b = await s.tx.balances(address);
      return { nmrWei: Wei.encode(FAUCET_NMR), ethWei: Wei.encode(FAUCET_ETH), balanceNmrWei: Wei.encode(b.nmrWei) };
    },
    'devnet.advanceRound': async () => {
      const step = await sessions.advanceRound();
      return { resolvedRound: step.resolvedRound, currentRound: step.currentRound, happened: step.happened, warnings: step.warnings };
    },
    'devnet.reset': async () => {
      await sessions.requireLocal();
      return sessions.switchTo({ kind: 'local' }, () => eraseDevnet(deps.userDataDir));
    },
  };
}

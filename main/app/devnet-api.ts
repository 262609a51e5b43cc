import { AppError } from '../../shared/api';
import { Wei } from '../../shared/money';
import { faucet } from '../devnet/world';
import type { Handlers } from '../ipc/router';
import type { WalletService } from '../wallet/wallet-service';
import { eraseDevnet } from './chain-session';
import type { Sessions } from './sessions';

const FAUCET_NMR = 1_000n * 10n ** 18n;
const FAUCET_ETH = 10n ** 18n;

export interface DevnetApiDeps {
  sessions: Sessions;
  wallet: WalletService;
  userDataDir: string;
}

/** The local demo chain's own calls: demo NMR, the next round now, a fresh chain. NOT_AVAILABLE on a real network. */
export function devnetHandlers(deps: DevnetApiDeps): Pick<Handlers, 'faucet.request' | 'devnet.advanceRound' | 'devnet.reset'> {
  const { sessions, wallet } = deps;
  return {
    'faucet.request': async () => {
      const s = await sessions.current();
      if (!s.devnet) throw new AppError('NOT_AVAILABLE', 'Demo NMR exists only on the local demo chain.');
      const address = wallet.address();
      await faucet(s.devnet, address, FAUCET_NMR, FAUCET_ETH);
      const b = await s.pool.balances(address);
      return { nmrWei: Wei.encode(FAUCET_NMR), ethWei: Wei.encode(FAUCET_ETH), balanceNmrWei: Wei.encode(b.nmrWei) };
    },
    'devnet.advanceRound': async () => {
      const resolvedRound = await sessions.advanceRound();
      return { resolvedRound, currentRound: resolvedRound + 1 };
    },
    'devnet.reset': async () => {
      await sessions.requireLocal();
      return sessions.switchTo({ kind: 'local' }, () => eraseDevnet(deps.userDataDir));
    },
  };
}

import { StakingPortfolioWei } from '../../shared/api';
import type { Handlers } from '../ipc/router';
import type { Notifier, NotifierChain } from '../notifications';
import type { ChainSession } from './chain-session';

/** The history's page size the notifier reads results in (newest first, until it reaches its cursor). */
const RESULTS_PAGE = 500;

/** The notifications the holder reads under the bell. Main alone adds them (main/notifications). */
export function notificationsHandlers({
  notifier,
}: {
  notifier: Notifier;
}): Pick<Handlers, 'notifications.list' | 'notifications.markRead' | 'notifications.markAllRead'> {
  return {
    'notifications.list': async () => notifier.list(),
    'notifications.markRead': async ({ id }) => notifier.markRead(id),
    'notifications.markAllRead': async () => notifier.markAllRead(),
  };
}

const chains = new WeakMap<ChainSession, NotifierChain>();

/** What the notifier reads of a session: its chain's key (read once), the history's result rows, the positions. */
export function notifierChain(s: ChainSession): NotifierChain {
  const known = chains.get(s);
  if (known) return known;
  let key: Promise<string> | null = null;
  const chain: NotifierChain = {
    key() {
      key ??= s.tx.firstBlockHash().then(
        (hash) => `${s.tx.network().chainId}-${hash.slice(2, 18)}`,
        (e: unknown) => {
          key = null;
          throw e;
        },
      );
      return key;
    },
    async results(accounts, afterBlock) {
      const rows = [];
      let asOfBlock: number | null = null;
      for (let offset = 0; ; offset += RESULTS_PAGE) {
        const page = await s.history.entries([...accounts], {
          accounts: null,
          modelIds: null,
          kinds: ['payout', 'fee', 'burn'],
          fromMs: null,
          toMs: null,
          order: 'newest',
          offset,
          limit: RESULTS_PAGE,
          asOfBlock,
        });
        asOfBlock = page.asOfBlock;
        const fresh = page.rows.filter((r) => r.block > afterBlock);
        rows.push(...fresh);
        if (fresh.length < page.rows.length || page.rows.length < RESULTS_PAGE) return { rows, asOfBlock };
      }
    },
    async positions(account) {
      return StakingPortfolioWei.decode(await s.staking.portfolio(account)).positions;
    },
  };
  chains.set(s, chain);
  return chain;
}

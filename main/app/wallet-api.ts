import { join } from 'node:path';
import type { ApiOutput } from '../../shared/api';
import type { Delivery } from '../history/history-service';
import type { Handlers } from '../ipc/router';
import { writeFileAtomic } from '../store/atomic-file';
import type { LockReason } from '../wallet';
import type { WalletService } from '../wallet/wallet-service';
import type { PhraseWindows } from './phrase-windows';

/** How long a "Show my recovery phrase" window keeps showing the words. */
const REVEAL_TTL_MS = 10 * 60_000;

export interface WalletApiDeps {
  wallet: WalletService;
  phrases: PhraseWindows;
  /** Locks the wallet and withdraws every phrase window. */
  lock(reason: LockReason): ApiOutput<'wallet.lock'>;
  /** Keystore backups are written to `<userDataDir>/exports` and then delivered. */
  userDataDir: string;
  deliver: Delivery;
}

type WalletMethods =
  | 'wallet.status'
  | 'wallet.createDraft'
  | 'wallet.confirmCreate'
  | 'wallet.unlock'
  | 'wallet.lock'
  | 'wallet.importPhrase'
  | 'wallet.importPrivateKey'
  | 'wallet.importKeystore'
  | 'wallet.accounts'
  | 'wallet.addAccount'
  | 'wallet.selectAccount'
  | 'wallet.exportKeystore'
  | 'wallet.revealPhrase';

/** The wallet calls: create (the phrase shown in main's own window), import, unlock and lock, accounts, backups. */
export function walletHandlers(deps: WalletApiDeps): Pick<Handlers, WalletMethods> {
  const { wallet, phrases } = deps;
  return {
    'wallet.status': async () => wallet.status(),
    'wallet.createDraft': async ({ words }) => {
      const display = phrases.ready();
      const draft = wallet.createDraft(words);
      const { phraseUrl } = await display.show({
        key: `draft:${draft.draftId}`,
        purpose: 'create',
        words: draft.words,
        expires: draft.expires,
      });
      return { draftId: draft.draftId, wordCount: words, confirmPositions: draft.confirmPositions, phraseUrl };
    },
    'wallet.confirmCreate': async ({ draftId, password, confirmations }) => {
      const state = await wallet.confirmCreate(draftId, password, confirmations);
      phrases.forget(`draft:${draftId}`);
      return state;
    },
    'wallet.unlock': async ({ password }) => wallet.unlock(password),
    'wallet.lock': async () => deps.lock('user'),
    'wallet.importPhrase': async ({ phrase, password }) => wallet.importPhrase(phrase, password),
    'wallet.importPrivateKey': async ({ privateKey, password }) => wallet.importPrivateKey(privateKey, password),
    'wallet.importKeystore': async ({ json, filePassword, password }) => wallet.importKeystore(json, filePassword, password),
    'wallet.accounts': async () => wallet.accounts(),
    'wallet.addAccount': async ({ index }) => wallet.addAccount(index),
    'wallet.selectAccount': async ({ index }) => wallet.selectAccount(index),
    'wallet.exportKeystore': async ({ password }) => {
      const json = await wallet.exportKeystore(password);
      const dir = join(deps.userDataDir, 'exports');
      const fileName = `nmr-delegate-keystore-${wallet.address().slice(2, 10).toLowerCase()}.json`;
      writeFileAtomic(join(dir, fileName), json);
      const delivered = await deps.deliver(join(dir, fileName), fileName, 'application/json');
      return { fileName, ...delivered };
    },
    'wallet.revealPhrase': async ({ password }) => {
      const display = phrases.ready();
      const words = await wallet.revealPhrase(password);
      const { phraseUrl } = await display.show({ key: 'reveal', purpose: 'reveal', words, expires: Date.now() + REVEAL_TTL_MS });
      return { wordCount: words.length === 24 ? 24 : 12, phraseUrl };
    },
  };
}

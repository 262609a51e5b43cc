import { ledgerPath } from '../ledger/paths';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { Provider } from 'ethers';
import { z } from 'zod';
import { AccountId, AppError, LedgerScheme, type AccountsList, type AccountView } from '../../shared/api';
import { Address } from '../../shared/api/primitives';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import { writeFileAtomic } from '../store/atomic-file';
import type { WalletService } from '../wallet/wallet-service';
import type { WalletConnectService, WalletConnectSession } from '../walletconnect';
import type { AccountSigner, HolderAccount, LedgerConnector } from './external-signers';

const LedgerAccount = z.strictObject({ path: z.string().max(60), address: Address, scheme: LedgerScheme });
type LedgerAccount = z.infer<typeof LedgerAccount>;

/** What is kept across restarts: which account is in use, and the Ledger accounts added (WalletConnect's sessions are the SDK's). */
const AccountsFile = z.strictObject({
  version: z.literal(1),
  inUse: AccountId,
  ledger: z.array(LedgerAccount).max(50),
});
type AccountsFile = z.infer<typeof AccountsFile>;

const KEY: AccountId = 'key';
const wcId = (topic: string): AccountId => `wc:${topic}`;
const ledgerId = (path: string): AccountId => `ledger:${path}`;

export { ledgerPath };

export interface AccountRegistryDeps {
  /** <userData>/accounts.json */
  file: string;
  wallet: Pick<WalletService, 'status' | 'address' | 'unlockedAddress' | 'signer' | 'accounts'>;
  walletconnect: WalletConnectService;
  ledger: LedgerConnector;
  /** The chain of the network in use: a wallet is paired for it. */
  chainId: () => Promise<number>;
  events: EventBus;
  log: Pick<Logger, 'warn' | 'info'>;
}

/**
 * The accounts a holder signs with, of three kinds, and which one is in use (kept in the user-data
 * folder, validated when read). The holder's transactions, balances and positions follow the account
 * in use; the operator's own work keeps the key on this computer.
 */
export class AccountRegistry implements HolderAccount {
  private saved: AccountsFile;

  constructor(private readonly deps: AccountRegistryDeps) {
    this.saved = readAccountsFile(deps.file, deps.log);
    deps.walletconnect.onChange(() => deps.events.emit('accounts.changed', {}));
    // Sessions kept from the last run are listed (and usable) once the SDK has read them.
    void deps.walletconnect
      .resume()
      .catch((e: unknown) =>
        deps.log.warn('walletconnect.resume_failed', { error: e instanceof Error ? e.message.slice(0, 200) : 'unknown' }),
      );
  }

  async list(): Promise<AccountsList> {
    const wc = await this.wcSessions();
    const w = this.deps.wallet.status();
    const key: AccountView = {
      id: KEY,
      kind: 'key',
      label: 'Key on this computer',
      address: w.address,
      detail: w.state === 'none' ? 'No key yet' : w.state === 'locked' ? 'Locked: unlock it to sign' : null,
    };
    const accounts: AccountView[] = [
      key,
      ...wc.map((s): AccountView => ({
        id: wcId(s.topic),
        kind: 'walletconnect',
        label: `WalletConnect: ${s.walletName}`,
        address: s.address,
        detail: `Connected for chain ${s.chainIds.join(', ')}`,
      })),
      ...this.goneWallet(wc),
      ...this.saved.ledger.map((l): AccountView => ({
        id: ledgerId(l.path),
        kind: 'ledger',
        label: 'Ledger',
        address: l.address,
        detail: l.path,
      })),
    ];
    return {
      inUse: this.inUseNow(),
      accounts,
      walletconnect: this.deps.walletconnect.availability(),
      ledger: await this.deps.ledger.availability(),
      pairing: this.deps.walletconnect.pairingState(),
    };
  }

  async use(id: AccountId): Promise<AccountsList> {
    const known = (await this.list()).accounts.some((a) => a.id === id);
    if (!known) throw new AppError('NOT_FOUND', 'That account is not in the list any more.');
    this.save({ ...this.saved, inUse: id });
    return this.list();
  }

  /** Shows a new pairing code; once the wallet approves, its account is added and put in use. */
  async pairWalletConnect(): Promise<AccountsList> {
    await this.deps.walletconnect.pair(await this.deps.chainId(), (s) => this.save({ ...this.saved, inUse: wcId(s.topic) }));
    return this.list();
  }

  async remove(id: AccountId): Promise<AccountsList> {
    if (id === KEY) throw new AppError('BAD_INPUT', 'The key on this computer stays in the list.');
    if (id.startsWith('wc:')) await this.deps.walletconnect.disconnect(id.slice(3));
    else this.save({ ...this.saved, ledger: this.saved.ledger.filter((l) => ledgerId(l.path) !== id) });
    if (this.saved.inUse === id) this.save({ ...this.saved, inUse: KEY });
    return this.list();
  }

  /** Reads the address of a Ledger account, has the person approve it on the device, and adds it. */
  async addLedger(scheme: z.infer<typeof LedgerScheme>, index: number): Promise<AccountsList> {
    await this.ledgerReady();
    const path = ledgerPath(scheme, index);
    const [read] = await this.deps.ledger.addresses(scheme, index, 1);
    if (!read || read.path !== path) throw new AppError('INTERNAL', 'The Ledger gave an address for another path.');
    const shown = await this.deps.ledger.verifyOnDevice(path);
    if (shown.toLowerCase() !== read.address.toLowerCase())
      throw new AppError('BAD_CONFIRMATION', 'The address on the device differs from the one read: it was not added.');
    const ledger = [...this.saved.ledger.filter((l) => l.path !== path), { path, address: read.address, scheme }];
    this.save({ ...this.saved, ledger, inUse: ledgerId(path) });
    return this.list();
  }

  /** Every address of every kind: the key's accounts, then the wallets' and Ledger's (for "all accounts" in the history). */
  async allAddresses(): Promise<string[]> {
    const keys = this.deps.wallet.status().state === 'none' ? [] : this.deps.wallet.accounts().accounts.map((a) => a.address);
    const others = (await this.list()).accounts.flatMap((a) => (a.kind !== 'key' && a.address ? [a.address] : []));
    const all = [...new Set([...keys, ...others])];
    if (!all.length) throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one, or connect one, first.');
    return all;
  }

  // ── the account in use, as the holder's transactions need it ──────────────────────────────────

  async address(): Promise<string> {
    const a = await this.current();
    if (a.kind === 'key') return this.deps.wallet.address();
    return a.kind === 'walletconnect' ? a.session.address : a.account.address;
  }

  async readyAddress(): Promise<string> {
    const a = await this.current();
    if (a.kind === 'key') return this.deps.wallet.unlockedAddress();
    if (a.kind === 'walletconnect') return (await this.deps.walletconnect.live(a.session.topic)).address;
    await this.ledgerReady();
    return a.account.address;
  }

  async signer(provider: Provider): Promise<AccountSigner> {
    const a = await this.current();
    if (a.kind === 'key') return { mode: 'sign', signer: this.deps.wallet.signer(provider) };
    if (a.kind === 'walletconnect')
      return { mode: 'send', signer: this.deps.walletconnect.signer(await this.deps.walletconnect.live(a.session.topic)) };
    return {
      mode: 'sign',
      signer: this.deps.ledger.signer(a.account.path, a.account.address, provider),
      device: { name: 'Ledger', path: a.account.path },
    };
  }

  private async current(): Promise<
    { kind: 'key' } | { kind: 'walletconnect'; session: WalletConnectSession } | { kind: 'ledger'; account: LedgerAccount }
  > {
    const id = this.saved.inUse;
    if (id.startsWith('wc:')) {
      const session = (await this.wcSessions()).find((s) => wcId(s.topic) === id);
      // A wallet that disconnected (here or on its side) leaves nothing to sign with: say so, never fall back silently.
      if (!session)
        throw new AppError(
          'WALLET_DISCONNECTED',
          'Your wallet is no longer connected. Connect it again in Settings → Wallet, or choose another account there.',
        );
      return { kind: 'walletconnect', session };
    }
    if (id.startsWith('ledger:')) {
      const account = this.saved.ledger.find((l) => ledgerId(l.path) === id);
      if (account) return { kind: 'ledger', account };
    }
    return { kind: 'key' };
  }

  /**
   * The wallet in use when it disconnected: it stays in the list, in use and marked so, until the
   * person connects again or chooses another account (nothing falls back to another account unseen).
   */
  private goneWallet(wc: WalletConnectSession[]): AccountView[] {
    const id = this.saved.inUse;
    if (!id.startsWith('wc:') || wc.some((s) => wcId(s.topic) === id)) return [];
    return [
      {
        id,
        kind: 'walletconnect',
        label: 'WalletConnect: disconnected',
        address: null,
        detail: 'Connect your wallet again, or choose another account.',
      },
    ];
  }

  /** The id in use as the list shows it (a Ledger account no longer listed leaves the key in use). */
  private inUseNow(): AccountId {
    const id = this.saved.inUse;
    if (id.startsWith('ledger:') && !this.saved.ledger.some((l) => ledgerId(l.path) === id)) return KEY;
    return id;
  }

  private async wcSessions(): Promise<WalletConnectSession[]> {
    return this.deps.walletconnect.sessions().catch(() => []);
  }

  private async ledgerReady(): Promise<void> {
    const a = await this.deps.ledger.availability();
    if (!a.ok) throw new AppError('NOT_AVAILABLE', a.reason);
  }

  private save(next: AccountsFile): void {
    this.saved = next;
    writeFileAtomic(this.deps.file, JSON.stringify(next, null, 2));
    this.deps.events.emit('accounts.changed', {});
  }
}

function readAccountsFile(file: string, log: Pick<Logger, 'warn'>): AccountsFile {
  const fresh: AccountsFile = { version: 1, inUse: KEY, ledger: [] };
  if (!existsSync(file)) return fresh;
  try {
    return AccountsFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    // A damaged list is set aside: the key on this computer is in use until the person chooses again.
    renameSync(file, `${file}.damaged-${Date.now()}`);
    log.warn('accounts.file_damaged', { error: e instanceof Error ? e.message.slice(0, 200) : 'unreadable' });
    return fresh;
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SignClient } from '@walletconnect/sign-client';
import type { SessionTypes } from '@walletconnect/types';
import { getAddress, toBeHex } from 'ethers';
import { AppError } from '../../shared/api';
import { TxHash } from '../../shared/api/primitives';
import type { SendingSigner, WalletTx } from '../accounts/external-signers';
import type { Logger } from '../log/logger';
import type { WalletConnectConfig } from './config';
import { FileKeyValueStorage } from './file-storage';

type Client = Awaited<ReturnType<typeof SignClient.init>>;

/** One wallet connected over WalletConnect, as the account list shows it. */
export interface WalletConnectSession {
  topic: string;
  walletName: string;
  /** Its first account: the address this app uses with it. */
  address: string;
  chainIds: number[];
}

export type PairingState = { state: 'waiting'; uri: string } | { state: 'failed'; error: string } | null;

/** What the app's own page says about itself to the wallet (shown there when it asks to connect). */
const METADATA = {
  name: 'NMR Delegate',
  description: 'Delegate NMR to Numerai models you trust.',
  url: 'https://nmrdelegate.org',
  icons: [],
};
/** Only the one method main needs: the wallet signs and broadcasts each confirmed step. */
const METHODS = ['eth_sendTransaction'];
const EVENTS = ['accountsChanged', 'chainChanged'];
const USER_REJECTED = new Set([4001, 5000, 5002]);

/**
 * WalletConnect v2 in main (the page never talks to a wallet): pairs with a `wc:` URI, keeps the
 * sessions in the user-data folder (they survive restarts), sends each confirmed step as
 * `eth_sendTransaction` with its exact fields, and turns every way a wallet can fail into plain words.
 * The SDK's hosted extras are off: no telemetry; its verify service is only used in a browser, and
 * main is not one. The project id stays in main (never in answers or logs).
 */
export class WalletConnectService {
  private client: Promise<Client> | null = null;
  private pairing: PairingState = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly config: WalletConnectConfig,
    /** Where the SDK keeps its sessions: <userData>/walletconnect/. */
    private readonly dir: string,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
  ) {}

  /** Whether WalletConnect can be used here, and if not, what to do about it. */
  availability(): { ok: true } | { ok: false; reason: string } {
    return this.config.projectId
      ? { ok: true }
      : {
          ok: false,
          reason:
            'WalletConnect needs a project id: get one free at cloud.reown.com, then start the app with NMR_DELEGATE_WC_PROJECT_ID set to it.',
        };
  }

  /** Called whenever sessions or the pairing change (a wallet approved, disconnected, a pairing failed). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts the SDK when sessions were kept from an earlier run, so they are listed and usable. */
  async resume(): Promise<void> {
    if (existsSync(this.storageFile()) && this.availability().ok) await this.sdk();
  }

  private storageFile(): string {
    return join(this.dir, 'storage.json');
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  private sdk(): Promise<Client> {
    // The SDK shares one core per storage prefix through globalThis (meant for a page that inits
    // twice); an app closed and built again in the same process (a restart in tests) would get the
    // closed one back. Each service here owns its client.
    process.env.DISABLE_GLOBAL_CORE = 'true';
    const projectId = this.config.projectId;
    if (!projectId) return Promise.reject(new AppError('NEEDS_SETUP', (this.availability() as { reason: string }).reason));
    // Loaded on first use, not at start: the SDK and its dependencies took ~0.5 s of every start.
    this.client ??= import('@walletconnect/sign-client')
      .then(({ SignClient: Sdk }) =>
        Sdk.init({
          projectId,
          relayUrl: this.config.relayUrl,
          metadata: METADATA,
          // Our own prefix: a test wallet in the same process gets its own SDK core, not this one.
          customStoragePrefix: 'nmr-delegate',
          storage: new FileKeyValueStorage(this.storageFile(), this.log),
          telemetryEnabled: false,
          logger: 'silent',
        }),
      )
      .then((c) => {
        c.on('session_delete', () => this.changed());
        c.on('session_expire', () => this.changed());
        c.on('session_update', () => this.changed());
        return c;
      });
    // A start that failed (relay unreachable) is tried again on the next use.
    this.client.catch(() => (this.client = null));
    return this.client;
  }

  /** The sessions the SDK holds now (none before it started). */
  async sessions(): Promise<WalletConnectSession[]> {
    if (!this.client) return [];
    const c = await this.client;
    return c.session.getAll().map(view);
  }

  pairingState(): PairingState {
    return this.pairing;
  }

  /**
   * Starts a pairing for this chain and returns its `wc:` URI at once; the wallet's approval (or
   * refusal, or the URI expiring) arrives later and is told through onChange.
   */
  async pair(chainId: number, onApproved: (s: WalletConnectSession) => void): Promise<string> {
    const c = await this.sdk();
    const { uri, approval } = await c.connect({
      optionalNamespaces: { eip155: { chains: [`eip155:${chainId}`], methods: METHODS, events: EVENTS } },
    });
    if (!uri) throw new AppError('INTERNAL', 'WalletConnect gave no pairing link.');
    this.pairing = { state: 'waiting', uri };
    approval().then(
      (session) => {
        this.pairing = null;
        if (!view(session).address) {
          this.pairing = {
            state: 'failed',
            error: 'The wallet connected without sharing an account. Try again and pick an account there.',
          };
        } else {
          this.log.info('walletconnect.paired', { wallet: session.peer.metadata.name.slice(0, 80) });
          onApproved(view(session));
        }
        this.changed();
      },
      (e: unknown) => {
        // A pairing replaced by a newer one is not a failure to report.
        if (this.pairing?.state === 'waiting' && this.pairing.uri !== uri) return;
        this.pairing = { state: 'failed', error: pairingError(e) };
        this.changed();
      },
    );
    return uri;
  }

  /** Ends a session: the wallet is told, and the account leaves the list. */
  async disconnect(topic: string): Promise<void> {
    const c = await this.sdk();
    try {
      await c.disconnect({ topic, reason: { code: 6000, message: 'Disconnected in NMR Delegate' } });
    } catch (e) {
      // The wallet may be gone already: the session is forgotten here all the same.
      this.log.warn('walletconnect.disconnect_failed', { error: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
      await c.session.delete(topic, { code: 6000, message: 'Disconnected in NMR Delegate' }).catch(() => undefined);
    }
    this.changed();
  }

  /** A live session's view, or WALLET_DISCONNECTED in plain words. */
  async live(topic: string): Promise<WalletConnectSession> {
    const c = await this.sdk();
    const s = c.session.getAll().find((x) => x.topic === topic);
    if (!s || s.expiry * 1000 <= Date.now())
      throw new AppError('WALLET_DISCONNECTED', 'Your wallet is no longer connected. Connect it again in Settings → Wallet.');
    return view(s);
  }

  /** The signer for one session: each step becomes an eth_sendTransaction request the person approves in the wallet. */
  signer(session: WalletConnectSession): SendingSigner {
    return {
      address: session.address,
      walletName: session.walletName,
      sendTransaction: (tx) => this.send(session.topic, tx),
    };
  }

  private async send(topic: string, tx: WalletTx): Promise<string> {
    const c = await this.sdk();
    const s = await this.live(topic);
    const name = s.walletName;
    if (!s.chainIds.includes(tx.chainId))
      throw new AppError(
        'WRONG_CHAIN',
        `${name} is connected for another network (chain ${s.chainIds.join(', ')}), not this one (chain ${tx.chainId}). Disconnect it and connect it again while this network is chosen. Nothing was sent.`,
      );
    const accounts = accountsOn(c.session.get(topic), tx.chainId);
    if (!accounts.includes(getAddress(tx.from)))
      throw new AppError(
        'WALLET_WRONG_ACCOUNT',
        `${name} does not share the account ${tx.from} any more. Choose that account in the wallet, or connect it again. Nothing was sent.`,
      );
    const request = c.request<unknown>({
      topic,
      chainId: `eip155:${tx.chainId}`,
      request: {
        method: 'eth_sendTransaction',
        params: [
          {
            from: tx.from,
            to: tx.to,
            data: tx.data,
            value: toBeHex(tx.value),
            gas: toBeHex(tx.gasLimit),
            nonce: toBeHex(tx.nonce),
            maxFeePerGas: toBeHex(tx.maxFeePerGas),
            maxPriorityFeePerGas: toBeHex(tx.maxPriorityFeePerGas),
            chainId: toBeHex(tx.chainId),
            type: '0x2',
          },
        ],
      },
    });
    const answer = await this.answerOrFailure(c, topic, name, request);
    const hash = TxHash.safeParse(answer);
    if (!hash.success) throw new AppError('WALLET_MISMATCH', `${name} answered something that is not a transaction hash.`);
    return hash.data;
  }

  /** The wallet's answer, or why there is none: refused, no answer in time, or the session ended meanwhile. */
  private answerOrFailure(c: Client, topic: string, name: string, request: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new AppError(
                'WALLET_TIMEOUT',
                `${name} did not answer within ${Math.round(this.config.requestTimeoutMs / 60_000) || 1} minute(s). Nothing more will be sent from here; if the wallet still shows the request, reject it there.`,
              ),
            ),
          ),
        this.config.requestTimeoutMs,
      );
      const ended = ({ topic: t }: { topic: string }) =>
        t === topic &&
        done(() => reject(new AppError('WALLET_DISCONNECTED', `${name} disconnected before answering. Nothing more will be sent.`)));
      const done = (then: () => void) => {
        clearTimeout(timer);
        c.off('session_delete', ended);
        c.off('session_expire', ended);
        then();
      };
      c.on('session_delete', ended);
      c.on('session_expire', ended);
      request.then(
        (v) => done(() => resolve(v)),
        (e: unknown) => done(() => reject(walletError(e, name))),
      );
    });
  }

  /** Stops the SDK's relay connection (the app quits). Sessions stay on disk. */
  async close(): Promise<void> {
    if (!this.client) return;
    const c = await this.client.catch(() => null);
    await c?.core.relayer.transportClose().catch(() => undefined);
  }
}

function accountsOn(s: SessionTypes.Struct, chainId: number): string[] {
  const prefix = `eip155:${chainId}:`;
  return Object.values(s.namespaces)
    .flatMap((n) => n.accounts)
    .filter((a) => a.startsWith(prefix))
    .map((a) => getAddress(a.slice(prefix.length)));
}

function view(s: SessionTypes.Struct): WalletConnectSession {
  const accounts = Object.values(s.namespaces).flatMap((n) => n.accounts);
  const chainIds = [...new Set(accounts.map((a) => Number(a.split(':')[1])))].filter(Number.isSafeInteger);
  const first = accounts[0]?.split(':')[2];
  return {
    topic: s.topic,
    walletName: s.peer.metadata.name.slice(0, 80) || 'your wallet',
    address: first ? getAddress(first) : '',
    chainIds,
  };
}

function sdkMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String(e.message);
  return String(e);
}

function walletError(e: unknown, name: string): AppError {
  if (e instanceof AppError) return e;
  const code = e && typeof e === 'object' && 'code' in e ? Number(e.code) : null;
  const message = sdkMessage(e).slice(0, 300);
  if ((code !== null && USER_REJECTED.has(code)) || /reject|denied|declined|cancel/i.test(message))
    return new AppError('WALLET_REJECTED', `You rejected it in ${name}, so it was not sent.`);
  if (/expired/i.test(message))
    return new AppError('WALLET_TIMEOUT', `The request to ${name} expired before it answered. Nothing more will be sent.`);
  return new AppError('TX_FAILED', `${name} could not send it: ${message}`);
}

function pairingError(e: unknown): string {
  const message = sdkMessage(e);
  if (/reject|denied|declined/i.test(message)) return 'The wallet declined the connection.';
  if (/expired/i.test(message)) return 'The pairing code expired before a wallet used it. Show a new one.';
  return `The wallet could not connect: ${message.slice(0, 200)}`;
}

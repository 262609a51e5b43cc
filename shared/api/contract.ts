import { z } from 'zod';
import { AccountId, AccountsList, LedgerScheme } from './accounts';
import { NmrAmountString, WeiString } from '../money';
import { ClaimCheck } from './claims';
import { HistoryEntriesQuery, HistoryFilter, HistoryPage } from './history';
import { Intent } from './intent';
import type { EventName, MethodName } from './methods';
import { PortfolioPoint, PositionReturns, RETURNS_MAX_POINTS } from './returns';
import { DetailPoint, ModelRow, ModelScope, SortDir, SortKey } from './models';
import { NotificationList } from './notifications';
import { NumeraiApiToken, OperatorAsk, OperatorStatusView, OperatorTokenView } from './operator';
import { Address, Day, FiniteOrNull, ModelId, ModelName, Round, TxHash } from './primitives';
import { SettingsChoices, SettingsView } from './settings';
import { StakingPortfolio } from './staking-portfolio';
import { AddressVerdicts, RemoteNetworkInput } from './networks';

const Empty = z.strictObject({});
const Password = z.string().min(8, 'use at least 8 characters').max(1024);

export const NetworkInfo = z.strictObject({
  kind: z.enum(['local', 'remote']),
  chainId: z.number().int().positive(),
  label: z.string().max(200),
});

export const WalletStatus = z.strictObject({
  state: z.enum(['none', 'locked', 'unlocked']),
  address: Address.nullable(),
});
export type WalletStatus = z.infer<typeof WalletStatus>;

export const AccountsView = z.strictObject({
  kind: z.enum(['phrase', 'key']),
  source: z.enum(['created', 'phrase', 'private-key', 'keystore']),
  active: z.number().int().min(0),
  accounts: z.array(z.strictObject({ index: z.number().int().min(0), address: Address, path: z.string().max(100).nullable() })).max(1000),
});
export type AccountsView = z.infer<typeof AccountsView>;

export const TxStep = z.strictObject({
  // The steps main/tx/staking-intents builds, and the replacements of a waiting one.
  kind: z.enum(['approve', 'delegate', 'withdraw', 'speed-up', 'cancel', 'cancel-deposit', 'request-redeem', 'checkpoint', 'claim']),
  description: z.string().max(500),
});
export type TxStep = z.infer<typeof TxStep>;

/** A step's transaction as tx.status names it: "<requestId>:<step>" (replacements add ":r<n>"). */
const StepTxId = z.string().regex(/^[0-9a-f]{32}:\d{1,2}$/, 'not a transaction id');

/** One transaction's progress, as main reports it (the tx.status event, and tx.inFlight's answer). */
export const TxStatus = z.strictObject({
  txId: z.string().max(80),
  requestId: z.string().max(64),
  label: z.string().max(300),
  step: z.number().int().min(1),
  steps: z.number().int().min(1),
  /** mined: in a block, `confirmations` of `confirmationsNeeded`; replaced: another transaction with its nonce was mined. */
  state: z.enum(['signing', 'pending', 'mined', 'confirmed', 'failed', 'replaced']),
  hash: TxHash.nullable(),
  error: z.string().max(2000).nullable(),
  /** step: the plan's own transaction; speed-up / cancel: a replacement of `replaces` (a step's txId). */
  purpose: z.enum(['step', 'speed-up', 'cancel']),
  replaces: z.string().max(80).nullable(),
  /** Which transaction took this one's place: one of ours (original, speed-up, cancel) or one from elsewhere (hash unknown). */
  replacedBy: z.strictObject({ hash: TxHash.nullable(), by: z.enum(['original', 'speed-up', 'cancel', 'other']) }).nullable(),
  nonce: z.number().int().min(0).nullable(),
  /** When main sent it (ms since 1970), to tell how long it has been waiting. */
  sentAt: z.number().int().min(0).nullable(),
  confirmations: z.number().int().min(0),
  confirmationsNeeded: z.number().int().min(1),
  /** While signing: where the person approves it when that is not this app ("your wallet"), else null. */
  waitingFor: z.string().max(300).nullable(),
});
export type TxStatus = z.infer<typeof TxStatus>;

/** What main will ask the person to confirm: the same shape for an action and for a speed-up or cancel. */
const TxRequestView = z.strictObject({
  requestId: z.string().max(64),
  title: z.string().max(300),
  networkLabel: z.string().max(100),
  lines: z.array(z.strictObject({ label: z.string().max(200), value: z.string().max(500) })).max(60),
  warnings: z.array(z.string().max(500)).max(10),
  steps: z.array(TxStep).max(10),
  gasCostWei: WeiString,
  blocker: z.string().max(500).nullable(),
  /** The network fee is far above usual: main's confirmation will ask the person to accept it explicitly. */
  highFee: z.boolean(),
  /** Where the person confirms, when the page must open that window itself (browser harness). */
  confirmUrl: z.string().max(500).nullable(),
});

const ExportId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an export id');

/** A window main serves on its own origin (the harness); the app's page may open it, never read it. */
const PhraseUrl = z
  .string()
  .regex(/^http:\/\/127\.0\.0\.1:\d{1,5}\/phrase\/[0-9a-f]{32}$/)
  .nullable();

/**
 * A method's input and result schemas, built the first time the method is used: a start uses a
 * handful of the 55 methods, and building all of their schemas when the module loads took ~10 ms of
 * zod's constructors in main's start and as much in the page's (Node, measured alone).
 */
function call<I extends z.ZodType, O extends z.ZodType>(make: () => readonly [I, O]): { readonly input: I; readonly output: O } {
  let built: readonly [I, O] | undefined;
  return {
    get input() {
      return (built ??= make())[0];
    },
    get output() {
      return (built ??= make())[1];
    },
  };
}

/** The whole renderer ↔ main contract: input and result schema of every call. */
export const API = {
  'app.info': call(() => [
    Empty,
    z.strictObject({
      appVersion: z.string(),
      transport: z.enum(['electron', 'harness']),
      network: NetworkInfo,
      /** Something the holder should know about how the app started (e.g. a saved network was down). */
      notice: z.string().max(500).nullable(),
    }),
  ]),
  /** An error the page could not handle, for main's log (redacted and rate-limited there): the page has no log of its own. */
  'app.reportError': call(() => [
    z.strictObject({
      /** boundary: a screen crashed and its error boundary caught it; window / rejection: an error nothing caught. */
      source: z.enum(['boundary', 'window', 'rejection']),
      message: z.string().max(2000),
      stack: z.string().max(8000).nullable(),
      /** Which screen was open (the route's page name), never its data. */
      page: z.string().max(100).nullable(),
    }),
    z.strictObject({ logged: z.boolean() }),
  ]),
  'wallet.status': call(() => [Empty, WalletStatus]),
  'wallet.createDraft': call(() => [
    z.strictObject({ words: z.union([z.literal(12), z.literal(24)]) }),
    z.strictObject({
      draftId: z.string().max(64),
      /** How many words the phrase has. The words themselves never come here: main shows them in its own window. */
      wordCount: z.union([z.literal(12), z.literal(24)]),
      /** 1-based positions of the words the user must type back. */
      confirmPositions: z.array(z.number().int().min(1).max(24)).length(3),
      /** The window to open for the words (harness); null when main already opened its own (Electron). */
      phraseUrl: PhraseUrl,
    }),
  ]),
  'wallet.confirmCreate': call(() => [
    z.strictObject({
      draftId: z.string().min(1).max(64),
      password: Password,
      confirmations: z.array(z.strictObject({ position: z.number().int().min(1).max(24), word: z.string().max(32) })).length(3),
    }),
    WalletStatus,
  ]),
  'wallet.unlock': call(() => [z.strictObject({ password: z.string().min(1).max(1024) }), WalletStatus]),
  'wallet.lock': call(() => [Empty, WalletStatus]),
  'wallet.importPhrase': call(() => [z.strictObject({ phrase: z.string().min(1).max(1000), password: Password }), WalletStatus]),
  'wallet.importPrivateKey': call(() => [z.strictObject({ privateKey: z.string().min(1).max(200), password: Password }), WalletStatus]),
  'wallet.importKeystore': call(() => [
    z.strictObject({ json: z.string().min(2).max(200_000), filePassword: z.string().max(1024), password: Password }),
    WalletStatus,
  ]),
  'wallet.accounts': call(() => [Empty, AccountsView]),
  'wallet.addAccount': call(() => [z.strictObject({ index: z.number().int().min(0).max(1000).optional() }), AccountsView]),
  'wallet.selectAccount': call(() => [z.strictObject({ index: z.number().int().min(0).max(1000) }), AccountsView]),
  'wallet.exportKeystore': call(() => [
    z.strictObject({ password: z.string().min(1).max(1024) }),
    z.strictObject({
      fileName: z.string().max(200),
      savedTo: z.string().max(4096).nullable(),
      downloadUrl: z.string().max(4096).nullable(),
    }),
  ]),
  /** Checks the password, then shows the phrase in main's own window (never in this answer). */
  'wallet.revealPhrase': call(() => [
    z.strictObject({ password: z.string().min(1).max(1024) }),
    z.strictObject({ wordCount: z.union([z.literal(12), z.literal(24)]), phraseUrl: PhraseUrl }),
  ]),
  /** The accounts of every kind and the one in use (issue #17). */
  'accounts.list': call(() => [Empty, AccountsList]),
  /** Makes an account the one the holder's transactions use (and whose balances and positions are shown). */
  'accounts.use': call(() => [z.strictObject({ id: AccountId }), AccountsList]),
  /** Starts a WalletConnect pairing: the list's `pairing` holds the URI until the wallet answers (accounts.changed). */
  'accounts.pairWalletConnect': call(() => [Empty, AccountsList]),
  /** Disconnects a WalletConnect wallet or forgets a Ledger account (the key account stays). */
  'accounts.remove': call(() => [z.strictObject({ id: AccountId }), AccountsList]),
  /** Adds the Ledger account `index` of a derivation scheme, once its address was approved on the device. */
  'accounts.addLedger': call(() => [z.strictObject({ scheme: LedgerScheme, index: z.number().int().min(0).max(1000) }), AccountsList]),
  'account.balances': call(() => [Empty, z.strictObject({ address: Address, ethWei: WeiString, nmrWei: WeiString })]),
  'faucet.request': call(() => [Empty, z.strictObject({ nmrWei: WeiString, ethWei: WeiString, balanceNmrWei: WeiString })]),
  'models.list': call(() => [
    z.strictObject({
      scope: ModelScope.default('pool'),
      search: z.string().max(100).default(''),
      sort: z.strictObject({ key: SortKey, dir: SortDir }).default({ key: 'return1yPct', dir: 'desc' }),
      filter: z
        .strictObject({
          minRounds: z.number().int().min(0).max(100_000).optional(),
          maxDrawdownPct: z.number().min(0).max(100).optional(),
          maxFeeBps: z.number().int().min(0).max(10_000).optional(),
        })
        .default({}),
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.strictObject({ total: z.number().int().nonnegative(), rows: z.array(ModelRow), currentRound: Round, dataLabel: z.string().max(200) }),
  ]),
  'models.detail': call(() => [
    z.strictObject({ name: z.string().min(1).max(100), maxPoints: z.number().int().min(2).max(2000).default(600) }),
    z.strictObject({
      model: ModelRow,
      series: z.array(DetailPoint).max(2000),
      totalPoints: z.number().int().nonnegative(),
      lockRounds: z.number().int().nonnegative(),
      currentRound: Round,
    }),
  ]),
  'watchlist.toggle': call(() => [
    z.strictObject({ name: z.string().min(1).max(100) }),
    z.strictObject({ watched: z.boolean(), count: z.number().int().nonnegative() }),
  ]),
  'models.compare': call(() => [
    z.strictObject({ names: z.array(z.string().min(1).max(100)).min(2).max(5) }),
    z.strictObject({
      models: z.array(ModelRow).max(5),
      series: z
        .array(
          z.strictObject({
            name: z.string(),
            points: z.array(z.strictObject({ round: Round, cumulativePct: z.number().finite() })).max(600),
          }),
        )
        .max(5),
      correlation: z.array(z.array(FiniteOrNull)).max(5),
    }),
  ]),
  'models.backtest': call(() => [
    z.strictObject({
      allocations: z
        .array(z.strictObject({ name: z.string().min(1).max(100), amountWei: NmrAmountString }))
        .min(1)
        .max(5),
      fromRound: Round,
    }),
    z.strictObject({
      fromRound: Round,
      atRiskFromRound: Round,
      toRound: Round,
      points: z.array(z.strictObject({ round: Round, valueWei: WeiString })).max(600),
      principalWei: WeiString,
      finalWei: WeiString,
      models: z.array(
        z.strictObject({
          name: z.string(),
          principalWei: WeiString,
          finalWei: WeiString,
          rewardWei: WeiString,
          feeWei: WeiString,
          burnedWei: WeiString,
        }),
      ),
    }),
  ]),
  'tx.request': call(() => [z.strictObject({ intent: Intent }), TxRequestView]),
  'tx.cancel': call(() => [z.strictObject({ requestId: z.string().min(1).max(64) }), z.strictObject({ cancelled: z.boolean() })]),
  /** Asks main to prepare a faster copy of a pending step's transaction (same nonce, higher fees), to be confirmed like any other. */
  'tx.speedUp': call(() => [z.strictObject({ txId: StepTxId }), TxRequestView]),
  /** Asks main to prepare a 0-value transfer to oneself with a pending step's nonce, to be confirmed like any other. */
  'tx.cancelPending': call(() => [z.strictObject({ txId: StepTxId }), TxRequestView]),
  /** Every transaction still waiting for the network, as its last tx.status: for a page opened after it was sent. */
  'tx.inFlight': call(() => [Empty, z.strictObject({ transactions: z.array(TxStatus).max(500) })]),
  /** The holder's positions in StakingPool, per model and Numerai round. */
  'portfolio.staking': call(() => [Empty, StakingPortfolio]),
  /** "Check with Numerai": the pool's booked result of (model, round) against the root Numerai posted. */
  'claims.check': call(() => [z.strictObject({ modelId: ModelId, roundId: Round }), ClaimCheck]),
  'portfolio.returns': call(() => [
    Empty,
    z.strictObject({
      /** The chain block the figures are read at (the history index's end). */
      asOfBlock: z.number().int().nonnegative(),
      /** The portfolio after each resolved round since the first delegation, oldest first (downsampled). */
      points: z.array(PortfolioPoint).max(RETURNS_MAX_POINTS),
      /** Rounds in the whole series before downsampling. */
      totalRounds: z.number().int().nonnegative(),
      positions: z.array(PositionReturns).max(1000),
    }),
  ]),
  'history.summary': call(() => [
    Empty,
    z.strictObject({
      accounts: z.array(Address).max(1000),
      models: z.array(z.strictObject({ modelId: ModelId, name: ModelName })).max(10_000),
      rows: z.number().int().nonnegative(),
      firstDay: Day.nullable(),
      lastDay: Day.nullable(),
      asOfBlock: z.number().int().nonnegative(),
    }),
  ]),
  /** A page of the holder's entries under the screen's filters, with the totals per position of all of them. */
  'history.entries': call(() => [HistoryEntriesQuery, HistoryPage]),
  'history.export': call(() => [
    HistoryFilter.extend({
      /** Chosen by the page so it can follow `history.progress` and cancel before the answer comes. */
      exportId: ExportId,
      format: z.enum(['csv', 'json', 'koinly']),
      /** Daily NMR prices (a CSV the person picked) for a fiat value column. */
      prices: z
        .strictObject({
          currency: z.string().regex(/^[A-Za-z]{2,10}$/, 'use a short currency code such as USD'),
          csv: z.string().min(1).max(2_000_000),
        })
        .nullable()
        .default(null),
    }),
    z.strictObject({
      rows: z.number().int().nonnegative(),
      fileName: z.string().max(200),
      savedTo: z.string().max(4096).nullable(),
      downloadUrl: z.string().max(4096).nullable(),
      asOfBlock: z.number().int().nonnegative(),
    }),
  ]),
  'history.cancel': call(() => [z.strictObject({ exportId: ExportId }), z.strictObject({ cancelled: z.boolean() })]),
  'settings.get': call(() => [Empty, SettingsView]),
  'settings.update': call(() => [SettingsChoices.partial(), SettingsView]),
  /** Clears the start's notice (SettingsView.notice) once the person has read it; reading the settings never does. */
  'settings.dismissNotice': call(() => [Empty, SettingsView]),
  /** Checks a real network's node and its three staking addresses, each with its own verdict; saves nothing. */
  'network.checkAddresses': call(() => [RemoteNetworkInput, AddressVerdicts]),
  /** Checks the same and, when all pass, switches to the network and saves it. */
  'network.connect': call(() => [RemoteNetworkInput, NetworkInfo]),
  'network.useLocal': call(() => [Empty, NetworkInfo]),
  'devnet.advanceRound': call(() => [
    Empty,
    z.strictObject({
      resolvedRound: Round,
      currentRound: Round,
      /** What the step did, in a sentence (rounds opened, staked, resolved, claims relayed). */
      happened: z.string().max(1000),
      /** What went wrong for someone (Numerai refused a model's token), one sentence each. */
      warnings: z.array(z.string().max(500)).max(50),
    }),
  ]),
  'devnet.reset': call(() => [Empty, NetworkInfo]),
  /** The operator's part of each round, on the session's pool. */
  'operator.status': call(() => [Empty, OperatorStatusView]),
  /** Seals the token in main for the active account (needs the wallet unlocked); the answer never holds it. */
  'operator.setToken': call(() => [z.strictObject({ token: NumeraiApiToken }), OperatorTokenView]),
  'operator.clearToken': call(() => [Empty, OperatorTokenView]),
  'operator.runNow': call(() => [Empty, OperatorAsk]),
  /** Turning it on is confirmed in main's own window (the page cannot grant it); turning it off is not. */
  'operator.setAutomatic': call(() => [z.strictObject({ on: z.boolean() }), OperatorAsk]),
  /** What main noticed for the wallet's accounts (newest first), with the unread count; reading marks nothing. */
  'notifications.list': call(() => [Empty, NotificationList]),
  /** Marks one as read (the person opened it). */
  'notifications.markRead': call(() => [z.strictObject({ id: z.string().min(1).max(300) }), NotificationList]),
  'notifications.markAllRead': call(() => [Empty, NotificationList]),
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export type Api = typeof API;
export type ApiInput<M extends MethodName> = z.input<Api[M]['input']>;
export type ApiParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type ApiOutput<M extends MethodName> = z.output<Api[M]['output']>;

/** The pages of the main navigation, the ones the desktop menu opens. */
export const MainPage = z.enum(['models', 'portfolio', 'history', 'settings']);
export type MainPage = z.infer<typeof MainPage>;

export const EVENTS = {
  'tx.status': TxStatus,
  'tx.decision': z.strictObject({ requestId: z.string().max(64), decision: z.enum(['confirmed', 'rejected']) }),
  /** Something main recovered from that the person should know (the demo chain stopped and was started again). */
  'app.notice': z.strictObject({ kind: z.enum(['chain-restarted', 'chain-down']), message: z.string().max(500) }),
  /** 'system': the computer's screen was locked or it went to sleep (Electron). */
  'wallet.locked': z.strictObject({ reason: z.enum(['user', 'idle', 'quit', 'system']) }),
  'chain.round': z.strictObject({ round: Round }),
  /** The track records were replaced (a refresh finished, the network changed) or their label moved on. */
  'records.updated': z.strictObject({ setChanged: z.boolean(), dataLabel: z.string().max(200) }),
  'history.progress': z.strictObject({
    exportId: ExportId,
    phase: z.enum(['index', 'timestamps', 'flows', 'ledger', 'write']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  'operator.status': OperatorStatusView,
  /** The desktop app's menu or a shortcut asks the page to open one of the main pages. */
  'app.navigate': z.strictObject({ page: MainPage }),
  /** The list changed (something new, or read elsewhere); `added` holds what is new, for a native notification. */
  'notifications.changed': NotificationList.extend({ added: NotificationList.shape.items }),
  /** The person clicked a native notification: the page opens the place it concerns. */
  'notifications.open': z.strictObject({ id: z.string().min(1).max(300) }),
  /** The accounts changed outside a call (a wallet approved or ended its WalletConnect session). */
  'accounts.changed': z.strictObject({}),
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;
export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/**
 * Every call the renderer may make, by name. Kept free of imports so the preload can expose one
 * named function per entry without bundling the schemas. `contract.ts` checks it matches.
 */
export const METHOD_NAMES = [
  'app.info',
  'app.reportError',
  'wallet.status',
  'wallet.createDraft',
  'wallet.confirmCreate',
  'wallet.unlock',
  'wallet.lock',
  'wallet.importPhrase',
  'wallet.importPrivateKey',
  'wallet.importKeystore',
  'wallet.accounts',
  'wallet.addAccount',
  'wallet.selectAccount',
  'wallet.exportKeystore',
  'wallet.revealPhrase',
  'account.balances',
  'faucet.request',
  'models.list',
  'models.detail',
  'models.compare',
  'models.backtest',
  'watchlist.toggle',
  'tx.request',
  'tx.cancel',
  'tx.speedUp',
  'tx.cancelPending',
  'tx.inFlight',
  'portfolio.staking',
  'claims.check',
  'portfolio.returns',
  'history.summary',
  'history.entries',
  'history.export',
  'history.cancel',
  'settings.get',
  'settings.update',
  'settings.dismissNotice',
  'network.checkAddresses',
  'network.connect',
  'network.useLocal',
  'devnet.advanceRound',
  'devnet.reset',
  'operator.status',
  'operator.setToken',
  'operator.clearToken',
  'operator.runNow',
  'operator.setAutomatic',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** Every event main may push to the renderer. */
export const EVENT_NAMES = [
  'tx.status',
  'tx.decision',
  'app.notice',
  'wallet.locked',
  'chain.round',
  'records.updated',
  'history.progress',
  'operator.status',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

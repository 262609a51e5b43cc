export { AccountRegistry, ledgerPath, type AccountRegistryDeps } from './registry';
export { noUsbLedger, HARNESS_NO_USB } from './no-usb-ledger';
export type { AccountKind, AccountSigner, HolderAccount, LedgerConnector, RawSigner, SendingSigner, WalletTx } from './external-signers';

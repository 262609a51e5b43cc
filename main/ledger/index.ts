// The Ledger signer (issue #17): accounts on a Ledger over USB in Electron's main.
export { createLedgerConnector, type LedgerConnectorOptions, type LedgerDeviceConnector } from './connector';
export { nodeHidTransport, USB_NOT_INSTALLED } from './node-hid-transport';
export { NO_USB_HERE, type LedgerTransportSource } from './device';
export { blindOnly, ledgerServiceResolver, type ClearSignResolver } from './clear-signing';
export { deviceScreens, ledgerGuide, type DeviceStep } from './device-screens';
export { checkLedgerPath, ledgerPath } from './paths';

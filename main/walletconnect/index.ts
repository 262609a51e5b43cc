export { walletConnectConfig, DEFAULT_RELAY_URL, type WalletConnectConfig } from './config';
export { WalletConnectService, type WalletConnectSession, type PairingState } from './walletconnect';

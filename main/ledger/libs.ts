import { createRequire } from 'node:module';
import type EthApp from '@ledgerhq/hw-app-eth';
import type { ledgerService as LedgerService } from '@ledgerhq/hw-app-eth';
import type Transport from '@ledgerhq/hw-transport';

/**
 * Ledger's libraries are loaded through their CommonJS builds: their ES builds import files without
 * extensions, which Node's ES loader refuses (seen with hw-app-eth 7.9 and hw-transport-node-hid-
 * noevents 6.36). Loaded on first use, so the app's start does not pay for them.
 */
const loadCjs = createRequire(import.meta.url);

export type LedgerTransport = Transport;
export type EthAppInstance = EthApp;
export type LedgerEthService = typeof LedgerService;
export type { LedgerEthTransactionResolution as Resolution } from '@ledgerhq/hw-app-eth/lib/services/types';

interface HwAppEthModule {
  default: new (transport: Transport) => EthApp;
  ledgerService: LedgerEthService;
}

let hwAppEth: HwAppEthModule | null = null;

function appModule(): HwAppEthModule {
  hwAppEth ??= loadCjs('@ledgerhq/hw-app-eth') as HwAppEthModule;
  return hwAppEth;
}

/** The Ethereum app's API over an open transport. */
export function ethApp(transport: Transport): EthApp {
  const Eth = appModule().default;
  return new Eth(transport);
}

/** Ledger's resolution service (looks up what lets the device show a call in clear; uses the network). */
export function ledgerEthService(): LedgerEthService {
  return appModule().ledgerService;
}

/** Loads a CommonJS package by name (the node-hid transport, which may not be installed). */
export function requireOptional(name: string): unknown {
  return loadCjs(name);
}

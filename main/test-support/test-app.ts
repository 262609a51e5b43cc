import { silentLogger } from '../log/logger';
import { HARNESS_NO_USB, noUsbLedger } from '../accounts';
import { walletConnectConfig } from '../walletconnect';
import { createApp, type App, type AppOptions } from '../app/create-app';
import { createRecords } from '../app/records-adapter';

/**
 * The whole app as tests build it: the harness transport, a small demo world, a cheap scrypt (the
 * app itself always uses ethers' default) and an export delivery that hands nothing out.
 */
export function createTestApp(userDataDir: string, options: Partial<AppOptions> = {}): Promise<App> {
  return createApp({
    userDataDir,
    transport: 'harness',
    appVersion: 'test',
    log: silentLogger,
    records: createRecords({ chainModels: 6 }),
    scryptN: 2 ** 10,
    deliverExport: async () => ({ savedTo: null, downloadUrl: null }),
    ledger: noUsbLedger(HARNESS_NO_USB),
    walletconnect: walletConnectConfig(process.env),
    ...options,
  });
}

import { getAddress, type Provider } from 'ethers';
import { AppError } from '../../shared/api/errors';
import type { LedgerConnector, LedgerScheme, RawSigner } from '../accounts/external-signers';
import { ledgerServiceResolver, type ClearSignResolver } from './clear-signing';
import { LedgerDevice, type LedgerTransportSource } from './device';
import type { EthAppInstance } from './libs';
import { checkLedgerPath, ledgerPath, MAX_ADDRESSES_PER_READ } from './paths';
import { LedgerSigner } from './ledger-signer';

export interface LedgerConnectorOptions {
  /** Where a device is reached. Absent: no USB here (the browser harness), and every request says so. */
  transport?: LedgerTransportSource | null;
  /** How a transaction is made readable on the device; Ledger's service on networks it knows, by default. */
  resolve?: ClearSignResolver;
}

/**
 * The interface the account list uses, with one addition it may use: `verifyOnDevice` also takes
 * the address the list holds for the path, and refuses when the device shows another.
 */
export interface LedgerDeviceConnector extends LedgerConnector {
  verifyOnDevice(path: string, expected?: string): Promise<string>;
}

/** The device's address for a path, checksummed. The app returns it as 40 ASCII hex digits. */
async function readAddress(eth: EthAppInstance, path: string, display: boolean): Promise<string> {
  const { address } = await eth.getAddress(path, display, false);
  try {
    return getAddress(address);
  } catch {
    throw new AppError('LEDGER_ERROR', 'Your Ledger answered with something that is not an Ethereum address.');
  }
}

/** The Ledger side of the account list (issue #17): read accounts, check one on the device, sign with it. */
export function createLedgerConnector(opts: LedgerConnectorOptions = {}): LedgerDeviceConnector {
  const device = new LedgerDevice(opts.transport ?? null);
  const resolve = opts.resolve ?? ledgerServiceResolver();
  return {
    async availability() {
      const reason = await device.unavailable();
      return reason === null ? { ok: true } : { ok: false, reason };
    },

    async addresses(scheme: LedgerScheme, from: number, count: number) {
      if (!Number.isSafeInteger(count) || count < 1 || count > MAX_ADDRESSES_PER_READ)
        throw new AppError('BAD_INPUT', `Read 1 to ${MAX_ADDRESSES_PER_READ} accounts at a time.`);
      const paths = Array.from({ length: count }, (_, i) => ledgerPath(scheme, from + i));
      return device.run('address', async (eth) => {
        const out: { path: string; address: string }[] = [];
        // One after the other: the device answers one request at a time.
        for (const path of paths) out.push({ path, address: await readAddress(eth, path, false) });
        return out;
      });
    },

    /**
     * Reads the address quietly, then has the device show it and waits for the person's approval;
     * the two must agree, and with `expected` (the address the account list holds) all three.
     */
    async verifyOnDevice(path: string, expected?: string) {
      checkLedgerPath(path);
      return device.run('verify', async (eth) => {
        const quiet = await readAddress(eth, path, false);
        const shown = await readAddress(eth, path, true);
        if (shown !== quiet || (expected !== undefined && getAddress(expected) !== shown))
          throw new AppError(
            'LEDGER_WRONG_ACCOUNT',
            `Your Ledger shows ${shown} for this account, not ${expected ?? quiet}: it holds another recovery phrase or passphrase.`,
          );
        return shown;
      });
    },

    signer(path: string, address: string, provider: Provider): RawSigner {
      checkLedgerPath(path);
      return new LedgerSigner(device, resolve, path, getAddress(address), provider);
    },
  };
}

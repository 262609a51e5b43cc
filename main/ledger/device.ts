import { AppError } from '../../shared/api/errors';
import { deviceRefusal, type DeviceRequest } from './device-errors';
import { ethApp, type EthAppInstance, type LedgerTransport } from './libs';

/** Where transports to a device come from: node-hid in Electron's main, recordings in tests. */
export interface LedgerTransportSource {
  /** `null` when a device can be asked for here; otherwise why not, in plain words. */
  unavailable(): Promise<string | null>;
  /** Opens the first Ledger found. The caller closes it. */
  open(): Promise<LedgerTransport>;
}

export const NO_USB_HERE = 'This window has no USB access, so it cannot reach a Ledger. Open the desktop app to use one.';

/**
 * One request to the device at a time, each on a transport opened for it and closed after it: a
 * device unplugged and plugged in again between two requests just works, and nothing holds the USB
 * device while the app is idle (Ledger Live can use it meanwhile). A second request while one waits
 * for the person is refused (LEDGER_BUSY) rather than queued behind a prompt nobody may answer.
 */
export class LedgerDevice {
  #busy = false;

  constructor(private readonly source: LedgerTransportSource | null) {}

  async unavailable(): Promise<string | null> {
    return this.source ? this.source.unavailable() : NO_USB_HERE;
  }

  async run<T>(request: DeviceRequest, use: (eth: EthAppInstance) => Promise<T>): Promise<T> {
    if (!this.source) throw new AppError('LEDGER_UNAVAILABLE', NO_USB_HERE);
    if (this.#busy) throw deviceRefusal({ name: 'TransportRaceCondition' }, request);
    this.#busy = true;
    let transport: LedgerTransport | null = null;
    try {
      transport = await this.source.open();
      return await use(ethApp(transport));
    } catch (e) {
      throw deviceRefusal(e, request);
    } finally {
      this.#busy = false;
      // Closing an unplugged device can fail too; the request's own outcome is what matters.
      await transport?.close().catch(() => undefined);
    }
  }
}

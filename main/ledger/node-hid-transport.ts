import { AppError } from '../../shared/api/errors';
import type { LedgerTransportSource } from './device';
import { requireOptional, type LedgerTransport } from './libs';

/** What the app uses of @ledgerhq/hw-transport-node-hid-noevents's default export. */
export interface NodeHidTransportClass {
  /** Paths of the Ledgers plugged in; enumerating is what loads node-hid's native binary. */
  list(): Promise<string[]>;
  /** Opens a device; without a path, the first one found (a TransportError "NoDevice" when none). */
  open(path: string | null | undefined): Promise<LedgerTransport>;
}

export const USB_NOT_INSTALLED =
  'USB support is not installed, so this app cannot reach a Ledger. Reinstall the app, or run `npm install` again where prebuilt USB support exists for this computer.';

function loadNoEvents(): NodeHidTransportClass {
  return (requireOptional('@ledgerhq/hw-transport-node-hid-noevents') as { default: NodeHidTransportClass }).default;
}

/**
 * Ledgers over USB HID in Electron's main (node-hid, a native module, through Ledger's transport
 * without device events: the connector opens a transport per request, so plugging in and out
 * between requests needs no listener, and an unplug during one surfaces as its error). The module
 * is an optional dependency loaded on first use: where it is missing, or its native binary does not
 * load on this computer, the app says so instead of failing to start.
 */
export function nodeHidTransport(load: () => NodeHidTransportClass = loadNoEvents): LedgerTransportSource {
  let loaded: { ok: true; transport: NodeHidTransportClass } | { ok: false; reason: string } | null = null;
  function usb(): { ok: true; transport: NodeHidTransportClass } | { ok: false; reason: string } {
    if (!loaded) {
      try {
        loaded = { ok: true, transport: load() };
      } catch {
        loaded = { ok: false, reason: USB_NOT_INSTALLED };
      }
    }
    return loaded;
  }
  return {
    async unavailable() {
      const u = usb();
      if (!u.ok) return u.reason;
      try {
        await u.transport.list();
        return null;
      } catch (e) {
        // The package is there but its native part does not load here (no prebuilt binary for this system).
        return `USB support could not start on this computer (${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}), so this app cannot reach a Ledger.`;
      }
    },
    async open() {
      const u = usb();
      if (!u.ok) throw new AppError('LEDGER_UNAVAILABLE', u.reason);
      return u.transport.open(null);
    },
  };
}

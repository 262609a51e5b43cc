import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { createLedgerConnector } from './connector';
import { blindOnly } from './clear-signing';
import type { LedgerTransport } from './libs';
import { nodeHidTransport, USB_NOT_INSTALLED, type NodeHidTransportClass } from './node-hid-transport';
import { ACCOUNT_0 } from './test-support/device-recordings';
import { replayDevice } from './test-support/replay';

/** node-hid's transport class, faked at the module boundary (no USB on build machines). */
function fakeClass(over: Partial<NodeHidTransportClass> = {}): NodeHidTransportClass {
  return {
    list: () => Promise.resolve([]),
    open: () => Promise.reject(Object.assign(new Error('NoDevice'), { name: 'TransportError', id: 'NoDevice' })),
    ...over,
  };
}

describe('nodeHidTransport', () => {
  it('loads the USB module only when first asked, and once', async () => {
    const load = vi.fn(() => fakeClass());
    const source = nodeHidTransport(load);
    expect(load).not.toHaveBeenCalled();
    await expect(source.unavailable()).resolves.toBeNull();
    await source.unavailable();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('says USB support is not installed when the optional module is missing, and refuses to open', async () => {
    const source = nodeHidTransport(() => {
      throw Object.assign(new Error("Cannot find module '@ledgerhq/hw-transport-node-hid-noevents'"), { code: 'MODULE_NOT_FOUND' });
    });
    await expect(source.unavailable()).resolves.toBe(USB_NOT_INSTALLED);
    const e: unknown = await source.open().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('LEDGER_UNAVAILABLE');
  });

  it('says USB could not start when the native binary does not load', async () => {
    const source = nodeHidTransport(() =>
      fakeClass({ list: () => Promise.reject(new Error('No native build was found for platform=linux arch=riscv64')) }),
    );
    await expect(source.unavailable()).resolves.toMatch(/^USB support could not start on this computer \(No native build was found/);
  });

  it('opens the first Ledger found; with none, the connector says to plug one in', async () => {
    const open = vi.fn(() => Promise.reject(Object.assign(new Error('NoDevice'), { name: 'TransportError', id: 'NoDevice' })));
    const ledger = createLedgerConnector({ transport: nodeHidTransport(() => fakeClass({ open })), resolve: blindOnly });
    const e: unknown = await ledger.addresses('ledger-live', 0, 1).catch((err: unknown) => err);
    expect((e as AppError).code).toBe('LEDGER_NOT_FOUND');
    expect(open).toHaveBeenCalledWith(null);
  });

  it('closes the device after each request, also when it was unplugged mid-request', async () => {
    const dev = replayDevice('verify');
    let closes = 0;
    const open = async (): Promise<LedgerTransport> => {
      const t = await dev.source.open();
      t.close = () => {
        closes++;
        return Promise.reject(new Error('device gone'));
      };
      t.exchange = () =>
        Promise.reject(Object.assign(new Error('could not write to HID device'), { name: 'DisconnectedDeviceDuringOperation' }));
      return t;
    };
    const ledger = createLedgerConnector({ transport: nodeHidTransport(() => fakeClass({ open })), resolve: blindOnly });
    const e: unknown = await ledger.verifyOnDevice(ACCOUNT_0).catch((err: unknown) => err);
    expect((e as AppError).code).toBe('LEDGER_NOT_FOUND');
    expect(closes).toBe(1);
  });

  it('loads the real module through its CommonJS build where it is installed', async () => {
    let installed = true;
    try {
      createRequire(import.meta.url).resolve('@ledgerhq/hw-transport-node-hid-noevents');
    } catch {
      installed = false;
    }
    const source = nodeHidTransport();
    await expect(source.unavailable()).resolves.toBe(installed ? null : USB_NOT_INSTALLED);
  });
});

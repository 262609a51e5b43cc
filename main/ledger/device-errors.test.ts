import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { deviceRefusal } from './device-errors';

const status = (statusCode: number) =>
  Object.assign(new Error(`Ledger device: 0x${statusCode.toString(16)}`), { name: 'TransportStatusError', statusCode });

describe('deviceRefusal', () => {
  it('gives each kind of refusal its own code and words', () => {
    const seen = new Map<string, string>();
    const kinds: [unknown, string][] = [
      [status(0x5515), 'LEDGER_LOCKED'],
      [status(0x6e00), 'LEDGER_APP_CLOSED'],
      [status(0x6985), 'LEDGER_REJECTED'],
      [status(0x6a80), 'LEDGER_BLIND_SIGNING_OFF'],
      [{ name: 'DisconnectedDevice', message: '' }, 'LEDGER_NOT_FOUND'],
      [{ name: 'TransportRaceCondition', message: 'An action was already pending' }, 'LEDGER_BUSY'],
    ];
    for (const [e, code] of kinds) {
      const r = deviceRefusal(e, 'sign');
      expect(r.code).toBe(code);
      seen.set(r.code, r.message);
    }
    expect(new Set(seen.values()).size).toBe(kinds.length);
  });

  it('reads 0x6a80 as blind signing only when signing (for an address it is bad data)', () => {
    expect(deviceRefusal(status(0x6a80), 'sign').code).toBe('LEDGER_BLIND_SIGNING_OFF');
    expect(deviceRefusal(status(0x6a80), 'address').code).toBe('LEDGER_ERROR');
    // hw-app-eth turns 0x6a80 while signing into its own error, without the status word.
    expect(deviceRefusal({ name: 'EthAppPleaseEnableContractData', message: 'Please enable Blind signing' }, 'sign').code).toBe(
      'LEDGER_BLIND_SIGNING_OFF',
    );
  });

  it('says what was rejected', () => {
    expect(deviceRefusal(status(0x6985), 'sign').message).toContain('nothing was sent');
    expect(deviceRefusal(status(0x6985), 'verify').message).toContain('this account was not added');
  });

  it('maps USB failures: none found, unplugged, held by another program, busy', () => {
    expect(deviceRefusal({ name: 'TransportError', id: 'NoDevice', message: 'NoDevice' }, 'address').code).toBe('LEDGER_NOT_FOUND');
    expect(
      deviceRefusal({ name: 'DisconnectedDeviceDuringOperation', message: 'could not read from HID device' }, 'sign').message,
    ).toContain('disconnected');
    const held = deviceRefusal(new TypeError('cannot open device with path /dev/hidraw3'), 'address');
    expect([held.code, held.message]).toEqual(['LEDGER_BUSY', expect.stringContaining('Close Ledger Live')]);
    expect(
      deviceRefusal({ name: 'TransportError', id: 'TransportLocked', message: 'Ledger Device is busy (lock getAddress)' }, 'address').code,
    ).toBe('LEDGER_BUSY');
  });

  it('keeps an unknown status word for the log, and passes an AppError through', () => {
    const e = deviceRefusal(status(0x6f42), 'sign');
    expect([e.code, e.message]).toEqual(['LEDGER_ERROR', expect.stringContaining('status 0x6f42')]);
    const own = new AppError('LEDGER_WRONG_ACCOUNT', 'x');
    expect(deviceRefusal(own, 'sign')).toBe(own);
    expect(deviceRefusal('boom', 'sign').code).toBe('LEDGER_ERROR');
  });
});

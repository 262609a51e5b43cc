import { AppError, type ErrorCode } from '../../shared/api/errors';

/** What the app was asking the device when it answered: the same status word means different things. */
export type DeviceRequest = 'address' | 'verify' | 'sign';

type Refusal = { code: ErrorCode; message: string };

const OPEN_ETH_APP: Refusal = {
  code: 'LEDGER_APP_CLOSED',
  message: 'Open the Ethereum app on your Ledger, then try again.',
};
const REJECTED: Record<DeviceRequest, Refusal> = {
  address: { code: 'LEDGER_REJECTED', message: 'The request was rejected on your Ledger. Nothing was changed.' },
  verify: { code: 'LEDGER_REJECTED', message: 'You rejected the address on your Ledger: this account was not added.' },
  sign: { code: 'LEDGER_REJECTED', message: 'You rejected the transaction on your Ledger: nothing was sent.' },
};

/**
 * The Ethereum app's and the device's status words (LedgerHQ/app-ethereum doc/ethapp.adoc, "Status
 * Words"; the dashboard's own words from @ledgerhq/errors' StatusCodes).
 */
function byStatusWord(sw: number, request: DeviceRequest): Refusal | null {
  switch (sw) {
    case 0x5515: // LOCKED_DEVICE
    case 0x6b0c: // locked, as older firmware says it
      return { code: 'LEDGER_LOCKED', message: 'Your Ledger is locked. Unlock it with your PIN, open the Ethereum app, and try again.' };
    case 0x6982: // SECURITY_STATUS_NOT_SATISFIED: the app doc's "cancelled"; older firmware says it when locked
      return {
        code: 'LEDGER_LOCKED',
        message: 'Your Ledger did not allow this request. Make sure it is unlocked and the Ethereum app is open, then try again.',
      };
    case 0x6e00: // CLA not supported: the dashboard or another app answered
    case 0x6d00: // INS not supported: another app answered
    case 0x6511: // no app open (the dashboard)
    case 0x6a15: // wrong app open
      return OPEN_ETH_APP;
    case 0x6985: // CONDITIONS_OF_USE_NOT_SATISFIED: the person pressed Reject
      return REJECTED[request];
    case 0x6a80: // INCORRECT_DATA: when signing, contract data the app will not sign blind
      return request === 'sign' ? BLIND_SIGNING_OFF : null;
    default:
      return null;
  }
}

const BLIND_SIGNING_OFF: Refusal = {
  code: 'LEDGER_BLIND_SIGNING_OFF',
  message:
    'Your Ledger refused to sign a contract call it cannot show in full. On the device, open the Ethereum app, go to Settings and turn on "Blind signing", then try again.',
};
const NOT_FOUND: Refusal = {
  code: 'LEDGER_NOT_FOUND',
  message: 'No Ledger found. Plug it in with its USB cable, unlock it and open the Ethereum app.',
};
const UNPLUGGED: Refusal = {
  code: 'LEDGER_NOT_FOUND',
  message: 'Your Ledger was disconnected. Plug it in again, unlock it, open the Ethereum app and try again.',
};
const BUSY: Refusal = {
  code: 'LEDGER_BUSY',
  message: 'Your Ledger is busy with another request. Finish or reject it on the device, then try again.',
};
const CANNOT_OPEN: Refusal = {
  code: 'LEDGER_BUSY',
  message:
    'Your Ledger could not be opened. Close Ledger Live and any other wallet app that may be using it, then try again. On Linux, Ledger’s udev rules must be installed.',
};

function field(e: object, name: string): unknown {
  return (e as Record<string, unknown>)[name];
}

function text(e: object, name: string): string {
  const v = field(e, name);
  return typeof v === 'string' ? v : '';
}

/**
 * One plain message for each way a device can refuse. Matched by status word and by the error's
 * name and id (not `instanceof`: two copies of Ledger's packages would make that miss). An answer
 * it does not know keeps the device's own words, for the log and support.
 */
export function deviceRefusal(e: unknown, request: DeviceRequest): AppError {
  if (e instanceof AppError) return e;
  if (typeof e !== 'object' || e === null) return new AppError('LEDGER_ERROR', `Your Ledger gave an unexpected answer: ${String(e)}`);
  const name = text(e, 'name');
  const id = text(e, 'id');
  const message = text(e, 'message');
  const sw = field(e, 'statusCode');
  let refusal: Refusal | null = null;
  if (typeof sw === 'number') refusal = byStatusWord(sw, request);
  else if (name === 'EthAppPleaseEnableContractData') refusal = BLIND_SIGNING_OFF;
  else if (name === 'DisconnectedDevice' || name === 'DisconnectedDeviceDuringOperation') refusal = UNPLUGGED;
  else if (id === 'NoDevice' || id === 'NoDeviceFound' || name === 'NoDeviceFound') refusal = NOT_FOUND;
  else if (name === 'TransportRaceCondition' || id === 'TransportLocked') refusal = BUSY;
  else if (name === 'CantOpenDevice' || /cannot open device/i.test(message)) refusal = CANNOT_OPEN;
  if (refusal) return new AppError(refusal.code, refusal.message);
  const detail = typeof sw === 'number' ? `status 0x${sw.toString(16).padStart(4, '0')}` : message || name || 'no detail';
  return new AppError('LEDGER_ERROR', `Your Ledger gave an unexpected answer (${detail}). Unplug it, plug it in again and retry.`);
}

import { z } from 'zod';

/**
 * Stable error codes. The renderer turns each into words a holder understands; the message that
 * comes with it is for the log and for the cases a code alone cannot explain.
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNAUTHORIZED',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'NO_WALLET',
  'WALLET_EXISTS',
  'WALLET_LOCKED',
  'BAD_PASSWORD',
  'TOO_MANY_TRIES',
  'BAD_CONFIRMATION',
  'INSUFFICIENT_FUNDS',
  'CHAIN_UNAVAILABLE',
  'RPC_UNREACHABLE',
  /** The node answered, but with something no honest node says (not JSON, wrong shapes, impossible values). */
  'RPC_BAD_ANSWER',
  'WRONG_CHAIN',
  'NOT_A_POOL',
  'TX_FAILED',
  'NOT_AVAILABLE',
  'CANCELLED',
  /** An external wallet (WalletConnect) said no, did not answer in time, went away, or is on another chain or account. */
  'WALLET_REJECTED',
  'WALLET_TIMEOUT',
  'WALLET_DISCONNECTED',
  'WALLET_WRONG_ACCOUNT',
  /** A wallet that sends itself sent something else than what was confirmed. */
  'WALLET_MISMATCH',
  /** A feature that needs setting up first (WalletConnect's project id). */
  'NEEDS_SETUP',
  'INTERNAL',
  // The Ledger signer (main/ledger/): each refusal a device can give has its own code and words.
  /** No USB here: the browser harness, or the optional USB module is not installed. */
  'LEDGER_UNAVAILABLE',
  /** No Ledger plugged in, or it was unplugged during the request. */
  'LEDGER_NOT_FOUND',
  'LEDGER_LOCKED',
  /** The device is on its dashboard or in another app, not in the Ethereum app. */
  'LEDGER_APP_CLOSED',
  'LEDGER_REJECTED',
  /** The Ethereum app refuses a contract call it cannot show: its "Blind signing" setting is off. */
  'LEDGER_BLIND_SIGNING_OFF',
  /** Another request is waiting on the device. */
  'LEDGER_BUSY',
  /** The device answered for another account than the one in use (another seed or passphrase). */
  'LEDGER_WRONG_ACCOUNT',
  /** Any other answer of the device. */
  'LEDGER_ERROR',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.strictObject({
  code: ErrorCode,
  message: z.string().max(2000),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/** Thrown by services; the router turns it into an error envelope. Never put secrets in `message`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: ApiErrorShape }),
  ]);
}

import { z } from 'zod';
import { WeiString } from '../money';
import { Address, ModelId, ModelName, Round, TxHash } from './primitives';

/**
 * The operator's part of each Numerai round as the page sees it (main/operator, main/app/operator-api.ts):
 * the token is only ever sent one way, page → main, and every answer says at most which account has one.
 */

/**
 * A Numerai API token as numerapi takes it, `<public_id>$<secret_key>` (numer.ai → Account → Custom
 * API keys). numer.ai issues 32 + 64 upper-case letters and digits; the bounds here are looser so a
 * change of length on Numerai's side does not lock operators out (ABS.md does not fix the lengths).
 */
export const NumeraiApiToken = z
  .string()
  .trim()
  .min(8, 'That is too short to be a Numerai API token.')
  .max(400, 'That is too long to be a Numerai API token.')
  .regex(
    /^[A-Za-z0-9]{8,128}\$[A-Za-z0-9]{8,256}$/,
    'A Numerai API token has no spaces: paste it as numer.ai shows it, its public id, a “$”, then its secret key (letters and digits only).',
  );

const Words = z.string().max(500);

/** Which account the saved token belongs to; never the token. */
export const OperatorTokenView = z.strictObject({ savedFor: Address.nullable() });
export type OperatorTokenView = z.infer<typeof OperatorTokenView>;

/** One linked model's outcome in the last run (main/operator/operator-round.ts ModelRoundStatus). */
export const OperatorModelStatus = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('staked'), roundId: Round, stakedWei: WeiString, hash: TxHash }),
  z.strictObject({ state: z.literal('already-staked'), roundId: Round }),
  z.strictObject({ state: z.literal('nothing-to-stake'), roundId: Round }),
  /** Numerai said no (no selected submission, staking closed, token without the web3_staking scope…), in words. */
  z.strictObject({ state: z.literal('refused'), message: Words, retrySoon: z.boolean() }),
  /** The pool or the chain said no (TrancheRingFull, ClaimRoundFirst…), or the run failed, in words. */
  z.strictObject({ state: z.literal('failed'), message: Words, retrySoon: z.boolean() }),
]);
export type OperatorModelStatus = z.infer<typeof OperatorModelStatus>;

export const OperatorModelRow = z.strictObject({ modelId: ModelId, name: ModelName, status: OperatorModelStatus });

export const RelayedClaim = z.strictObject({
  roundId: Round,
  modelId: ModelId,
  payoutWei: WeiString,
  burnWei: WeiString,
  hash: TxHash.nullable(),
  /** Why it was not relayed, in words; null when it was. */
  failure: Words.nullable(),
});

export const OPERATOR_STATES = [
  'not-run',
  'no-wallet',
  'no-token',
  'locked',
  'no-models',
  'no-consent',
  'running',
  'done',
  'failed',
] as const;

export const OperatorStatusView = z.strictObject({
  /** not-run: nothing tried since the app started; the rest as main/operator/operator-service.ts OperatorState. */
  state: z.enum(OPERATOR_STATES),
  /** What is missing or what went wrong, in words (locked, no models, failed). */
  message: Words.nullable(),
  account: Address.nullable(),
  token: OperatorTokenView,
  /** The standing consent (given in main's window) to send stakeRound and claim each round without asking. */
  automatic: z.boolean(),
  models: z.array(OperatorModelRow).max(1000),
  claims: z.strictObject({ refused: Words.nullable(), results: z.array(RelayedClaim).max(1000), notPending: z.number().int().min(0) }),
  lastRunAt: z.number().int().min(0).nullable(),
  nextRunAt: z.number().int().min(0).nullable(),
});
export type OperatorStatusView = z.infer<typeof OperatorStatusView>;

/** Run now / turn automatic on: either done at once, or main asks in its own window first (`confirmUrl` for the harness). */
export const OperatorAsk = z.strictObject({
  status: OperatorStatusView,
  /** True when main is asking the person in its window; the change follows as an `operator.status` event. */
  asking: z.boolean(),
  confirmUrl: z.string().max(500).nullable(),
});
export type OperatorAsk = z.infer<typeof OperatorAsk>;

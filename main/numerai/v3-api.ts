/**
 * Numerai's staking v3 API ("Atomic Blockchain Staking") as the app uses it: the answers' shapes,
 * checked at the network boundary, and the one interface every caller codes against (the operator's
 * round, a holder's claim relay, "Check with Numerai"). Two implementations: the HTTP client of the
 * real API (and of the demo Numerai's stand-in on loopback), and test fakes.
 *
 * Field names and types are ../shared/reference/ABS.md's (numerapi N1/N2 and the schema dump T4
 * agree field for field); the `tournamentId` arguments and `v3StakeClaims` come from T2 (live API,
 * 2026-08). Where ABS.md marks a field unknown, the choice is written beside it.
 */
import { z } from 'zod';

/** Numerai's tournament ids: Classic 8, Signals 11, Crypto 12 (ABS.md T2, T5). */
export const TOURNAMENT_IDS = { classic: 8, signals: 11, crypto: 12 } as const;
export type TournamentId = (typeof TOURNAMENT_IDS)[keyof typeof TOURNAMENT_IDS];

const KNOWN_TOURNAMENTS: ReadonlySet<number> = new Set(Object.values(TOURNAMENT_IDS));

/** Whether a number read from a contract or a file is one of Numerai's tournaments. */
export function isTournamentId(n: number): n is TournamentId {
  return KNOWN_TOURNAMENTS.has(n);
}

/** Decimal integer strings: Wei amounts, round ids, nonces (ABS.md T2: "decimal strings in units of 1e-18"). */
const DecimalString = z.string().regex(/^\d{1,78}$/, 'not a decimal integer');
/** Unix seconds as a string (ABS.md T2: `v3StakeRound` times are unix strings). */
const UnixSeconds = z.string().regex(/^\d{1,12}$/, 'not unix seconds');
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');
const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not 32 bytes of hex');
const Signature = z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'not a 65-byte signature');
/** A number that may come as a GraphQL Int or as a string (numerapi's fixtures send strings). */
const IntLike = z.union([z.number().int().nonnegative(), DecimalString.transform(Number)]);

/** `v3StakeConfig(tournamentId)`: staking contract metadata for a tournament. */
export const V3StakeConfig = z.object({
  address: Address,
  authorizationSigner: Address,
  nmrAddress: Address,
  owner: Address,
  paused: z.boolean(),
  pendingOwner: Address.nullable(),
  serviceWallet: Address.nullable(),
});
export type V3StakeConfig = z.infer<typeof V3StakeConfig>;

/** ABS.md T1: "open, closed, resolving, or resolved". */
export const V3RoundState = z.enum(['open', 'closed', 'resolving', 'resolved']);
export type V3RoundState = z.infer<typeof V3RoundState>;

/** `v3StakeRound(roundId, tournamentId)`: round status and round-level parameters. */
export const V3StakeRound = z.object({
  roundId: DecimalString,
  tournamentId: IntLike,
  state: V3RoundState,
  openTime: UnixSeconds,
  closeTime: UnixSeconds,
  resolveTime: UnixSeconds,
  resolved: z.boolean(),
  /** Null until Numerai posts the root. */
  merkleRoot: Bytes32.nullable(),
  totalStaked: DecimalString,
  totalPayout: DecimalString.nullable(),
  remainingPayout: DecimalString.nullable(),
  remainingBurn: DecimalString.nullable(),
  /** ABS.md T1: deprecated, null for upgraded contracts. */
  payoutFactor: z.string().nullable(),
  stakeCap: z.string().nullable(),
  stakeThreshold: z.string().nullable(),
});
export type V3StakeRound = z.infer<typeof V3StakeRound>;

/** `v3StakeAuth(submissionId, staker, maxAmount)`: Numerai's EIP-712 authorization for one selected submission. */
export const V3StakeAuthorization = z.object({
  authorizationDigest: Bytes32,
  authorizationSigner: Address,
  chainId: DecimalString,
  deadline: UnixSeconds,
  maxAmount: DecimalString,
  /** The on-chain bytes32 model id (ABS.md Q3: distinct from the API's UUID). */
  modelId: Bytes32,
  nmrAddress: Address,
  nonce: DecimalString,
  roundId: DecimalString,
  signature: Signature,
  staker: Address,
  stakingAddress: Address,
  submissionHash: Bytes32,
  submissionId: z.string().min(1).max(100),
  tournamentId: IntLike,
});
export type V3StakeAuthorization = z.infer<typeof V3StakeAuthorization>;

/** `v3StakeClaim(roundId, modelId, staker, tournamentId)`: one position's result with its proof. */
export const V3StakeClaim = z.object({
  /** The API's model UUID (what the caller passed as `modelId`). */
  apiModelId: z.string().min(1).max(100),
  burnAmountWei: DecimalString,
  merkleRoot: Bytes32,
  /** The on-chain bytes32 model id. */
  modelId: Bytes32,
  payoutAmountWei: DecimalString,
  proof: z.array(Bytes32).max(64),
  roundId: DecimalString,
  staker: Address,
  submissionId: z.string().min(1).max(100).nullable(),
  tournamentId: IntLike,
});
export type V3StakeClaim = z.infer<typeof V3StakeClaim>;

/** One entry of `v3StakeClaims(staker, tournamentId)`: resolved, unclaimed proofs (ABS.md T1/T2). The
 * entry type's other fields are unknown (ABS.md Q2); our choice: a claim plus `claimableAmountWei`. */
export const V3StakeClaimsEntry = V3StakeClaim.extend({ claimableAmountWei: DecimalString });
export type V3StakeClaimsEntry = z.infer<typeof V3StakeClaimsEntry>;

/**
 * Why Numerai said no, as the app tells a person. Each kind maps to one plain sentence in the UI.
 * `missing-scope`: ABS.md T2's "Insufficient permission for web3_staking".
 */
export const NUMERAI_REFUSALS = [
  'not-signed-in', // no token, or Numerai does not accept it
  'missing-scope', // the token lacks the web3_staking scope
  'no-selected-submission', // the model has no submission selected for staking in this round
  'staking-closed', // the round is not open for staking (closed, resolving, resolved, or unknown)
  'not-found', // no such round, model or claim (e.g. the root is not posted yet)
  'rate-limited',
  'unavailable', // network down, time-out, 5xx
  'bad-answer', // an answer that fails the schemas above
] as const;
export type NumeraiRefusalKind = (typeof NUMERAI_REFUSALS)[number];

export class NumeraiRefusal extends Error {
  constructor(
    readonly kind: NumeraiRefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'NumeraiRefusal';
  }
}

/** A model's submission selected for staking in a round: what `v3StakeAuth` needs. */
export interface SelectedSubmission {
  submissionId: string;
  roundId: bigint;
}

/**
 * What the app asks Numerai's staking API. Every method answers schema-checked values or throws a
 * NumeraiRefusal; none throws anything else. Methods marked "token" need the operator's API token
 * with the web3_staking scope; the implementation holds the token (main only, never logged).
 */
export interface NumeraiStakingApi {
  readonly tournamentId: TournamentId;
  /** Public. */
  config(): Promise<V3StakeConfig>;
  /** Token (ABS.md T2). */
  round(roundId: bigint): Promise<V3StakeRound>;
  /**
   * Token. The model's submission selected for the open round. ABS.md does not name the query that
   * lists a model's selected submission: our choice is isolated in the client's query text.
   */
  selectedSubmission(apiModelId: string): Promise<SelectedSubmission>;
  /** Token. An authorization naming `staker` (the pool) for the submission, up to `maxAmountWei`. */
  authorize(req: { submissionId: string; staker: string; maxAmountWei: bigint }): Promise<V3StakeAuthorization>;
  /** Token. One position's result; `not-found` until the round's root is posted. */
  claim(req: { roundId: bigint; apiModelId: string; staker: string }): Promise<V3StakeClaim>;
  /** Token. Every resolved, unclaimed position of `staker` in this tournament. */
  claims(staker: string): Promise<V3StakeClaimsEntry[]>;
}

/**
 * Who may ask the demo Numerai's API stand-in what: the stand-in serves an in-process
 * NumeraiStakingApi (the demo Numerai) over GraphQL, and checks each request's token against this
 * list as Numerai would (unknown token → not-signed-in; no web3_staking scope → missing-scope; a
 * model the token's account does not own → refused).
 */
export interface ApiTokenGrant {
  token: string;
  scopes: readonly string[];
  /** The API model UUIDs this token's account owns. */
  apiModelIds: readonly string[];
}

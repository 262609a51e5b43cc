/**
 * Numerai's staking v3 API on the wire, shared by our HTTP client (./v3-client.ts) and the demo
 * Numerai's stand-in (./stand-in/staking-api-server.ts), so the two cannot drift apart: the root
 * fields with their arguments, the query texts, the selected-submission query (our choice), and the
 * error messages with the refusal kind each one means.
 *
 * Sources are ../shared/reference/ABS.md's: the fields and selections are numerapi's (N1) with the
 * `tournamentId: Int!` argument the live API requires (T2, 2026-08); `v3StakeClaims` is T1/T2's.
 */
import { z } from 'zod';
import { V3StakeAuthorization, V3StakeClaim, V3StakeClaimsEntry, V3StakeConfig, V3StakeRound, type NumeraiRefusalKind } from './v3-api';

/**
 * THE CHOICE (ABS.md names no query that lists a model's submission selected for staking): a root
 * field `v3SelectedSubmission(modelId, tournamentId) { submissionId roundId }`, null when the model
 * has none for the open round. Settled by a capture of what numer.ai's website asks before it calls
 * `v3StakeAuth` (or a numerapi helper that does the same); change only this block and its schema.
 */
export const SELECTED_SUBMISSION_FIELD = 'v3SelectedSubmission';
export const V3SelectedSubmission = z.object({
  submissionId: z.string().min(1).max(100),
  roundId: z.string().regex(/^\d{1,78}$/, 'not a decimal integer'),
});

/** Each object type the staking fields return, with its schema (whose keys are its fields). */
export const V3_TYPES = {
  V3StakeConfig,
  V3StakeRound,
  V3StakeAuthorization,
  V3StakeClaim,
  /** The entry type's real name is unknown (ABS.md Q2); it is only ever named here. */
  V3StakeClaimsEntry,
  V3SelectedSubmission,
} as const;
export type V3TypeName = keyof typeof V3_TYPES;

interface V3Field {
  /** Argument → GraphQL type, in the order the query text declares them. */
  args: Readonly<Record<string, string>>;
  type: V3TypeName;
  list?: true;
}

/**
 * The root fields: T4's argument types, plus `tournamentId: Int!` on each. T2 saw the live API
 * require it on v3StakeConfig, v3StakeRound and v3StakeClaims; on v3StakeAuth, v3StakeClaim and the
 * selected-submission query it is our assumption (a live API without it answers "Unknown argument",
 * which the client reports as bad-answer). A capture of the live schema (`__type(name:)` works, T2)
 * settles it.
 */
export const V3_FIELDS = {
  v3StakeConfig: { args: { tournamentId: 'Int!' }, type: 'V3StakeConfig' },
  v3StakeRound: { args: { roundId: 'String!', tournamentId: 'Int!' }, type: 'V3StakeRound' },
  v3StakeAuth: {
    args: { submissionId: 'ID!', staker: 'String!', maxAmount: 'String!', tournamentId: 'Int!' },
    type: 'V3StakeAuthorization',
  },
  v3StakeClaim: { args: { roundId: 'String!', modelId: 'ID!', staker: 'String!', tournamentId: 'Int!' }, type: 'V3StakeClaim' },
  v3StakeClaims: { args: { staker: 'String!', tournamentId: 'Int!' }, type: 'V3StakeClaimsEntry', list: true },
  [SELECTED_SUBMISSION_FIELD]: { args: { modelId: 'ID!', tournamentId: 'Int!' }, type: 'V3SelectedSubmission' },
} as const satisfies Record<string, V3Field>;
export type V3FieldName = keyof typeof V3_FIELDS;

/** The fields of an object type: every key of its schema, so the client selects all it validates. */
export function fieldsOf(type: V3TypeName): string[] {
  return Object.keys(V3_TYPES[type].shape);
}

/** The query text for one root field: every argument as a variable, every field of its type selected. */
function queryText(name: V3FieldName): string {
  const f: V3Field = V3_FIELDS[name];
  const args = Object.entries(f.args);
  return (
    `query(${args.map(([a, t]) => `$${a}: ${t}`).join(', ')}) {\n` +
    `  ${name}(${args.map(([a]) => `${a}: $${a}`).join(', ')}) {\n` +
    `    ${fieldsOf(f.type).join(' ')}\n  }\n}`
  );
}

/** Every query the client sends, built once. */
export const V3_QUERIES: Readonly<Record<V3FieldName, string>> = Object.fromEntries(
  Object.keys(V3_FIELDS).map((name) => [name, queryText(name as V3FieldName)]),
) as Record<V3FieldName, string>;

/**
 * The GraphQL error message Numerai sends for each refusal, as the stand-in sends it. Only
 * `missing-scope` is Numerai's verbatim (ABS.md T2); the others are our choice, to be replaced by
 * the real wording when a capture of the live API shows it. The client reads messages through
 * `refusalKindOfMessage`, which also accepts likely variants.
 */
export const NUMERAI_MESSAGES = {
  'not-signed-in': 'You must be authenticated to perform this action',
  'missing-scope': 'Insufficient permission for web3_staking',
  'no-selected-submission': 'No submission selected for staking in this round',
  'staking-closed': 'Staking is closed for this round',
  'not-found': 'Not found',
} as const satisfies Partial<Record<NumeraiRefusalKind, string>>;

const MESSAGE_KINDS: readonly [RegExp, NumeraiRefusalKind][] = [
  [/insufficient permission|web3_staking/i, 'missing-scope'],
  [/authenticat|not signed in|unauthori[sz]ed|invalid (api )?(key|token)|log ?in required/i, 'not-signed-in'],
  [/selected (for staking|submission)|no submission/i, 'no-selected-submission'],
  [/staking (is )?(closed|not open)|round (is )?(closed|not open|resolved)/i, 'staking-closed'],
  [/not found|does not exist|no such/i, 'not-found'],
  [/rate limit|too many requests/i, 'rate-limited'],
];

/** The refusal a GraphQL error message means; undefined for a message we do not know. */
export function refusalKindOfMessage(message: string): NumeraiRefusalKind | undefined {
  return MESSAGE_KINDS.find(([re]) => re.test(message))?.[1];
}

/**
 * NumeraiStakingApi over HTTP: Numerai's staking v3 API at https://api-tournament.numer.ai, or the
 * demo Numerai's stand-in on loopback. The transport (token bucket, time-outs, retries with backoff,
 * Retry-After) is the public client's (../records/numerai-client.ts); the query texts are
 * ./v3-wire.ts's; every answer is checked against ./v3-api.ts's schemas.
 *
 * The API token lives in this module's closure only. It goes out in numerapi's header,
 * `Authorization: Token <public_id>$<secret_key>`, and nowhere else: errors are NumeraiRefusals with
 * messages we write, and any text of Numerai's that we quote is scrubbed of the token first.
 */
import { z } from 'zod';
import { NUMERAI_API_URL, NumeraiApiError, createNumeraiClient, type NumeraiClientOptions } from '../records/numerai-client';
import {
  NumeraiRefusal,
  V3StakeAuthorization,
  V3StakeClaim,
  V3StakeClaimsEntry,
  V3StakeConfig,
  V3StakeRound,
  type NumeraiRefusalKind,
  type NumeraiStakingApi,
  type SelectedSubmission,
  type TournamentId,
} from './v3-api';
import { SELECTED_SUBMISSION_FIELD, V3SelectedSubmission, V3_QUERIES, refusalKindOfMessage, type V3FieldName } from './v3-wire';

export { NUMERAI_API_URL };

const PUBLIC_QUERIES: ReadonlySet<string> = new Set([V3_QUERIES.v3StakeConfig]);

export interface StakingClientOptions extends Omit<NumeraiClientOptions, 'authorization'> {
  tournamentId: TournamentId;
  /** `<public_id>$<secret_key>`, as numer.ai's account page issues it; absent for public calls only. */
  token?: string;
}

/** What each refusal says to a person (Numerai's own words, when quoted, come after). */
const SAYS: Record<NumeraiRefusalKind, string> = {
  'not-signed-in': 'Numerai did not accept the API token (missing, unknown or revoked)',
  'missing-scope': 'The Numerai API token lacks the web3_staking scope; create one with it on numer.ai',
  'no-selected-submission': 'The model has no submission selected for staking in this round',
  'staking-closed': 'Staking is closed for this round',
  'not-found': 'Numerai has no such round, model or claim (yet)',
  'rate-limited': "Numerai's API asks us to slow down; try again in a minute",
  unavailable: "Numerai's API cannot be reached or did not answer",
  'bad-answer': "Numerai's API sent an answer this app cannot use",
};

export function createStakingClient(opts: StakingClientOptions): NumeraiStakingApi {
  const { tournamentId, token, ...transport } = opts;
  if (token !== undefined && !/^\S+$/.test(token)) throw new RangeError('a Numerai API token has no spaces');
  // The token, and each half of it, is scrubbed from any text of Numerai's we quote.
  const secrets = token === undefined ? [] : [token, ...token.split('$').filter((p) => p.length >= 8)];
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
  const http = createNumeraiClient({
    ...transport,
    url: transport.url ?? NUMERAI_API_URL,
    // Only the calls that need the token carry it (the public config goes without).
    ...(token === undefined ? {} : { authorization: (req) => (PUBLIC_QUERIES.has(req.query) ? undefined : `Token ${token}`) }),
  });

  const refusal = (kind: NumeraiRefusalKind, numeraiSaid?: string) =>
    new NumeraiRefusal(kind, numeraiSaid === undefined ? SAYS[kind] : `${SAYS[kind]} (Numerai: "${scrub(numeraiSaid).slice(0, 200)}")`);

  /** Every failure of the transport as the refusal a caller acts on. */
  function toRefusal(e: unknown): NumeraiRefusal {
    if (!(e instanceof NumeraiApiError)) return refusal('unavailable');
    switch (e.code) {
      case 'graphql': {
        const said = e.graphqlMessages?.join('; ') ?? '';
        return refusal(refusalKindOfMessage(said) ?? 'bad-answer', said);
      }
      case 'rate_limited':
        return refusal('rate-limited');
      case 'http':
        if (e.status === 401 || e.status === 403) return refusal('not-signed-in');
        return refusal((e.status ?? 500) >= 500 ? 'unavailable' : 'bad-answer');
      case 'invalid_json':
        return refusal('bad-answer');
      case 'invalid_response':
        // The field that failed is ours to name (e.field is a path in the answer, never a secret).
        return new NumeraiRefusal('bad-answer', `${SAYS['bad-answer']} (${e.field ?? 'data'})`);
      default:
        return refusal('unavailable');
    }
  }

  async function ask<S extends z.ZodType>(field: V3FieldName, variables: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    try {
      const data = await http.request(
        { query: V3_QUERIES[field], variables: { ...variables, tournamentId } },
        z.object({ [field]: schema }),
      );
      return (data as Record<string, z.output<S>>)[field]!;
    } catch (e) {
      throw toRefusal(e);
    }
  }

  /** A null answer is Numerai's "nothing here". */
  async function askOne<S extends z.ZodType>(
    field: V3FieldName,
    variables: Record<string, unknown>,
    schema: S,
    ifNull: NumeraiRefusalKind = 'not-found',
  ): Promise<NonNullable<z.output<S>>> {
    const v = await ask(field, variables, schema.nullable());
    if (v === null || v === undefined) throw refusal(ifNull);
    return v;
  }

  return {
    tournamentId,
    config: () => askOne('v3StakeConfig', {}, V3StakeConfig),
    round: (roundId) => askOne('v3StakeRound', { roundId: roundId.toString() }, V3StakeRound),
    async selectedSubmission(apiModelId): Promise<SelectedSubmission> {
      const s = await askOne(SELECTED_SUBMISSION_FIELD, { modelId: apiModelId }, V3SelectedSubmission, 'no-selected-submission');
      return { submissionId: s.submissionId, roundId: BigInt(s.roundId) };
    },
    authorize: (req) =>
      askOne(
        'v3StakeAuth',
        { submissionId: req.submissionId, staker: req.staker, maxAmount: req.maxAmountWei.toString() },
        V3StakeAuthorization,
      ),
    claim: (req) => askOne('v3StakeClaim', { roundId: req.roundId.toString(), modelId: req.apiModelId, staker: req.staker }, V3StakeClaim),
    claims: (staker) => ask('v3StakeClaims', { staker }, z.array(V3StakeClaimsEntry).max(10_000)),
  };
}

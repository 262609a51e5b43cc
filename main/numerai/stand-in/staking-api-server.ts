/**
 * The staking v3 fields of Numerai's API, served from any in-process NumeraiStakingApi (the demo
 * Numerai, or a test fake) as a schema for the stand-in core (./graphql-server.ts). Merge it with the
 * public track-record fields to serve both on one port:
 *   startGraphqlServer(mergeSchemas(publicSchema, stakingApiSchema({ apis, grants, modelOfSubmission })))
 *
 * Each request's token is checked as Numerai does (ABS.md: automation tokens need the web3_staking
 * scope): numerapi's `Authorization: Token <public_id>$<secret_key>` header is looked up among the
 * grants; none or unknown → not signed in; no web3_staking scope → Numerai's exact message; a model
 * the account does not own → "Not found" (Numerai's wording is unknown; saying "not found" rather
 * than "not yours" also tells a stranger nothing about someone else's model).
 * `v3StakeConfig` is public (ABS.md O1: "staking contract metadata").
 */
import { timingSafeEqual } from 'node:crypto';
import type { ApiTokenGrant, NumeraiStakingApi } from '../v3-api';
import { NumeraiRefusal } from '../v3-api';
import { NUMERAI_MESSAGES, V3_FIELDS, fieldsOf, type V3FieldName } from '../v3-wire';
import { GraphqlError, type GraphqlSchema, type RequestContext, type RootField } from './graphql-server';

export const WEB3_STAKING_SCOPE = 'web3_staking';

export interface StakingApiServerOptions {
  /** One per tournament served; a request for another tournament is "Not found". */
  apis: readonly NumeraiStakingApi[];
  /** Read on every request, so the demo can issue and revoke tokens while it runs. */
  grants: () => readonly ApiTokenGrant[];
  /** The API model UUID a submission belongs to (undefined: no such submission), for v3StakeAuth's ownership check. */
  modelOfSubmission(submissionId: string): string | undefined;
  /**
   * Answer v3StakeClaim(s) to a request with no token at all, for any model: the demo Numerai does,
   * so a holder's app can relay claims when an operator is late (main/operator/README.md). Numerai's
   * live API needs a token (ABS.md T2); a request that sends one is checked as usual. Default false.
   */
  claimsWithoutToken?: boolean;
}

const DECIMAL = /^\d{1,78}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function refuse(kind: keyof typeof NUMERAI_MESSAGES): never {
  throw new GraphqlError(NUMERAI_MESSAGES[kind]);
}

/** A refusal of the in-process API, as Numerai's API would say it. */
function toGraphqlError(e: NumeraiRefusal): GraphqlError {
  switch (e.kind) {
    case 'rate-limited':
      return new GraphqlError('Too many requests', 429);
    case 'unavailable':
      return new GraphqlError('Service unavailable', 503);
    case 'bad-answer':
      return new GraphqlError('Internal server error', 500);
    default:
      return new GraphqlError(NUMERAI_MESSAGES[e.kind]);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function grantOf(ctx: RequestContext, grants: readonly ApiTokenGrant[]): ApiTokenGrant {
  const m = /^Token (\S+)$/.exec(ctx.authorization ?? '');
  const grant = m ? grants.find((g) => sameSecret(g.token, m[1]!)) : undefined;
  if (!grant) refuse('not-signed-in');
  if (!grant.scopes.includes(WEB3_STAKING_SCOPE)) refuse('missing-scope');
  return grant;
}

function decimal(v: unknown): bigint {
  if (typeof v !== 'string' || !DECIMAL.test(v)) refuse('not-found');
  return BigInt(v);
}

function address(v: unknown, name: string): string {
  if (typeof v !== 'string' || !ADDRESS.test(v)) throw new GraphqlError(`Argument "${name}" is not an address.`);
  return v;
}

function owned(grant: ApiTokenGrant, apiModelId: unknown): string {
  if (typeof apiModelId !== 'string' || !grant.apiModelIds.includes(apiModelId)) refuse('not-found');
  return apiModelId;
}

export function stakingApiSchema(opts: StakingApiServerOptions): GraphqlSchema {
  const apiFor = (tournamentId: unknown): NumeraiStakingApi =>
    opts.apis.find((a) => a.tournamentId === tournamentId) ?? refuse('not-found');
  const signedIn = (ctx: RequestContext) => grantOf(ctx, opts.grants());
  /** The grant whose models a claims request may read; undefined: every model (claimsWithoutToken, no token sent). */
  const claimsReader = (ctx: RequestContext) => (opts.claimsWithoutToken && ctx.authorization === undefined ? undefined : signedIn(ctx));

  const resolvers: Record<V3FieldName, (a: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>> = {
    v3StakeConfig: (a) => apiFor(a.tournamentId).config(),
    v3StakeRound: (a, ctx) => {
      signedIn(ctx);
      return apiFor(a.tournamentId).round(decimal(a.roundId));
    },
    v3StakeAuth: (a, ctx) => {
      const grant = signedIn(ctx);
      const api = apiFor(a.tournamentId);
      const submissionId = String(a.submissionId);
      owned(grant, opts.modelOfSubmission(submissionId));
      if (typeof a.maxAmount !== 'string' || !DECIMAL.test(a.maxAmount))
        throw new GraphqlError('Argument "maxAmount" is not a whole number of wei.');
      return api.authorize({ submissionId, staker: address(a.staker, 'staker'), maxAmountWei: BigInt(a.maxAmount) });
    },
    v3StakeClaim: (a, ctx) => {
      const grant = claimsReader(ctx);
      const api = apiFor(a.tournamentId);
      const apiModelId = grant ? owned(grant, a.modelId) : String(a.modelId);
      return api.claim({ roundId: decimal(a.roundId), apiModelId, staker: address(a.staker, 'staker') });
    },
    v3StakeClaims: async (a, ctx) => {
      const grant = claimsReader(ctx);
      const all = await apiFor(a.tournamentId).claims(address(a.staker, 'staker'));
      // "for an authenticated account's models" (ABS.md T1): others' positions are not listed.
      return grant ? all.filter((c) => grant.apiModelIds.includes(c.apiModelId)) : all;
    },
    v3SelectedSubmission: async (a, ctx) => {
      const grant = signedIn(ctx);
      const api = apiFor(a.tournamentId);
      const s = await api.selectedSubmission(owned(grant, a.modelId));
      return { submissionId: s.submissionId, roundId: s.roundId.toString() };
    },
  };

  const types: Record<string, Record<string, null>> = {};
  const fields: Record<string, RootField> = {};
  for (const [name, f] of Object.entries(V3_FIELDS) as [V3FieldName, (typeof V3_FIELDS)[V3FieldName]][]) {
    types[f.type] = Object.fromEntries(fieldsOf(f.type).map((k) => [k, null]));
    fields[name] = {
      args: f.args,
      type: f.type,
      resolve: async (a, ctx) => {
        try {
          return await resolvers[name](a, ctx);
        } catch (e) {
          throw e instanceof NumeraiRefusal ? toGraphqlError(e) : e;
        }
      },
    };
  }
  return { types: types, fields };
}

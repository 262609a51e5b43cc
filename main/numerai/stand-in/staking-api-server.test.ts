import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelId, fakeNumeraiSchema, makeFakeWorld } from '../../records/test-support/fake-numerai';
import { MODELS, OPEN_ROUND, POOL, RESOLVED_ROUND, memoryStakingApi } from '../test-support/memory-staking-api';
import { NumeraiRefusal, type ApiTokenGrant } from '../v3-api';
import { NUMERAI_MESSAGES, V3_QUERIES } from '../v3-wire';
import { mergeSchemas, startGraphqlServer, type GraphqlServer } from './graphql-server';
import { stakingApiSchema } from './staking-api-server';

const OWNER = 'PUBOWNER$owner-secret-0123456789';
const NO_SCOPE = 'PUBREAD$read-only-secret-0123456789';
const STRANGER = 'PUBOTHER$other-secret-0123456789';
const grants: ApiTokenGrant[] = [
  { token: OWNER, scopes: ['upload_submission', 'web3_staking'], apiModelIds: [MODELS.alpha, MODELS.beta] },
  { token: NO_SCOPE, scopes: ['read_user_info'], apiModelIds: [MODELS.alpha] },
  { token: STRANGER, scopes: ['web3_staking'], apiModelIds: [MODELS.beta] },
];

const api = memoryStakingApi(12);
const world = makeFakeWorld({ crypto: 2 });
let server: GraphqlServer;

beforeAll(async () => {
  // Public track-record fields and staking fields on one port, as the demo app mounts them.
  const staking = stakingApiSchema({ apis: [api], grants: () => grants, modelOfSubmission: (id) => api.submissions.get(id) });
  server = await startGraphqlServer(
    mergeSchemas(
      fakeNumeraiSchema(world, () => 1000),
      staking,
    ),
  );
});
afterAll(() => server.close());

async function ask(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data: Record<string, unknown> | null; errors?: { message: string }[] } };
}
const errorOf = (r: { body: { errors?: { message: string }[] } }) => r.body.errors?.[0]?.message;

describe('the staking v3 stand-in', () => {
  it('serves the public fields beside the staking fields on one port', async () => {
    const profile = await ask('query($n: String!) { v3UserProfile(modelName: $n) { id } }', { n: 'crypto_0' });
    expect(profile.body.data).toEqual({ v3UserProfile: { id: fakeModelId('crypto_0') } });
    const config = await ask(V3_QUERIES.v3StakeConfig, { tournamentId: 12 });
    expect(config.body.data?.v3StakeConfig).toEqual(await api.config());
  });

  it('checks the token on every staking field but the public config', async () => {
    const round = { roundId: String(OPEN_ROUND), tournamentId: 12 };
    expect(errorOf(await ask(V3_QUERIES.v3StakeRound, round))).toBe(NUMERAI_MESSAGES['not-signed-in']);
    expect(errorOf(await ask(V3_QUERIES.v3StakeRound, round, 'PUBX$unknown'))).toBe(NUMERAI_MESSAGES['not-signed-in']);
    expect(errorOf(await ask(V3_QUERIES.v3StakeRound, round, NO_SCOPE))).toBe('Insufficient permission for web3_staking');
    const ok = await ask(V3_QUERIES.v3StakeRound, round, OWNER);
    expect(ok.body.data?.v3StakeRound).toMatchObject({ roundId: '41', state: 'open', tournamentId: 12 });
  });

  it('requires tournamentId as the live API does, and knows only the tournaments it serves', async () => {
    const missing = await ask(V3_QUERIES.v3StakeConfig, {});
    expect(errorOf(missing)).toMatch(/Variable "\$tournamentId" of required type "Int!" was not provided/);
    expect(errorOf(await ask(V3_QUERIES.v3StakeConfig, { tournamentId: 8 }))).toBe(NUMERAI_MESSAGES['not-found']);
  });

  it("refuses a model, a submission or a claim the token's account does not own", async () => {
    const sel = await ask(V3_QUERIES.v3SelectedSubmission, { modelId: MODELS.alpha, tournamentId: 12 }, STRANGER);
    expect(errorOf(sel)).toBe(NUMERAI_MESSAGES['not-found']);
    const auth = await ask(
      V3_QUERIES.v3StakeAuth,
      { submissionId: 'sub-alpha-41', staker: POOL, maxAmount: '1', tournamentId: 12 },
      STRANGER,
    );
    expect(errorOf(auth)).toBe(NUMERAI_MESSAGES['not-found']);
    const claim = { roundId: String(RESOLVED_ROUND), modelId: MODELS.alpha, staker: POOL, tournamentId: 12 };
    expect(errorOf(await ask(V3_QUERIES.v3StakeClaim, claim, STRANGER))).toBe(NUMERAI_MESSAGES['not-found']);
    const theirs = await ask(V3_QUERIES.v3StakeClaims, { staker: POOL, tournamentId: 12 }, STRANGER);
    expect((theirs.body.data?.v3StakeClaims as { apiModelId: string }[]).map((c) => c.apiModelId)).toEqual([MODELS.beta]);
    const mine = await ask(V3_QUERIES.v3StakeClaims, { staker: POOL, tournamentId: 12 }, OWNER);
    expect(mine.body.data?.v3StakeClaims).toHaveLength(2);
  });

  it("says the in-process API's refusals the way Numerai's API does", async () => {
    const closed = { submissionId: 'sub-beta-41', staker: POOL, maxAmount: '5', tournamentId: 12 };
    api.rounds.set(OPEN_ROUND, { ...api.rounds.get(OPEN_ROUND)!, state: 'closed' });
    try {
      expect(errorOf(await ask(V3_QUERIES.v3StakeAuth, closed, OWNER))).toBe(NUMERAI_MESSAGES['staking-closed']);
    } finally {
      api.rounds.set(OPEN_ROUND, { ...api.rounds.get(OPEN_ROUND)!, state: 'open' });
    }
    api.selected.delete(MODELS.beta);
    try {
      const none = await ask(V3_QUERIES.v3SelectedSubmission, { modelId: MODELS.beta, tournamentId: 12 }, OWNER);
      expect(errorOf(none)).toBe(NUMERAI_MESSAGES['no-selected-submission']);
    } finally {
      api.selected.set(MODELS.beta, { submissionId: 'sub-beta-41', roundId: OPEN_ROUND });
    }
    const statuses: [NumeraiRefusal, number][] = [
      [new NumeraiRefusal('rate-limited', 'x'), 429],
      [new NumeraiRefusal('unavailable', 'x'), 503],
      [new NumeraiRefusal('bad-answer', 'x'), 500],
    ];
    for (const [refusal, status] of statuses) {
      api.failWith = refusal;
      try {
        expect((await ask(V3_QUERIES.v3StakeConfig, { tournamentId: 12 })).status).toBe(status);
      } finally {
        api.failWith = undefined;
      }
    }
  });

  it('refuses malformed arguments instead of passing them to the API', async () => {
    const bad = await ask(
      V3_QUERIES.v3StakeAuth,
      { submissionId: 'sub-alpha-41', staker: 'pool', maxAmount: '1', tournamentId: 12 },
      OWNER,
    );
    expect(errorOf(bad)).toMatch(/"staker" is not an address/);
    const neg = await ask(V3_QUERIES.v3StakeAuth, { submissionId: 'sub-alpha-41', staker: POOL, maxAmount: '-1', tournamentId: 12 }, OWNER);
    expect(errorOf(neg)).toMatch(/"maxAmount" is not a whole number/);
    const round = await ask(V3_QUERIES.v3StakeRound, { roundId: 'latest', tournamentId: 12 }, OWNER);
    expect(errorOf(round)).toBe(NUMERAI_MESSAGES['not-found']);
  });

  it('lets anyone read claims when the demo opens them, and still checks a token that is sent', async () => {
    const open = stakingApiSchema({ apis: [api], grants: () => grants, modelOfSubmission: () => undefined, claimsWithoutToken: true });
    const demo = await startGraphqlServer(open);
    try {
      const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
        const res = await fetch(demo.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        return (await res.json()) as { data: Record<string, unknown> | null; errors?: { message: string }[] };
      };
      const all = await post(V3_QUERIES.v3StakeClaims, { staker: POOL, tournamentId: 12 });
      expect(all.data?.v3StakeClaims).toHaveLength(2);
      const one = await post(V3_QUERIES.v3StakeClaim, {
        roundId: String(RESOLVED_ROUND),
        modelId: MODELS.alpha,
        staker: POOL,
        tournamentId: 12,
      });
      expect(one.data?.v3StakeClaim).toMatchObject({ apiModelId: MODELS.alpha });
      const scoped = await post(V3_QUERIES.v3StakeClaims, { staker: POOL, tournamentId: 12 }, STRANGER);
      expect(scoped.data?.v3StakeClaims).toHaveLength(1);
      const noScope = await post(V3_QUERIES.v3StakeClaims, { staker: POOL, tournamentId: 12 }, NO_SCOPE);
      expect(noScope.errors?.[0]?.message).toBe('Insufficient permission for web3_staking');
      const round = await post(V3_QUERIES.v3StakeRound, { roundId: String(OPEN_ROUND), tournamentId: 12 });
      expect(round.errors?.[0]?.message).toBe(NUMERAI_MESSAGES['not-signed-in']);
    } finally {
      await demo.close();
    }
  });

  it('keeps tokens out of its request log', () => {
    const log = JSON.stringify(server.requests);
    expect(server.requests.length).toBeGreaterThan(10);
    for (const secret of [OWNER, NO_SCOPE, STRANGER, 'owner-secret']) expect(log).not.toContain(secret);
  });
});

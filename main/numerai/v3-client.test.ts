import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGraphqlServer, type GraphqlServer } from './stand-in/graphql-server';
import { stakingApiSchema } from './stand-in/staking-api-server';
import { MODELS, OPEN_ROUND, POOL, RESOLVED_ROUND, memoryStakingApi } from './test-support/memory-staking-api';
import { NUMERAI_REFUSALS, NumeraiRefusal, type ApiTokenGrant, type NumeraiRefusalKind, type NumeraiStakingApi } from './v3-api';
import { createStakingClient, type StakingClientOptions } from './v3-client';
import { refusalKindOfMessage } from './v3-wire';

const PUBLIC_ID = 'PUBLICIDX7Q2M9W4';
const SECRET = 'SECRETKEYZ8N1V6T3R5Y0';
const TOKEN = `${PUBLIC_ID}$${SECRET}`;
const NO_SCOPE_TOKEN = 'READONLYPUB$READONLYSECRET42';
const grants: ApiTokenGrant[] = [
  { token: TOKEN, scopes: ['web3_staking'], apiModelIds: [MODELS.alpha, MODELS.beta] },
  { token: NO_SCOPE_TOKEN, scopes: ['upload_submission'], apiModelIds: [MODELS.alpha] },
];

const api = memoryStakingApi(12);
let server: GraphqlServer;
/** Every refusal any test saw, checked for the token at the end. */
const seen: unknown[] = [];

beforeAll(async () => {
  server = await startGraphqlServer(
    stakingApiSchema({ apis: [api], grants: () => grants, modelOfSubmission: (id) => api.submissions.get(id) }),
    { logLimit: Infinity },
  );
});
afterEach(() => {
  server.fault = undefined;
  api.failWith = undefined;
});
afterAll(async () => {
  await server.close();
});

const FAST = { requestsPerSecond: 1000, burst: 100, maxRetries: 1, retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 400 } as const;
const client = (opts: Partial<StakingClientOptions> = {}): NumeraiStakingApi =>
  createStakingClient({ url: server.url, tournamentId: 12, token: TOKEN, ...FAST, ...opts });

async function refusalOf(p: Promise<unknown>): Promise<NumeraiRefusal> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  seen.push(e);
  expect(e).toBeInstanceOf(NumeraiRefusal);
  return e as NumeraiRefusal;
}
async function expectRefusal(p: Promise<unknown>, kind: NumeraiRefusalKind): Promise<NumeraiRefusal> {
  const e = await refusalOf(p);
  expect(e.kind, e.message).toBe(kind);
  return e;
}

describe('the staking v3 client against the stand-in', () => {
  it('round-trips every call, sending tournamentId with each', async () => {
    const c = client();
    server.requests.length = 0;
    expect(await c.config()).toEqual(await api.config());
    expect(await c.round(OPEN_ROUND)).toEqual(await api.round(OPEN_ROUND));
    expect(await c.round(RESOLVED_ROUND)).toEqual(await api.round(RESOLVED_ROUND));
    const selected = await c.selectedSubmission(MODELS.alpha);
    expect(selected).toEqual({ submissionId: 'sub-alpha-41', roundId: OPEN_ROUND });
    const auth = await c.authorize({ submissionId: selected.submissionId, staker: POOL, maxAmountWei: 123_456_789_012_345_678_901n });
    expect(auth).toMatchObject({
      staker: POOL,
      maxAmount: '123456789012345678901',
      roundId: '41',
      submissionId: 'sub-alpha-41',
      tournamentId: 12,
    });
    const claim = await c.claim({ roundId: RESOLVED_ROUND, apiModelId: MODELS.beta, staker: POOL });
    expect(claim).toEqual(await api.claim({ roundId: RESOLVED_ROUND, apiModelId: MODELS.beta, staker: POOL }));
    expect(await c.claims(POOL)).toEqual(api.claimList);
    expect(server.requests.map((r) => [r.rootField, r.variables.tournamentId])).toEqual([
      ['v3StakeConfig', 12],
      ['v3StakeRound', 12],
      ['v3StakeRound', 12],
      ['v3SelectedSubmission', 12],
      ['v3StakeAuth', 12],
      ['v3StakeClaim', 12],
      ['v3StakeClaims', 12],
    ]);
    expect(server.requests[4]!.variables).toEqual({
      submissionId: 'sub-alpha-41',
      staker: POOL,
      maxAmount: '123456789012345678901',
      tournamentId: 12,
    });
  });

  it("sends the token in numerapi's header with the calls that need it, and only those", async () => {
    const sent: [string, string | null][] = [];
    const spy: typeof fetch = (input, init) => {
      const field = /\{\s*(\w+)\(/.exec((JSON.parse(init?.body as string) as { query: string }).query)?.[1] ?? '?';
      sent.push([field, new Headers(init?.headers).get('authorization')]);
      return fetch(input, init);
    };
    const c = client({ fetch: spy });
    await c.config();
    await c.claims(POOL);
    expect(sent).toEqual([
      ['v3StakeConfig', null],
      ['v3StakeClaims', `Token ${TOKEN}`],
    ]);
  });

  it('reads the public config without a token, and nothing else', async () => {
    const anon = client({ token: undefined });
    expect((await anon.config()).address).toMatch(/^0x/);
    await expectRefusal(anon.round(OPEN_ROUND), 'not-signed-in');
    await expectRefusal(client({ token: 'NOTAPUB$NOTASECRET99' }).claims(POOL), 'not-signed-in');
  });

  it("says why Numerai refused: scope, no selected submission, staking closed, not found, another's model", async () => {
    const e = await expectRefusal(client({ token: NO_SCOPE_TOKEN }).claims(POOL), 'missing-scope');
    expect(e.message).toMatch(/web3_staking/);
    const c = client();
    api.selected.delete(MODELS.beta);
    try {
      await expectRefusal(c.selectedSubmission(MODELS.beta), 'no-selected-submission');
      await expectRefusal(c.authorize({ submissionId: 'sub-beta-41', staker: POOL, maxAmountWei: 1n }), 'no-selected-submission');
    } finally {
      api.selected.set(MODELS.beta, { submissionId: 'sub-beta-41', roundId: OPEN_ROUND });
    }
    api.rounds.set(OPEN_ROUND, { ...api.rounds.get(OPEN_ROUND)!, state: 'closed' });
    try {
      await expectRefusal(c.authorize({ submissionId: 'sub-beta-41', staker: POOL, maxAmountWei: 1n }), 'staking-closed');
    } finally {
      api.rounds.set(OPEN_ROUND, { ...api.rounds.get(OPEN_ROUND)!, state: 'open' });
    }
    await expectRefusal(c.round(999n), 'not-found');
    await expectRefusal(c.claim({ roundId: OPEN_ROUND, apiModelId: MODELS.alpha, staker: POOL }), 'not-found');
    expect((await client({ token: NO_SCOPE_TOKEN }).config()).paused).toBe(false); // public: no scope needed
    await expectRefusal(c.selectedSubmission('not-my-model'), 'not-found');
    await expectRefusal(client({ tournamentId: 8 }).config(), 'not-found');
  });

  it('maps HTTP statuses: 401/403 → not signed in, 429 → rate-limited, 5xx → unavailable', async () => {
    const c = client();
    const cases: [number, NumeraiRefusalKind][] = [
      [401, 'not-signed-in'],
      [403, 'not-signed-in'],
      [429, 'rate-limited'],
      [500, 'unavailable'],
      [502, 'unavailable'],
      [400, 'bad-answer'],
    ];
    for (const [status, kind] of cases) {
      server.fault = () => ({ status });
      await expectRefusal(c.config(), kind);
    }
    server.fault = undefined;
    api.failWith = new NumeraiRefusal('unavailable', 'demo Numerai is down');
    await expectRefusal(c.round(OPEN_ROUND), 'unavailable');
  });

  it('retries a 500 once, then answers', async () => {
    server.fault = (r) => (r.n === 0 ? { status: 500 } : undefined);
    server.requests.length = 0;
    expect((await client().config()).paused).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a hanging or stalling API, and reports an unreachable one', async () => {
    server.fault = () => ({ hang: true });
    const t0 = performance.now();
    await expectRefusal(client({ maxRetries: 0, timeoutMs: 200 }).config(), 'unavailable');
    expect(performance.now() - t0).toBeLessThan(2000);
    server.fault = () => ({ stallMs: 1000 });
    await expectRefusal(client({ maxRetries: 0, timeoutMs: 200 }).round(OPEN_ROUND), 'unavailable');
    server.fault = () => ({ destroy: true });
    await expectRefusal(client({ maxRetries: 0 }).claims(POOL), 'unavailable');
    await expectRefusal(
      createStakingClient({ url: 'http://127.0.0.1:9/', tournamentId: 12, token: TOKEN, ...FAST }).config(),
      'unavailable',
    );
  });

  it('refuses answers that are not JSON or fail the schemas, naming the field', async () => {
    const c = client();
    server.fault = () => ({ malformedJson: true });
    await expectRefusal(c.config(), 'bad-answer');
    const mutations: [string, (d: Record<string, unknown>) => unknown, () => Promise<unknown>][] = [
      ['wrong type', (d) => ({ v3StakeRound: { ...(d.v3StakeRound as object), totalStaked: 12.5 } }), () => c.round(OPEN_ROUND)],
      ['missing field', (d) => ({ v3StakeConfig: { ...(d.v3StakeConfig as object), address: undefined } }), () => c.config()],
      [
        'short signature',
        (d) => ({ v3StakeAuth: { ...(d.v3StakeAuth as object), signature: '0x12' } }),
        () => c.authorize({ submissionId: 'sub-alpha-41', staker: POOL, maxAmountWei: 5n }),
      ],
      [
        'negative wei',
        (d) => ({ v3StakeClaim: { ...(d.v3StakeClaim as object), payoutAmountWei: '-1' } }),
        () => c.claim({ roundId: RESOLVED_ROUND, apiModelId: MODELS.alpha, staker: POOL }),
      ],
      ['not a list', () => ({ v3StakeClaims: { entries: [] } }), () => c.claims(POOL)],
      ['bad round id', () => ({ v3SelectedSubmission: { submissionId: 's', roundId: 'r-41' } }), () => c.selectedSubmission(MODELS.alpha)],
    ];
    for (const [what, mutate, call] of mutations) {
      server.fault = () => ({ mutate });
      const e = await expectRefusal(call(), 'bad-answer');
      expect(e.message, what).toMatch(/\(data\.v3\w+/);
    }
    server.fault = () => ({ graphqlErrors: [{ message: 'Something new went wrong' }] });
    const e = await expectRefusal(c.config(), 'bad-answer');
    expect(e.message).toContain('Something new went wrong');
  });

  it('honours the shared rate limit of the public client', async () => {
    const c = client({ requestsPerSecond: 20, burst: 1 });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await c.config();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 50 - 20);
  });

  it('never lets the token out: not in a refusal, even when the API echoes it, nor in the request log', async () => {
    server.fault = () => ({
      graphqlErrors: [{ message: `Token ${TOKEN} is not valid for web3_staking; public id ${PUBLIC_ID}, key ${SECRET}` }],
    });
    const echoed = await expectRefusal(client().claims(POOL), 'missing-scope');
    expect(echoed.message).toContain('[redacted]');
    expect(seen.length).toBeGreaterThan(25);
    for (const e of seen) {
      const r = e as NumeraiRefusal;
      const text = [r.message, String(r), r.stack ?? '', JSON.stringify(r)].join('\n');
      for (const secret of [TOKEN, SECRET, PUBLIC_ID]) expect(text).not.toContain(secret);
    }
    expect(new Set(seen.map((e) => (e as NumeraiRefusal).kind))).toEqual(new Set(NUMERAI_REFUSALS));
    const log = JSON.stringify(server.requests);
    for (const secret of [TOKEN, SECRET, PUBLIC_ID]) expect(log).not.toContain(secret);
  });
});

describe("a holder's app without a token, against the demo's open claims", () => {
  it('reads every pending claim and each proof', async () => {
    const demo = await startGraphqlServer(
      stakingApiSchema({ apis: [api], grants: () => grants, modelOfSubmission: () => undefined, claimsWithoutToken: true }),
    );
    try {
      const holder = createStakingClient({ url: demo.url, tournamentId: 12, ...FAST });
      expect(await holder.claims(POOL)).toEqual(api.claimList);
      expect((await holder.claim({ roundId: RESOLVED_ROUND, apiModelId: MODELS.beta, staker: POOL })).burnAmountWei).toBe(
        '98765432109876543',
      );
      await expectRefusal(holder.authorize({ submissionId: 'sub-beta-41', staker: POOL, maxAmountWei: 1n }), 'not-signed-in');
    } finally {
      await demo.close();
    }
  });
});

describe('reading Numerai error messages', () => {
  it('knows the verbatim and the likely wordings, and admits the unknown', () => {
    expect(refusalKindOfMessage('Insufficient permission for web3_staking')).toBe('missing-scope');
    expect(refusalKindOfMessage('You must be authenticated to perform this action')).toBe('not-signed-in');
    expect(refusalKindOfMessage('Unauthorized')).toBe('not-signed-in');
    expect(refusalKindOfMessage('No submission selected for staking in this round')).toBe('no-selected-submission');
    expect(refusalKindOfMessage('Round is closed')).toBe('staking-closed');
    expect(refusalKindOfMessage('Model not found')).toBe('not-found');
    expect(refusalKindOfMessage('Too many requests')).toBe('rate-limited');
    expect(refusalKindOfMessage('Cannot query field "x" on type "RootQueryType".')).toBeUndefined();
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NumeraiApiError, createNumeraiClient, parseRetryAfter, type NumeraiClientOptions } from './numerai-client';
import { ModelProfileSchema, MODEL_PROFILE_QUERY, leaderboardQuery, leaderboardSchema } from './numerai-queries';
import { DecimalError, parseNmrWei } from './nmr-decimal';
import { TokenBucket } from './rate-limit';
import { fakeLeaderboardReturn, makeFakeWorld, startFakeNumerai, type FakeNumerai } from './test-support/fake-numerai';

const FAST: NumeraiClientOptions = { requestsPerSecond: 1000, burst: 10, retryBaseMs: 5, retryMaxMs: 20, timeoutMs: 400, maxRetries: 2 };
const LB = { query: leaderboardQuery('classic'), variables: { limit: 10, offset: 0 } };
const lbSchema = leaderboardSchema('classic');

async function failure(p: Promise<unknown>): Promise<NumeraiApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NumeraiApiError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('NMR decimals', () => {
  it('parses what Numerai sends, exactly, and refuses what is not a whole number of wei', () => {
    expect(parseNmrWei('57.582371875005243780')).toBe(57_582371875005243780n);
    expect(parseNmrWei('0E-18')).toBe(0n);
    expect(parseNmrWei('0.000000000000000000')).toBe(0n);
    expect(parseNmrWei('-1.5')).toBe(-1_500000000000000000n);
    expect(parseNmrWei('1.25e3')).toBe(1250n * 10n ** 18n);
    expect(parseNmrWei('1E-18')).toBe(1n);
    expect(parseNmrWei(13)).toBe(13n * 10n ** 18n);
    expect(parseNmrWei(0.1)).toBe(10n ** 17n);
    expect(parseNmrWei('250000.000000000000000001')).toBe(250_000n * 10n ** 18n + 1n);
    for (const bad of ['', '.', 'abc', '1.2.3', '1e', '0.0000000000000000001', 'NaN', '1e99'])
      expect(() => parseNmrWei(bad), bad).toThrow(DecimalError);
    expect(() => parseNmrWei(Number.NaN)).toThrow(DecimalError);
  });
});

describe('token bucket', () => {
  it('spaces requests at the rate after the burst', () => {
    let now = 0;
    const b = new TokenBucket(5, 2, () => now);
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 200, 400]);
    now = 10_000; // idle: the burst is back
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 200]);
    b.pauseFor(1000);
    expect([b.reserve(), b.reserve()]).toEqual([1000, 1200]);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('GraphQL client against a local Numerai', () => {
  let api: FakeNumerai;
  beforeAll(async () => {
    api = await startFakeNumerai(makeFakeWorld({ classic: 4 }));
  });
  afterAll(() => api.close());
  const fresh = () => {
    api.fault = undefined;
    api.requests.length = 0;
  };

  it('posts {query, variables} as JSON and returns validated data', async () => {
    fresh();
    const c = createNumeraiClient({ ...FAST, url: api.url });
    const data = await c.request(LB, lbSchema);
    expect(data.v2Leaderboard).toHaveLength(4);
    // The classic leaderboard's selection includes Numerai's own 13- and 52-week returns.
    expect(data.v2Leaderboard![0]).toEqual({
      nmrStaked: '1000.000000000123456789',
      rank: 1,
      username: 'classic_0',
      return_13_weeks: fakeLeaderboardReturn('classic_0', 13),
      return_52_weeks: fakeLeaderboardReturn('classic_0', 52),
    });
    expect(api.requests[0]).toMatchObject({ rootField: 'v2Leaderboard', variables: { limit: 10, offset: 0 } });
    expect(c.stats).toEqual({ requests: 1, retries: 0 });
  });

  it('retries 500s and dropped connections with backoff, then succeeds', async () => {
    fresh();
    api.fault = (r) => (r.n === 0 ? { status: 500 } : r.n === 1 ? { destroy: true } : undefined);
    const c = createNumeraiClient({ ...FAST, url: api.url });
    const data = await c.request(LB, lbSchema);
    expect(data.v2Leaderboard).toHaveLength(4);
    expect(api.requests).toHaveLength(3);
    expect(c.stats.retries).toBe(2);
  });

  it('gives up after maxRetries on a persistent 503, saying so', async () => {
    fresh();
    api.fault = () => ({ status: 503 });
    const e = await failure(createNumeraiClient({ ...FAST, url: api.url }).request(LB, lbSchema));
    expect(e.code).toBe('http');
    expect(e.status).toBe(503);
    expect(e.attempts).toBe(3);
    expect(e.isOffline).toBe(true);
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry a 4xx other than 429', async () => {
    fresh();
    api.fault = () => ({ status: 400 });
    const e = await failure(createNumeraiClient({ ...FAST, url: api.url }).request(LB, lbSchema));
    expect([e.code, e.status, e.attempts, e.isOffline]).toEqual(['http', 400, 1, false]);
  });

  it('honours Retry-After on 429 (and pauses the whole client)', async () => {
    fresh();
    api.fault = (r) => (r.n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : undefined);
    const c = createNumeraiClient({ ...FAST, url: api.url });
    const t0 = performance.now();
    await c.request(LB, lbSchema);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(api.requests[1]!.atMs - api.requests[0]!.atMs).toBeGreaterThanOrEqual(990);
  });

  it('fails fast when Retry-After is longer than it is willing to wait', async () => {
    fresh();
    api.fault = () => ({ status: 429, headers: { 'retry-after': '3600' } });
    const t0 = performance.now();
    const e = await failure(createNumeraiClient({ ...FAST, url: api.url }).request(LB, lbSchema));
    expect(performance.now() - t0).toBeLessThan(500);
    expect([e.code, e.retryAfterMs, e.attempts]).toEqual(['rate_limited', 3_600_000, 1]);
    expect(e.message).toContain('3600 s');
  });

  it('reports a body that is not JSON, without retrying', async () => {
    fresh();
    api.fault = () => ({ malformedJson: true });
    const e = await failure(createNumeraiClient({ ...FAST, url: api.url }).request(LB, lbSchema));
    expect([e.code, e.attempts]).toEqual(['invalid_json', 1]);
  });

  it('turns a GraphQL errors array into a graphql error with its message', async () => {
    fresh();
    api.fault = () => ({ graphqlErrors: [{ message: 'Model not found' }] });
    const e = await failure(createNumeraiClient({ ...FAST, url: api.url }).request({ ...LB, model: 'someone' }, lbSchema));
    expect(e.code).toBe('graphql');
    expect(e.message).toContain('Model not found');
    expect(e.model).toBe('someone');
  });

  it('the fake refuses fields and arguments the real API does not have (so our queries are checked)', async () => {
    fresh();
    const c = createNumeraiClient({ ...FAST, url: api.url });
    const e1 = await failure(c.request({ query: '{ v2Leaderboard(limit: 1, offset: 0, tournament: 8) { username } }' }, z.unknown()));
    expect(e1.message).toContain('Unknown argument "tournament"');
    const e2 = await failure(c.request({ query: '{ v2Leaderboard(limit: 1, offset: 0) { username stake } }' }, z.unknown()));
    expect(e2.message).toContain('Cannot query field "stake"');
    const e3 = await failure(c.request({ query: MODEL_PROFILE_QUERY, variables: { tournament: 8 } }, z.unknown()));
    expect(e3.message).toContain('"$modelName" of required type "String!" was not provided');
  });

  it('names the field and the model when a response has the wrong type or a missing field', async () => {
    fresh();
    const c = createNumeraiClient({ ...FAST, url: api.url });
    const req = { query: MODEL_PROFILE_QUERY, variables: { modelName: 'classic_0', tournament: 8 }, model: 'classic_0' };
    api.fault = () => ({ mutate: (d) => ({ v3UserProfile: { ...(d.v3UserProfile as object), nmrStaked: 12.5e-30 } }) });
    const e1 = await failure(c.request(req, ModelProfileSchema));
    expect([e1.code, e1.field, e1.model]).toEqual(['invalid_response', 'data.v3UserProfile.nmrStaked', 'classic_0']);
    expect(e1.message).toMatch(/classic_0.*v3UserProfile\.nmrStaked/);
    api.fault = () => ({ mutate: (d) => ({ v3UserProfile: { ...(d.v3UserProfile as object), id: undefined } }) });
    const e2 = await failure(c.request(req, ModelProfileSchema));
    expect(e2.field).toBe('data.v3UserProfile.id');
    api.fault = () => ({ mutate: () => ({}) });
    expect((await failure(c.request(req, ModelProfileSchema))).field).toBe('data.v3UserProfile');
  });

  it('times out a slow answer and a body that stalls, retrying a bounded number of times', async () => {
    fresh();
    api.fault = () => ({ delayMs: 1000 });
    const c = createNumeraiClient({ ...FAST, url: api.url, timeoutMs: 150, maxRetries: 1 });
    const t0 = performance.now();
    const e = await failure(c.request(LB, lbSchema));
    expect([e.code, e.attempts]).toEqual(['timeout', 2]);
    expect(performance.now() - t0).toBeLessThan(900);
    fresh();
    api.fault = (r) => (r.n === 0 ? { stallMs: 1000 } : undefined);
    const data = await c.request(LB, lbSchema);
    expect(data.v2Leaderboard).toHaveLength(4);
    expect(api.requests).toHaveLength(2);
  });

  it('reports an API that cannot be reached as unreachable (offline)', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((r) => dead.close(() => r()));
    const e = await failure(createNumeraiClient({ ...FAST, url: `http://127.0.0.1:${port}/`, maxRetries: 1 }).request(LB, lbSchema));
    expect([e.code, e.isOffline, e.attempts]).toEqual(['unreachable', true, 2]);
    expect(e.message).toContain("Numerai's API cannot be reached");
  });

  it('keeps to the rate limit', async () => {
    fresh();
    const c = createNumeraiClient({ ...FAST, url: api.url, requestsPerSecond: 20, burst: 1 });
    await Promise.all(Array.from({ length: 5 }, () => c.request(LB, lbSchema)));
    const gaps = api.requests.slice(1).map((r, k) => r.atMs - api.requests[k]!.atMs);
    expect(api.requests).toHaveLength(5);
    // Measured where requests arrive, so allow for a loaded machine's delivery jitter: without the
    // limit, five requests arrive within a few milliseconds.
    expect(api.requests.at(-1)!.atMs - api.requests[0]!.atMs).toBeGreaterThanOrEqual(4 * 50 - 20);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(25);
  });

  it('stops at once when the caller aborts', async () => {
    fresh();
    api.fault = () => ({ hang: true });
    const ac = new AbortController();
    const p = createNumeraiClient({ ...FAST, url: api.url, timeoutMs: 5000 }).request(LB, lbSchema, ac.signal);
    setTimeout(() => ac.abort(), 30);
    const e = await failure(p);
    expect([e.code, e.attempts]).toEqual(['aborted', 1]);
  });
});

import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GraphqlError,
  execute,
  mergeSchemas,
  parseQuery,
  startGraphqlServer,
  type GraphqlSchema,
  type GraphqlServer,
} from './graphql-server';

const people: GraphqlSchema = {
  types: { Person: { name: null, age: null, friend: 'Person' } },
  fields: {
    person: {
      args: { id: 'ID!', verbose: 'Boolean' },
      type: 'Person',
      resolve: (a) => {
        if (a.id === 'nobody') throw new GraphqlError('Person not found');
        if (a.id === 'busy') throw new GraphqlError('Too many requests', 429);
        if (a.id === 'boom') throw new Error('secret internals');
        return { name: `p-${String(a.id)}`, age: 40, friend: { name: 'f', age: 41, friend: null }, hidden: 'x' };
      },
    },
  },
};
const counters: GraphqlSchema = {
  types: { Counter: { value: null } },
  fields: { counter: { args: { step: 'Int' }, type: 'Counter', resolve: (a) => [{ value: 1 }, { value: 1 + Number(a.step ?? 1) }] } },
};

const run = (schema: GraphqlSchema, query: string, variables: Record<string, unknown> = {}) =>
  execute(schema, { query, variables }, { authorization: undefined });

describe('the GraphQL front end', () => {
  it('parses the operation header, root field, arguments and selection', () => {
    const q = parseQuery(`query Q($id: ID!, $ids: [ID!]) { person(id: $id verbose: true) { name friend { age } } }`);
    expect(q.rootField).toBe('person');
    expect([...q.declared]).toEqual([
      ['id', { type: 'ID', required: true }],
      ['ids', { type: '[ID!]', required: false }],
    ]);
    expect(q.args.get('id')).toEqual({ variable: 'id' });
    expect(q.args.get('verbose')).toEqual({ literal: true });
    expect(q.selection.get('friend')).toEqual(new Map([['age', null]]));
    expect(() => parseQuery('mutation { person(id: 1) { name } }')).toThrow(/only queries/);
    expect(() => parseQuery('{ person(id: 1) { name }')).toThrow(/Syntax Error/);
  });

  it('returns exactly the fields selected, nested and in lists', async () => {
    const r = await run(people, 'query($id: ID!) { person(id: $id) { name friend { age } } }', { id: 'a' });
    expect(r).toMatchObject({ status: 200, rootField: 'person' });
    expect(r.response).toEqual({ data: { person: { name: 'p-a', friend: { age: 41 } } } });
    const list = await run(counters, '{ counter(step: 5) { value } }');
    expect(list.response.data).toEqual({ counter: [{ value: 1 }, { value: 6 }] });
  });

  it('refuses what a GraphQL server refuses, with its messages', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['{ nobody { name } }', {}, /Cannot query field "nobody" on type "RootQueryType"/],
      ['{ person(id: "a", colour: 1) { name } }', {}, /Unknown argument "colour" on field "person"/],
      ['{ person(id: "a") { name hidden } }', {}, /Cannot query field "hidden" on type "Person"/],
      ['{ person(id: "a") { friend } }', {}, /must have a selection of subfields/],
      ['{ person(id: "a") { name { x } } }', {}, /must not have a selection/],
      ['query($id: ID!) { person(id: $id) { name } }', {}, /Variable "\$id" of required type "ID!" was not provided/],
      ['{ person(id: $id) { name } }', { id: 'a' }, /Variable "\$id" is not defined/],
      ['{ person { name } }', {}, /In argument "id": Expected type "ID!", found null/],
      ['query($v: Boolean) { person(id: "a", verbose: $v) { name } }', { v: 'yes' }, /invalid value "yes": expected type "Boolean"/],
      ['{ person(id: "nobody") { name } }', {}, /Person not found/],
    ];
    for (const [query, vars, message] of cases) {
      const r = await run(people, query, vars);
      expect(r.status, query).toBe(200);
      expect(r.response.data).toBeNull();
      expect(r.response.errors?.[0]?.message, query).toMatch(message);
    }
    expect((await run(people, '{ person(id: "busy") { name } }')).status).toBe(429);
  });

  it('merges schemas to serve them on one port, and refuses a root field defined twice', async () => {
    const both = mergeSchemas(people, counters);
    expect((await run(both, '{ counter { value } }')).response.data).toEqual({ counter: [{ value: 1 }, { value: 2 }] });
    expect((await run(both, '{ person(id: "b") { name } }')).response.data).toEqual({ person: { name: 'p-b' } });
    expect(() => mergeSchemas(people, people)).toThrow(/root field person/);
  });
});

describe('the loopback server', () => {
  let server: GraphqlServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(server!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers on loopback, logs the root field and variables but never a header', async () => {
    server = await startGraphqlServer(people);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await post(JSON.stringify({ query: 'query($id: ID!) { person(id: $id) { age } }', variables: { id: 'z' } }), {
      authorization: 'Token pub$very-secret',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { person: { age: 40 } } });
    expect(server.requests).toEqual([{ n: 0, rootField: 'person', variables: { id: 'z' }, atMs: expect.any(Number) }]);
    expect(JSON.stringify(server.requests)).not.toContain('very-secret');
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(startGraphqlServer(people, { host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('caps the body, refuses non-JSON and non-POST, and hides an exception behind a plain 500', async () => {
    server = await startGraphqlServer(people, { maxBodyBytes: 1000 });
    const big = await post(JSON.stringify({ query: '{ person(id: "a") { name } }', variables: { pad: 'x'.repeat(2000) } }));
    expect(big.status).toBe(413);
    expect((await post('{nope')).status).toBe(400);
    expect((await fetch(server.url)).status).toBe(405);
    const boom = await post(JSON.stringify({ query: '{ person(id: "boom") { name } }' }));
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret internals');
    const busy = await post(JSON.stringify({ query: '{ person(id: "busy") { name } }' }));
    expect(busy.status).toBe(429);
    expect(await busy.json()).toEqual({ data: null, errors: [{ message: 'Too many requests' }] });
  });

  it('drops a client that takes too long to send its request', async () => {
    server = await startGraphqlServer(people, { requestTimeoutMs: 300 });
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // Headers that promise a body that never comes.
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"q');
    const t0 = performance.now();
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    await once(socket, 'close');
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps only the most recent requests in its log', async () => {
    server = await startGraphqlServer(counters, { logLimit: 2 });
    for (let i = 0; i < 4; i++) await post(JSON.stringify({ query: `{ counter(step: ${i}) { value } }` }));
    expect(server.requests.map((r) => r.n)).toEqual([2, 3]);
  });

  it('injects faults per request', async () => {
    server = await startGraphqlServer(counters);
    server.fault = (r) => (r.n === 0 ? { status: 503 } : r.n === 1 ? { mutate: () => ({ counter: 'wrong' }) } : undefined);
    const q = JSON.stringify({ query: '{ counter { value } }' });
    expect((await post(q)).status).toBe(503);
    expect(await (await post(q)).json()).toEqual({ data: { counter: 'wrong' } });
    expect((await (await post(q)).json()) as unknown).toEqual({ data: { counter: [{ value: 1 }, { value: 2 }] } });
  });

  it('turns away requests beyond its rate limit with 429 and Retry-After, as Numerai does', async () => {
    server = await startGraphqlServer(counters, { rateLimit: { perSecond: 5 } });
    const q = JSON.stringify({ query: '{ counter { value } }' });
    // Ten at once: the bucket holds five.
    const burst = await Promise.all(Array.from({ length: 10 }, () => post(q)));
    const refused = burst.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(server.rateLimited).toBe(5);
    expect(server.requests).toHaveLength(5); // the refused ones never ran
    // One a fifth of a second apart (what the app's client sends) is never refused.
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 6; i++) {
      expect((await post(q)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(server.rateLimited).toBe(5);
  });
});

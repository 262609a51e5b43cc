/**
 * Validating a network before it is saved, against stand-in nodes on loopback: each way a node or
 * an address can be wrong gets its own code and words. (The happy path against a real pool on
 * anvil is network.integration.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../devnet/anvil';
import { chainLabel, validateRemoteNetwork } from './network';

const POOL = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** A node that answers each request with whatever `reply` says for the current test. */
let reply: (method: string) => { status?: number; body: string } = () => ({ body: '{}' });
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += String(d)));
    req.on('end', () => {
      const { method } = JSON.parse(raw) as { method: string };
      const r = reply(method);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' }).end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const result = (value: unknown) => ({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, result: value }) });
const validate = (over: Partial<{ rpcUrl: string; chainId: number; poolAddress: string }> = {}) =>
  validateRemoteNetwork({ rpcUrl: url, chainId: 1, poolAddress: POOL, ...over });

describe('chainLabel', () => {
  it('names the chains people use and numbers the rest', () => {
    expect(chainLabel(1)).toBe('Ethereum mainnet');
    expect(chainLabel(11155111)).toBe('Sepolia');
    expect(chainLabel(31337)).toBe('Local chain');
    expect(chainLabel(10)).toBe('Chain 10');
  });
});

describe('validateRemoteNetwork refuses', () => {
  it('what is not a URL or an address, before asking any node', async () => {
    await expect(validate({ rpcUrl: 'node.example' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /full URL/ });
    await expect(validate({ rpcUrl: 'ftp://node.example' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /https:\/\// });
    await expect(validate({ poolAddress: '0x1234' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /not a valid address/ });
  });

  it('a URL where nothing answers', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    await expect(validate({ rpcUrl: closed })).rejects.toMatchObject({ code: 'RPC_UNREACHABLE', message: /Nothing answered/ });
  });

  it('a node that refuses, fails, or does not speak JSON-RPC', async () => {
    const cases: [() => { status?: number; body: string }, RegExp][] = [
      [() => ({ status: 401, body: 'no key' }), /refused the connection \(HTTP 401\): check the API key/],
      [() => ({ status: 502, body: 'bad gateway' }), /answered HTTP 502/],
      [() => ({ body: '<html>hello</html>' }), /did not answer in JSON/],
      [
        () => ({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'rate limited' } }) }),
        /error: rate limited/,
      ],
      [() => ({ body: JSON.stringify({ hello: 'world' }) }), /not JSON-RPC/],
      [() => result(42), /chain id that is not a number/],
    ];
    for (const [answer, message] of cases) {
      reply = answer;
      await expect(validate()).rejects.toMatchObject({ code: 'RPC_UNREACHABLE', message });
    }
  });

  it('a node on another chain than the one named, saying which', async () => {
    reply = () => result('0xaa36a7');
    await expect(validate({ chainId: 1 })).rejects.toMatchObject({
      code: 'WRONG_CHAIN',
      message: 'That node is on Sepolia (chain id 11155111), not chain id 1.',
    });
  });

  it('an address with no contract', async () => {
    reply = (method) => (method === 'eth_chainId' ? result('0x1') : result('0x'));
    await expect(validate()).rejects.toMatchObject({ code: 'NOT_A_POOL', message: `There is no contract at ${POOL} on Ethereum mainnet.` });
  });
});

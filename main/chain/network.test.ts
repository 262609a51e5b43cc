/**
 * Validating a network before it is saved, against stand-in nodes on loopback: each way a node or
 * an address can be wrong gets its own code and words. (The happy path against a real pool on
 * anvil is network.integration.test.ts; each address's verdicts, staking-addresses.integration.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../devnet/anvil';
import { chainLabel } from './network';
import { validateStakingNetwork } from './staking-network';

const POOL = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const NMR = '0x1776e1F26f98b1A5dF9cD347953a26dd3Cb46671';
const STAKING = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';

/** A JSON-RPC answer under the request's id (ethers matches them); a body that is not a JSON-RPC object as it is. */
function withId(body: string, id: number): string {
  try {
    const o = JSON.parse(body) as unknown;
    return o && typeof o === 'object' && 'jsonrpc' in o ? JSON.stringify({ ...o, id }) : body;
  } catch {
    return body;
  }
}

/** A node that answers each request with whatever `reply` says for the current test. */
let reply: (method: string) => { status?: number; body: string } = () => ({ body: '{}' });
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += String(d)));
    req.on('end', () => {
      const body = JSON.parse(raw) as { method: string; id: number } | { method: string; id: number }[];
      // ethers batches its calls: each gets the answer `reply` gives for its method, under its id.
      if (Array.isArray(body)) {
        const answers = body.map((b) => JSON.parse(withId(reply(b.method).body, b.id)) as unknown);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers));
        return;
      }
      const r = reply(body.method);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' }).end(withId(r.body, body.id));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const result = (value: unknown) => ({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, result: value }) });
const validate = (over: Partial<{ rpcUrl: string; chainId: number; poolAddress: string }> = {}) =>
  validateStakingNetwork({ rpcUrl: url, chainId: 1, nmrAddress: NMR, stakingAddress: STAKING, poolAddress: POOL, ...over });

describe('chainLabel', () => {
  it('names the chains people use and numbers the rest', () => {
    expect(chainLabel(1)).toBe('Ethereum mainnet');
    expect(chainLabel(11155111)).toBe('Sepolia');
    expect(chainLabel(31337)).toBe('Local chain');
    expect(chainLabel(10)).toBe('Chain 10');
  });
});

describe('validateStakingNetwork refuses', () => {
  it('what is not a URL or an address, before asking any node', async () => {
    await expect(validate({ rpcUrl: 'node.example' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /full URL/ });
    await expect(validate({ rpcUrl: 'ftp://node.example' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: /https:\/\// });
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

  it('an address that is not one, or with no contract, naming its field', async () => {
    reply = (method) => (method === 'eth_chainId' ? result('0x1') : result('0x'));
    await expect(validate({ poolAddress: '0x1234' })).rejects.toMatchObject({ code: 'NOT_A_POOL', message: /Pool: .*not an address/ });
    await expect(validate()).rejects.toMatchObject({ code: 'NOT_A_POOL', message: /Pool: .*no contract/ });
  });
});

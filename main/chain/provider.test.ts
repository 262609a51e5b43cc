import { JsonRpcProvider, Network } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { serveOnLoopback, type LoopbackServer } from './test-support/loopback-server';
import { createProvider, isLoopbackUrl } from './provider';
import { nodeFault } from './tx-errors';

const CHAIN_ID = 31337;
let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A stand-in node answering every request with `status` and `body`; `answer` may read the request. */
async function node(answer: (request: unknown) => { status: number; body: string }): Promise<string> {
  server = await serveOnLoopback(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const { status, body } = answer(JSON.parse(raw));
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  return server.url;
}

/** ethers' own transport for the same node: the behaviour the loopback transport must keep. */
const ethersOwn = (url: string) =>
  new JsonRpcProvider(url, Network.from(CHAIN_ID), { staticNetwork: Network.from(CHAIN_ID), batchMaxCount: 1 });

/** What the app makes of a failure (tx-errors.ts), or the value when there is none. */
async function outcome(p: JsonRpcProvider): Promise<unknown> {
  try {
    return await p.getBlockNumber();
  } catch (e) {
    return nodeFault(e)?.code ?? `unmapped: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    p.destroy();
  }
}

describe('createProvider on a loopback node', () => {
  it('answers single and batched requests as ethers does, results and JSON-RPC errors alike', async () => {
    const url = await node((req) => {
      const one = (r: { id: number; method: string }) =>
        r.method === 'eth_blockNumber'
          ? { jsonrpc: '2.0', id: r.id, result: '0x2a' }
          : { jsonrpc: '2.0', id: r.id, error: { code: -32601, message: 'no such method' } };
      return { status: 200, body: JSON.stringify(Array.isArray(req) ? req.map(one) : one(req as { id: number; method: string })) };
    });
    const p = createProvider(url, CHAIN_ID, 50, 10);
    try {
      const [n, m] = await Promise.all([p.getBlockNumber(), p.send('eth_blockNumber', [])]);
      expect(n).toBe(42);
      expect(m).toBe('0x2a');
      await expect(p.send('eth_nothing', [])).rejects.toThrow(/no such method/);
    } finally {
      p.destroy();
    }
  });

  it('keeps ethers’ error codes for a body that is not JSON, a server error and a node that is gone', async () => {
    const notJson = await node(() => ({ status: 200, body: '<html>gateway</html>' }));
    expect(await outcome(createProvider(notJson, CHAIN_ID, 50, 1))).toBe(await outcome(ethersOwn(notJson)));
    expect(await outcome(createProvider(notJson, CHAIN_ID, 50, 1))).toBe('RPC_BAD_ANSWER');
    await server?.close();

    const failing = await node(() => ({ status: 500, body: 'oops' }));
    expect(await outcome(createProvider(failing, CHAIN_ID, 50, 1))).toBe(await outcome(ethersOwn(failing)));
    expect(await outcome(createProvider(failing, CHAIN_ID, 50, 1))).toBe('RPC_UNREACHABLE');
    await server?.close();
    server = null;

    // The port just closed: nothing listens there now.
    const gone = createProvider(failing, CHAIN_ID, 50, 1);
    await expect(gone.send('eth_blockNumber', [])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    gone.destroy();
  });

  it('is used for loopback addresses only', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8545')).toBe(true);
    expect(isLoopbackUrl('http://localhost:8545/')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8545')).toBe(true);
    expect(isLoopbackUrl('https://eth.example.org')).toBe(false);
    expect(isLoopbackUrl('https://127.0.0.1:8545')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

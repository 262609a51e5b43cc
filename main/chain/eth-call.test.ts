import { AbstractProvider, JsonRpcProvider, Network, type PerformActionRequest } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { serveOnLoopback, type LoopbackServer } from './test-support/loopback-server';
import { createProvider } from './provider';
import { ethCall, ethLogs } from './eth-call';

const CHAIN_ID = 31337;
const TO = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const REVERT_DATA = '0x08c379a0' + '0'.repeat(62) + '20' + '0'.repeat(62) + '04' + Buffer.from('nope').toString('hex').padEnd(64, '0');
let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A stand-in node answering eth_call by the call's data: "0x01" answers a word, anything else reverts. */
async function node(seen: unknown[]): Promise<string> {
  server = await serveOnLoopback(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const one = (r: { id: number; method: string; params: [{ data: string }, string] }) => {
      seen.push(r.params);
      return r.params[0].data === '0x01'
        ? { jsonrpc: '2.0', id: r.id, result: '0x' + '0'.repeat(63) + '7' }
        : { jsonrpc: '2.0', id: r.id, error: { code: 3, message: 'execution reverted: nope', data: REVERT_DATA } };
    };
    const body = JSON.parse(raw) as Parameters<typeof one>[0] | Parameters<typeof one>[0][];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Array.isArray(body) ? body.map(one) : one(body)));
  });
  return server.url;
}

/** A failure's code, reason and data, as the app reads them (tx-errors.ts). */
const failure = (e: unknown) => {
  const f = e as { code?: string; reason?: string; data?: string };
  return { code: f.code, reason: f.reason, data: f.data };
};

describe('ethCall', () => {
  it('answers as ethers’ call does, a revert included, for the latest block', async () => {
    const seen: unknown[] = [];
    const url = await node(seen);
    const ours = createProvider(url, CHAIN_ID, 50, 1);
    const ethers = new JsonRpcProvider(url, Network.from(CHAIN_ID), { staticNetwork: Network.from(CHAIN_ID), batchMaxCount: 1 });
    try {
      expect(await ethCall(ours, TO, '0x01')).toBe(await ethers.call({ to: TO, data: '0x01' }));
      const theirs = await ethers.call({ to: TO, data: '0x02' }).catch(failure);
      const mine = await ethCall(ours, TO, '0x02').catch(failure);
      expect(mine).toEqual(theirs);
      expect(mine).toMatchObject({ code: 'CALL_EXCEPTION', reason: 'nope' });
      expect(seen.at(-1)).toEqual([{ to: TO, data: '0x02' }, 'latest']);
    } finally {
      ours.destroy();
      ethers.destroy();
    }
  });

  it('refuses an answer that is not hex, and asks any other provider through its call', async () => {
    server = await serveOnLoopback(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const { id } = JSON.parse(raw) as { id: number };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: 'not hex' }));
    });
    const p = createProvider(server.url, CHAIN_ID, 50, 1);
    await expect(ethCall(p, TO, '0x01')).rejects.toMatchObject({ code: 'BAD_DATA' });
    p.destroy();

    class Fixed extends AbstractProvider {
      override async _perform<T>(req: PerformActionRequest): Promise<T> {
        if (req.method === 'call') return '0x2a' as T;
        if (req.method === 'chainId') return CHAIN_ID as T;
        throw new Error(`not here: ${req.method}`);
      }
      override async _detectNetwork() {
        return Network.from(CHAIN_ID);
      }
    }
    expect(await ethCall(new Fixed(), TO, '0x01')).toBe('0x2a');
  });
});

describe('ethLogs', () => {
  const TOPIC = '0x' + 'ab'.repeat(32);
  /** A stand-in node answering eth_getLogs with `logs`, recording the filter it was asked. */
  async function logsNode(logs: unknown, asked: unknown[]): Promise<string> {
    server = await serveOnLoopback(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const r = JSON.parse(raw) as { id: number; method: string; params: unknown[] };
      asked.push(r.params[0]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: r.id, result: r.method === 'eth_getLogs' ? logs : '0x1' }));
    });
    return server.url;
  }
  const log = (data: string) => ({
    address: TO,
    topics: [TOPIC],
    data,
    blockNumber: '0x5',
    blockHash: '0x' + '11'.repeat(32),
    transactionHash: '0x' + '22'.repeat(32),
    transactionIndex: '0x0',
    logIndex: '0x0',
    removed: false,
  });

  it('answers each log’s topics and data as ethers’ getLogs reads them, for the range asked', async () => {
    const asked: unknown[] = [];
    const url = await logsNode([log('0x'), log('0x' + '00'.repeat(31) + '2a')], asked);
    const p = createProvider(url, CHAIN_ID, 50, 1);
    try {
      const ours = await ethLogs(p, { address: TO, topics: [TOPIC], fromBlock: 16, toBlock: 'latest' });
      expect(asked[0]).toEqual({ address: TO, topics: [TOPIC], fromBlock: '0x10', toBlock: 'latest' });
      const theirs = await p.getLogs({ address: TO, topics: [TOPIC], fromBlock: 16, toBlock: 'latest' });
      expect(ours).toEqual(theirs.map((l) => ({ topics: [...l.topics], data: l.data })));
    } finally {
      p.destroy();
    }
  });

  it('refuses an answer that is not a list of logs, or a log whose topics or data are not hex', async () => {
    for (const bad of [
      null,
      { logs: [] },
      [{ ...log('0x'), topics: ['0x12'] }],
      [{ ...log('0x'), data: '0x1' }],
      [{ ...log('0x'), data: 7 }],
    ]) {
      const url = await logsNode(bad, []);
      const p = createProvider(url, CHAIN_ID, 50, 1);
      await expect(ethLogs(p, { address: TO, topics: [TOPIC], fromBlock: 0, toBlock: 'latest' })).rejects.toMatchObject({
        code: 'BAD_DATA',
      });
      p.destroy();
      await server?.close();
      server = null;
    }
  });
});

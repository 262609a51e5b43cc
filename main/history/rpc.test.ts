import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRpc, RpcError } from './rpc';

let server: Server;
let base = '';
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const answer = (body: string, result: unknown) => JSON.stringify({ jsonrpc: '2.0', id: (JSON.parse(body) as { id: number }).id, result });

describe('HttpRpc', () => {
  it('reads plain, gzip-compressed and UTF-8 answers, and follows a 307 keeping the POST', async () => {
    const logs = Array.from({ length: 3_000 }, (_, i) => ({ blockNumber: `0x${i.toString(16)}`, data: `0x${'00'.repeat(64)}` }));
    handler = (req, body, res) => {
      if (req.url === '/moved') {
        res.writeHead(307, { location: '/gz' });
        return res.end();
      }
      if (req.url === '/gz') {
        expect(req.method).toBe('POST');
        expect(req.headers['accept-encoding']).toContain('gzip');
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(answer(body, logs)));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer(body, 'modèle ✓ 数値'));
    };
    const rpc = new HttpRpc(base);
    expect(await rpc.call('x', [])).toBe('modèle ✓ 数値');
    expect(await rpc.call('eth_getLogs', [])).toBe('modèle ✓ 数値');
    expect(await new HttpRpc(`${base}/moved`).call('eth_getLogs', [])).toEqual(logs);
    expect(rpc.requests).toBe(2);
  });

  it('keeps the node error, the HTTP status and Retry-After', async () => {
    handler = (_req, body, res) => {
      if (JSON.parse(body).method === 'limited') {
        res.writeHead(429, { 'retry-after': '2' });
        return res.end('slow down');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          error: { code: -32005, message: 'query returned more than 10000 results', data: { from: '0x1', to: '0x2' } },
        }),
      );
    };
    const rpc = new HttpRpc(base);
    const e = await rpc.call('eth_getLogs', []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ kind: 'rpc', code: -32005, data: { from: '0x1', to: '0x2' } });
    await expect(rpc.call('limited', [])).rejects.toMatchObject({
      kind: 'http',
      httpStatus: 429,
      retryAfterMs: 2_000,
      message: 'HTTP 429: slow down',
    });
  });

  it('reports a connection dropped midway, a time-out and a cancel as such', async () => {
    handler = (req, _body, res) => {
      if (req.url === '/drop') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write('{"jsonrpc":"2.0","id":1,"result":[');
        setTimeout(() => req.socket.destroy(), 5);
      }
      // Otherwise: no answer at all.
    };
    await expect(new HttpRpc(`${base}/drop`).call('eth_getLogs', [])).rejects.toMatchObject({ kind: 'network' });
    await expect(new HttpRpc(`${base}/hang`, { timeoutMs: 50 }).call('eth_getLogs', [])).rejects.toMatchObject({ kind: 'timeout' });
    const ctl = new AbortController();
    const pending = new HttpRpc(`${base}/hang`).call('eth_getLogs', [], { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveOnLoopback, type LoopbackServer } from './test-support/loopback-server';
import { postJson, PostTimeout } from './loopback-post';

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('postJson', () => {
  it('posts the body and reads a multi-byte UTF-8 answer whole, split across chunks', async () => {
    server = await serveOnLoopback(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const answer = Buffer.from(JSON.stringify({ echo: JSON.parse(raw) as unknown, name: 'Zoë’s model ✓' }));
      res.writeHead(201, 'Made', { 'content-type': 'application/json' });
      // A multi-byte character cut between two writes must still decode.
      const cut = answer.indexOf(0xe2) + 1;
      res.write(answer.subarray(0, cut));
      setTimeout(() => res.end(answer.subarray(cut)), 5);
    });
    const a = await postJson(server.url, JSON.stringify({ id: 7 }), 5000);
    expect(a.status).toBe(201);
    expect(a.statusText).toBe('Made');
    expect(JSON.parse(a.text)).toEqual({ echo: { id: 7 }, name: 'Zoë’s model ✓' });
  });

  it('gives up with PostTimeout when the whole answer is not in on time', async () => {
    server = await serveOnLoopback(async (_req, res) => {
      res.writeHead(200);
      res.write('{"half":'); // and never the rest
    });
    await expect(postJson(server.url, '{}', 100)).rejects.toBeInstanceOf(PostTimeout);
  });

  it('sends again on a new connection when the server drops a kept-alive one as it is reused', async () => {
    const seen = new Set<Socket>();
    server = await serveOnLoopback(async (req, res) => {
      // The server closes its side of an idle connection the moment the client reuses it.
      if (seen.has(req.socket)) return void req.socket.destroy();
      seen.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"connection":${seen.size}}`);
    });
    expect(JSON.parse((await postJson(server.url, '{}', 5000)).text)).toEqual({ connection: 1 });
    expect(JSON.parse((await postJson(server.url, '{}', 5000)).text)).toEqual({ connection: 2 });
  });

  it('rejects with the socket’s own error when nothing listens', async () => {
    server = await serveOnLoopback(async () => undefined);
    const url = server.url;
    await server.close();
    server = null;
    await expect(postJson(url, '{}', 5000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import type { Harness } from './server';
import { readEventStreamUntilRound, startFakeHarness } from './test-support/fake-harness';

/** What a hostile page, another local program or a DNS-rebinding site can throw at the loopback host. */
const TOKEN = 'hardening-token-0123456789';
const LIMITS = { maxBodyBytes: 64 * 1024, headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 40 };
let h: Harness;
let host = '';
const events = new EventBus();

type Reply = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: h.port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, headers: Record<string, string> = {}, body = '{}') =>
  raw(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-nmr-token': TOKEN, ...headers }, body });

/** Raw bytes on a socket; resolves with everything the server sent once it closes (or after `waitMs`). */
function rawSocket(bytes: string, waitMs = 3000): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const s = connect(h.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ text, closedByServer: false });
    }, waitMs);
    s.on('data', (d) => (text += d.toString()));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedByServer: true });
    });
    s.on('error', () => undefined);
    s.write(bytes);
  });
}

beforeAll(async () => {
  h = await startFakeHarness({ token: TOKEN, events, limits: LIMITS });
  host = `127.0.0.1:${h.port}`;
});
afterAll(() => h.close());

describe('Host header (DNS rebinding)', () => {
  it('answers its own names', async () => {
    expect((await raw('/', { headers: { host } })).status).toBe(200);
    expect((await raw('/', { headers: { host: `localhost:${h.port}` } })).status).toBe(200);
  });
  it.each([
    (p: number) => `127.0.0.1.evil.example:${p}`,
    (p: number) => `evil.example:${p}`,
    (p: number) => `[::1]:${p}`,
    (p: number) => `localhost.:${p}`,
    (p: number) => `LOCALHOST:${p}`,
    (p: number) => `0.0.0.0:${p}`,
    (p: number) => `127.1:${p}`,
    (p: number) => `2130706433:${p}`,
    (p: number) => `127.0.0.1:${p + 1}`,
    () => '127.0.0.1',
    () => 'localhost',
    (p: number) => `127.0.0.1:${p}.evil.example`,
  ])('refuses Host %#', async (make) => {
    const r = await raw('/', { headers: { host: make(h.port) } });
    expect(r.status).toBe(421);
    const a = await raw('/api/wallet.status', { method: 'POST', headers: { host: make(h.port), 'x-nmr-token': TOKEN }, body: '{}' });
    expect(a.status).toBe(421);
    expect(a.body).not.toContain('"ok":true');
  });
  it('refuses a request with no Host at all', async () => {
    const r10 = await rawSocket('GET / HTTP/1.0\r\n\r\n');
    expect(r10.text).toMatch(/^HTTP\/1\.[01] 421/);
    const r11 = await rawSocket('GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(r11.text).toMatch(/^HTTP\/1\.1 4\d\d/);
  });
});

describe('Origin', () => {
  it('accepts its own origin and none (same-origin GET)', async () => {
    expect(JSON.parse((await api('wallet.status', { origin: `http://${host}` })).body)).toMatchObject({ ok: true });
    expect(JSON.parse((await api('wallet.status')).body)).toMatchObject({ ok: true });
  });
  it.each([
    'null',
    'http://evil.example',
    `https://${'127.0.0.1'}:PORT`,
    'http://127.0.0.1:PORT.evil.example',
    'http://127.0.0.1.evil.example:PORT',
    '127.0.0.1:PORT',
    'http://127.0.0.1:PORT/',
    'http://[::1]:PORT',
    'http://127.0.0.1:OTHER',
    'file://',
    'app://renderer',
  ])('refuses Origin %s, for the API and for files', async (o) => {
    const origin = o.replace('PORT', String(h.port)).replace('OTHER', String(h.port + 1));
    const r = await api('wallet.status', { origin });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('"ok":true');
    expect((await raw('/', { headers: { origin } })).status).toBe(403);
  });
});

describe('no CORS, no token leaks', () => {
  it('never answers a preflight or sends CORS headers', async () => {
    const evil = await raw('/api/wallet.status', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    const own = await raw('/api/wallet.status', {
      method: 'OPTIONS',
      headers: { origin: `http://${host}`, 'access-control-request-method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(own.status).toBe(405);
    for (const r of [evil, own, await raw('/'), await api('wallet.status')]) {
      expect(Object.keys(r.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });
  it('keeps the event stream closed without the token (also when the token is in the query)', async () => {
    expect((await raw('/api/events')).status).toBe(401);
    expect((await raw('/api/events', { headers: { 'x-nmr-token': 'wrong' } })).status).toBe(401);
    expect((await raw(`/api/events?token=${TOKEN}`)).status).toBe(401);
    expect((await raw('/api/events', { headers: { 'x-nmr-token': TOKEN, origin: 'http://evil.example' } })).status).toBe(403);
  });
  it('refuses API calls without the token, with a near-miss, or with it in the query', async () => {
    for (const headers of [
      { 'x-nmr-token': '' },
      { 'x-nmr-token': TOKEN.slice(0, -1) },
      { 'x-nmr-token': `${TOKEN}x` },
      { 'x-nmr-token': TOKEN.toUpperCase() },
    ]) {
      expect(JSON.parse((await api('wallet.status', headers)).body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    const q = await raw(`/api/wallet.status?token=${TOKEN}`, { method: 'POST', body: '{}' });
    expect(JSON.parse(q.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
  it('refuses a caller without the token before reading its body', async () => {
    // 100 MB announced, none sent: the answer comes at once, and the connection is closed.
    const r = await rawSocket(`POST /api/wallet.status HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 104857600\r\n\r\n`, 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 200/);
    expect(r.text).toContain('"UNAUTHORIZED"');
    expect(r.closedByServer).toBe(true);
  });
  it('answers malformed paths and methods plainly, never with a crash', async () => {
    expect(JSON.parse((await api('%E0%A4%A')).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(JSON.parse((await api('__proto__')).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect((await raw('/%E0%A4%A')).status).toBe(404);
    expect((await raw('/index.html%00.png')).status).toBe(404);
    expect((await raw('/api/wallet.status')).status).toBe(405);
    expect((await raw('/', { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await raw('/', { method: 'TRACE' })).status).toBe(405);
  });
});

describe('limits', () => {
  it('refuses a body over the limit, declared or streamed, and keeps serving', async () => {
    const big = Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x20);
    const declared = await api('wallet.status', { 'content-length': String(big.length) }, big.toString());
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // Chunked, no length: cut off once it passes the limit.
    const streamed = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: h.port,
          path: '/api/wallet.status',
          method: 'POST',
          headers: { 'x-nmr-token': TOKEN, 'transfer-encoding': 'chunked' },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve(-1));
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(4096, 0x20));
      req.end();
    });
    expect([413, -1]).toContain(streamed);
    // Just under the limit is parsed as usual (whitespace around a JSON object).
    const fits = await api('wallet.status', {}, ' '.repeat(LIMITS.maxBodyBytes - 10) + '{}');
    expect(JSON.parse(fits.body)).toMatchObject({ ok: true });
    expect(JSON.parse((await api('wallet.status')).body)).toMatchObject({ ok: true });
  });

  it('is not blocked by slow or silent connections, and closes them', async () => {
    const t0 = performance.now();
    const slow = [
      rawSocket(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `, 5000), // headers never finish
      rawSocket(`POST /api/wallet.status HTTP/1.1\r\nHost: ${host}\r\nx-nmr-token: ${TOKEN}\r\nContent-Length: 100\r\n\r\n{"a":`, 5000), // body never finishes
      rawSocket('', 5000), // says nothing at all
    ];
    // Meanwhile everyone else is served at once.
    const answers = await Promise.all(Array.from({ length: 10 }, () => api('wallet.status')));
    for (const a of answers) expect(JSON.parse(a.body)).toMatchObject({ ok: true });
    expect(performance.now() - t0).toBeLessThan(1500);
    const ends = await Promise.all(slow);
    for (const e of ends) expect(e.closedByServer).toBe(true);
    expect(performance.now() - t0).toBeLessThan(4500);
  });

  it('keeps a quiet event stream open past every timeout', async () => {
    const got = await readEventStreamUntilRound(h.port, TOKEN, () => {
      setTimeout(() => events.emit('chain.round', { round: 9 }), LIMITS.requestTimeoutMs + 2 * LIMITS.headersTimeoutMs + 400);
    });
    expect(got).toContain('"round":9');
  });

  it('caps open connections', async () => {
    const sockets: Socket[] = [];
    for (let i = 0; i < LIMITS.maxConnections + 5; i++) {
      const s = connect(h.port, '127.0.0.1');
      s.on('error', () => undefined);
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 150));
    const closed = sockets.filter((s) => s.destroyed || s.readyState === 'closed').length;
    expect(closed).toBeGreaterThanOrEqual(5);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse((await api('wallet.status')).body)).toMatchObject({ ok: true });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import type { Harness } from './server';
import { readEventStreamUntilRound, startFakeHarness } from './test-support/fake-harness';

const TOKEN = 'test-token-123';
let h: Harness;
const events = new EventBus();

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  h = await startFakeHarness({ token: TOKEN, events });
});
afterAll(() => h.close());

describe('harness host', () => {
  it('listens on loopback and serves the renderer with a strict CSP', async () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await raw('/');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
  it('answers API calls only with the run token', async () => {
    const call = (token?: string) =>
      raw('/api/wallet.status', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-nmr-token': token } : {}) },
        body: '{}',
      });
    expect(JSON.parse((await call(TOKEN)).body)).toEqual({ ok: true, value: { state: 'none', address: null } });
    expect(JSON.parse((await call()).body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(JSON.parse((await call('test-token-124')).body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
  it('rejects other hosts (DNS rebinding) and other origins', async () => {
    expect((await raw('/', { headers: { host: `evil.example:${h.port}` } })).status).toBe(421);
    const r = await raw('/api/wallet.status', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'x-nmr-token': TOKEN },
      body: '{}',
    });
    expect(r.status).toBe(403);
  });
  it('turns malformed JSON into a clear error, not a crash', async () => {
    const r = await raw('/api/wallet.status', { method: 'POST', headers: { 'x-nmr-token': TOKEN }, body: '{not json' });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
  it('does not serve files outside the renderer folder', async () => {
    expect((await raw('/../../etc/passwd')).status).toBe(404);
    expect((await raw('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });
  it('serves an offered download once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-'));
    writeFileSync(join(dir, 'a.csv'), 'x,y\r\n');
    const path = h.offerDownload(join(dir, 'a.csv'), 'a.csv', 'text/csv');
    const first = await raw(path);
    expect(first.status).toBe(200);
    expect(first.body).toBe('x,y\r\n');
    expect(String(first.headers['content-disposition'])).toContain('attachment');
    expect((await raw(path)).status).toBe(404);
  });
  it('pushes events to a client holding the token', async () => {
    const got = await readEventStreamUntilRound(h.port, TOKEN, () => {
      setTimeout(() => events.emit('chain.round', { round: 7 }), 50);
    });
    expect(got).toContain('"round":7');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../ipc/events';
import { CALL_PATH, CALL_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../shared/call-socket';
import { offeredToken, parseCallMessage } from './call-socket';
import type { Harness } from './server';
import { startFakeHarness } from './test-support/fake-harness';

const TOKEN = 'socket-token-0123456789';
// Short time-outs, so that a test can outlast the loopback server's silent-connection timer.
const LIMITS = { maxBodyBytes: 4 * 1024, headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 40 };
let h: Harness;
const opened: WebSocket[] = [];

beforeAll(async () => {
  h = await startFakeHarness({ token: TOKEN, events: new EventBus(), limits: LIMITS });
});
afterAll(async () => {
  for (const ws of opened) ws.terminate();
  await h.close();
});

interface Dial {
  token?: string | null;
  origin?: string | null;
  host?: string;
  path?: string;
  protocols?: string[];
}

/** Opens a socket as the page would (its origin, its token) unless told otherwise; resolves once open. */
function dial(d: Dial = {}): Promise<WebSocket> {
  const token = d.token === undefined ? TOKEN : d.token;
  const protocols = d.protocols ?? [CALL_PROTOCOL, ...(token === null ? [] : [TOKEN_PROTOCOL_PREFIX + token])];
  const origin = d.origin === undefined ? h.url : d.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}${d.path ?? CALL_PATH}`, protocols, {
    ...(origin === null ? {} : { origin }),
    ...(d.host ? { headers: { host: d.host } } : {}),
  });
  opened.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function answerOf(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))));
}

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('the harness call socket', () => {
  it('answers a call through the router, with the call id, and chooses only its own protocol', async () => {
    const ws = await dial();
    expect(ws.protocol).toBe(CALL_PROTOCOL);
    const answer = answerOf(ws);
    ws.send(JSON.stringify({ id: 7, method: 'wallet.status', input: {} }));
    expect(await answer).toEqual({ id: 7, envelope: { ok: true, value: { state: 'none', address: null } } });
    const unknown = answerOf(ws);
    ws.send(JSON.stringify({ id: 8, method: 'no.such' }));
    expect(await unknown).toMatchObject({ id: 8, envelope: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
    const bad = answerOf(ws);
    ws.send(JSON.stringify({ id: 9, method: 'wallet.status', input: { extra: 1 } }));
    expect(await bad).toMatchObject({ id: 9, envelope: { ok: false, error: { code: 'BAD_INPUT' } } });
  });

  it('refuses an upgrade without the run token, with a near miss, or from another origin, host or path', async () => {
    await expect(dial({ token: null })).rejects.toThrow('refused 401');
    await expect(dial({ token: TOKEN.slice(0, -1) + 'X' })).rejects.toThrow('refused 401');
    await expect(dial({ origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(dial({ origin: null })).rejects.toThrow('refused 403');
    await expect(dial({ host: `evil.example:${h.port}` })).rejects.toThrow('refused 421');
    await expect(dial({ path: '/api/events' })).rejects.toThrow('refused 404');
    // The token alone, without the call protocol: the socket has no protocol to speak.
    await expect(dial({ protocols: [TOKEN_PROTOCOL_PREFIX + TOKEN] })).rejects.toThrow();
  });

  it('closes a socket that sends anything but a call, and one over the size limit', async () => {
    for (const message of ['{not json', '[1,2]', JSON.stringify({ id: -1, method: 'wallet.status' }), JSON.stringify({ id: 1 })]) {
      const ws = await dial();
      const closed = closeOf(ws);
      ws.send(message);
      expect(await closed).toBe(1008);
    }
    const binary = await dial();
    const closedBinary = closeOf(binary);
    binary.send(Buffer.from(JSON.stringify({ id: 1, method: 'wallet.status' })));
    expect(await closedBinary).toBe(1008);
    const big = await dial();
    const closedBig = closeOf(big);
    big.send(JSON.stringify({ id: 1, method: 'wallet.status', input: { pad: 'x'.repeat(LIMITS.maxBodyBytes) } }));
    expect(await closedBig).toBe(1009);
    // The host keeps serving.
    const ws = await dial();
    const answer = answerOf(ws);
    ws.send(JSON.stringify({ id: 1, method: 'wallet.status' }));
    expect(await answer).toMatchObject({ id: 1, envelope: { ok: true } });
  });

  it('keeps a quiet socket open past the silent-connection time-out', async () => {
    const ws = await dial();
    await new Promise((r) => setTimeout(r, LIMITS.headersTimeoutMs * 2 + 300));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const answer = answerOf(ws);
    ws.send(JSON.stringify({ id: 3, method: 'wallet.status' }));
    expect(await answer).toMatchObject({ id: 3, envelope: { ok: true } });
  });

  it('caps the sockets open at once', async () => {
    const many: WebSocket[] = [];
    let refused: unknown = null;
    for (let i = 0; i < 20 && !refused; i++) {
      try {
        many.push(await dial());
      } catch (e) {
        refused = e;
      }
    }
    expect(String(refused)).toContain('refused 503');
    for (const ws of many) ws.close();
    await Promise.all(many.map(closeOf));
    await expect(dial()).resolves.toBeDefined();
  });
});

describe('call socket parsing', () => {
  it('takes the token from the offered subprotocols', () => {
    expect(offeredToken(`${CALL_PROTOCOL}, ${TOKEN_PROTOCOL_PREFIX}abc_-1`)).toBe('abc_-1');
    expect(offeredToken(CALL_PROTOCOL)).toBeNull();
    expect(offeredToken(undefined)).toBeNull();
  });
  it('accepts a call and nothing else', () => {
    expect(parseCallMessage('{"id":1,"method":"wallet.status"}')).toEqual({ id: 1, method: 'wallet.status', input: {} });
    expect(parseCallMessage('{"id":1.5,"method":"m"}')).toBeNull();
    expect(parseCallMessage(`{"id":1,"method":"${'m'.repeat(101)}"}`)).toBeNull();
    expect(parseCallMessage('null')).toBeNull();
    expect(parseCallMessage('"x"')).toBeNull();
  });
});

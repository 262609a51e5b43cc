import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Router } from '../ipc/router';
import type { Logger } from '../log/logger';
import { CALL_PATH, CALL_PROTOCOL, TOKEN_PROTOCOL_PREFIX, type CallAnswer, type CallMessage } from '../../shared/call-socket';

/**
 * The page's API calls over one WebSocket (`/api/calls`), beside the one-request-per-call POST
 * /api/<method>. Why: in Chromium a fetch to a loopback host costs ~5 ms from call to answer even
 * when the host answers in 0.3 ms (its network service sets up a loader for every request), where
 * a message on an open socket costs ~1 ms; a sort or a page of the list waits for exactly one call.
 * The socket is a transport only: every call still goes through the router, which checks the
 * sender's token, the input and the result exactly as for a POST.
 *
 * The upgrade is refused unless it comes to the harness's own host and origin (a browser sends
 * Origin with every WebSocket, and no CORS stands between a web page and a socket) and offers this
 * run's token as a subprotocol (`nmr-delegate.token.<token>`: the browser's WebSocket cannot set
 * headers). The server answers with CALL_PROTOCOL only, never echoing the token.
 */
export interface CallSocketOptions {
  router: Router;
  /** Does this upgrade carry the run's token, as a WebSocket subprotocol? */
  tokenOk(presented: string | null): boolean;
  hostOk(host: string): boolean;
  originOk(origin: string): boolean;
  /** Largest message in bytes (the POST body's limit). */
  maxMessageBytes: number;
  /** Sockets open at once; more are refused (a page opens one). */
  maxSockets: number;
  log: Logger;
}

/** The token a client offers among its subprotocols, or null. */
export function offeredToken(header: string | undefined): string | null {
  for (const p of (header ?? '').split(',')) {
    const s = p.trim();
    if (s.startsWith(TOKEN_PROTOCOL_PREFIX)) return s.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

/** A message as a call, or null when it is not one (then the socket is closed: the page never sends such). */
export function parseCallMessage(data: string): CallMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const { id, method, input } = v as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
  if (typeof method !== 'string' || method.length > 100) return null;
  return { id, method, input: input ?? {} };
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Accepts call sockets on `server`'s upgrades; other upgrades are refused. */
export function acceptCallSockets(server: Server, opts: CallSocketOptions): { close(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (offered) => (offered.has(CALL_PROTOCOL) ? CALL_PROTOCOL : false),
  });
  const open = new Set<WebSocket>();

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== CALL_PATH) return refuse(socket, '404 Not Found');
    if (!opts.hostOk(req.headers.host ?? '')) return refuse(socket, '421 Misdirected Request');
    const origin = req.headers.origin;
    if (origin === undefined || !opts.originOk(origin)) return refuse(socket, '403 Forbidden');
    const token = offeredToken(req.headers['sec-websocket-protocol']);
    if (!opts.tokenOk(token)) {
      opts.log.warn('harness.rejected_token', { path: CALL_PATH });
      return refuse(socket, '401 Unauthorized');
    }
    if (open.size >= opts.maxSockets) return refuse(socket, '503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws clears the socket's time-out, which the loopback server set to close connections that
      // stay silent: a call socket is quiet between a person's clicks (a test keeps this so).
      open.add(ws);
      ws.on('close', () => open.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => void answer(ws, data, isBinary, token));
    });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean, token: string | null): Promise<void> {
    const call = isBinary ? null : parseCallMessage(rawText(data));
    if (!call) {
      ws.close(1008, 'not a call');
      return;
    }
    let envelope: unknown;
    try {
      envelope = await opts.router.handle(call.method, call.input, { kind: 'harness', token });
    } catch (e) {
      // The router answers every failure of a call itself; this is a fault of the transport's own.
      opts.log.error('harness.call_failed', { error: e instanceof Error ? e.message : String(e) });
      envelope = { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app.' } };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: call.id, envelope } satisfies CallAnswer));
  }

  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of open) ws.terminate();
      wss.close();
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

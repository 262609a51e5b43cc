import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The limits every loopback HTTP host of main keeps (the browser harness, the confirmation and
 * recovery-phrase window): any local program can connect to 127.0.0.1, so a host that waits forever
 * or reads without end is a way to stall or fill main. One piece of code, so the two hosts cannot
 * drift apart (issue 19 found the confirmation window without them).
 */
export interface ServerLimits {
  /** Largest request body in bytes; a larger one is answered 413 and its connection closed. */
  maxBodyBytes: number;
  /** A client must have sent its request headers within this time (slow loris; a silent
   *  connection is closed after twice this)… */
  headersTimeoutMs: number;
  /** …and its whole request within this one. */
  requestTimeoutMs: number;
  /** Open connections at once; more are refused (a page needs a handful). */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 256,
};

export class BodyTooLarge extends Error {}

/** The request body as text; rejects with BodyTooLarge as soon as it passes `max` bytes (declared or sent). */
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

export interface LoopbackServer {
  server: Server;
  /** Where it listens: http://127.0.0.1:<port>. */
  port: number;
  /** Closes every connection, then the server. */
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 with `limits`: header and request time-outs, silent connections
 * closed, a connection cap. `handle` gets each request once its headers are in; a rejection it
 * does not answer itself becomes a 500 (or a dropped connection once an answer began).
 */
export async function startLoopbackServer(
  limits: ServerLimits,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (e: unknown, res: ServerResponse) => void,
  port = 0,
): Promise<LoopbackServer> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(2000, limits.headersTimeoutMs),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      // Headers are in: from here Node's requestTimeout bounds the body, and a slow answer (an
      // export, say) must not be cut off by the silent-connection timer set below.
      req.socket.setTimeout(0);
      handle(req, res).catch((e: unknown) => onError(e, res));
    },
  );
  server.maxConnections = limits.maxConnections;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A connection that never sends its request headers is closed, even one that sends nothing.
    // (Node's socket.setTimeout(ms, callback): a number, not code, whatever electronegativity's
    // eval heuristic makes of the multiplication.)
    s.setTimeout(limits.headersTimeoutMs * 2, () => s.destroy()); // eng-disable DANGEROUS_FUNCTIONS_JS_CHECK
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

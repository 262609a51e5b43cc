import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { EventBus } from '../ipc/events';
import type { Router } from '../ipc/router';
import type { Logger } from '../log/logger';
import { RENDERER_CSP } from '../security/csp';
import { contentTypeFor, rendererFileAt } from '../security/renderer-files';
import { acceptCallSockets } from './call-socket';
import { BodyTooLarge, DEFAULT_LIMITS, readBody, startLoopbackServer, type ServerLimits } from './loopback-server';

/** The renderer's CSP (main/security/csp.ts), sent with every file of the renderer. */
export const CONTENT_SECURITY_POLICY = RENDERER_CSP;
/** Sent with everything else (API answers, downloads, errors): nothing may run, load or frame it. */
const LOCKED_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface HarnessOptions {
  router: Router;
  /** Where the page's event stream (/api/events) subscribes. */
  events: Pick<EventBus, 'subscribe'>;
  rendererDir: string;
  log: Logger;
  port?: number;
  token?: string;
  /** Overrides for tests; the defaults suit the app. */
  limits?: Partial<HarnessLimits>;
}

/** The harness's limits: those of every loopback host of main (loopback-server.ts). */
export type HarnessLimits = ServerLimits;

export interface Harness {
  url: string;
  /** The URL to open: it carries the per-run token in its fragment, which never reaches a server log. */
  appUrl: string;
  port: number;
  token: string;
  /** Makes a file downloadable once, under an unguessable path; returns that path. */
  offerDownload(file: string, fileName: string, contentType: string): string;
  close(): Promise<void>;
}

function sameSecret(a: string | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every response: not cached, not sniffed, not framed, not readable by another origin. */
const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json; charset=utf-8',
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...BASE_HEADERS, 'content-security-policy': LOCKED_CSP, 'content-type': type, ...extra });
  res.end(body);
}

/**
 * The renderer's files, read once and then sent from memory in one write. Streamed from disk, a file
 * takes a turn of main's event loop per 64 kB and can wait in libuv's thread pool behind a start's
 * own reads (the demo world's 8 MB of figures), at the moment that loop is busiest. Read at once
 * instead (a small file, under a millisecond). Its gain was not measured apart: at a start the
 * page's first file still waits for main's code to load. The build does not change while the app
 * runs (npm start builds first); ~1 MB in all.
 */
class RendererFileCache {
  private readonly files = new Map<string, Buffer>();

  /** The file's bytes, or null when it is not a file. */
  read(file: string): Buffer | null {
    let body = this.files.get(file);
    if (!body) {
      try {
        body = readFileSync(file);
      } catch {
        // Not there now (or a folder): not kept, it may be there later (a build under way).
        return null;
      }
      this.files.set(file, body);
    }
    return body;
  }
}

/** A decoded URL path, or null when its escapes are malformed or it holds a NUL. */
function decodePath(p: string): string | null {
  try {
    const d = decodeURIComponent(p);
    return d.includes('\0') ? null : d;
  } catch {
    return null;
  }
}

/**
 * The browser transport: the same router as Electron's IPC, served on loopback only. Every API
 * call and the event stream need the per-run token (checked before a body is even read); Host
 * and Origin must be this server's own (exact strings), which stops DNS rebinding and other sites'
 * pages from reaching it. No CORS headers are ever sent. Bodies are capped; slow or silent
 * connections are closed.
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const limits: HarnessLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const downloads = new Map<string, { file: string; fileName: string; contentType: string; expires: number }>();
  let port = 0;
  // Exact strings only: "127.0.0.1.evil.example:port", "[::1]:port" or an Origin of "null" never pass.
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const rendererFiles = new RendererFileCache();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return send(res, 421, '{"error":"wrong host"}');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, '{"error":"wrong origin"}');
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
      if (req.method !== 'POST') return send(res, 405, '{"error":"use POST"}');
      const tokenHeader = req.headers['x-nmr-token'];
      const presented = typeof tokenHeader === 'string' ? tokenHeader : null;
      if (!sameSecret(presented, token)) {
        // Refused before its body is read or parsed (the router would refuse it as well); the
        // connection is closed after the answer, so an unread body goes with it.
        opts.log.warn('harness.rejected_token', { path: url.pathname.slice(0, 80) });
        return send(
          res,
          200,
          JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'This caller is not allowed.' } }),
          undefined,
          {
            connection: 'close',
          },
        );
      }
      let input: unknown;
      try {
        const body = await readBody(req, limits.maxBodyBytes);
        input = body === '' ? {} : JSON.parse(body);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          // Answer, then close the connection (Node drops whatever is still coming).
          const tooLarge = { ok: false, error: { code: 'BAD_INPUT', message: 'The request is too large.' } };
          return send(res, 413, JSON.stringify(tooLarge), undefined, { connection: 'close' });
        }
        return send(res, 200, JSON.stringify({ ok: false, error: { code: 'BAD_INPUT', message: 'The request was not valid JSON.' } }));
      }
      const envelope = await opts.router.handle(decodePath(url.pathname.slice('/api/'.length)) ?? '', input, {
        kind: 'harness',
        token: presented,
      });
      return send(res, 200, JSON.stringify(envelope));
    }

    if (url.pathname.startsWith('/download/')) {
      const id = url.pathname.slice('/download/'.length);
      const d = downloads.get(id);
      if (!d || d.expires < Date.now() || !existsSync(d.file)) return send(res, 404, 'This download has expired.', 'text/plain');
      downloads.delete(id);
      res.writeHead(200, {
        ...BASE_HEADERS,
        'content-security-policy': LOCKED_CSP,
        'content-type': d.contentType,
        'content-length': String(statSync(d.file).size),
        'content-disposition': `attachment; filename="${d.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`,
      });
      createReadStream(d.file).pipe(res);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"method"}');
    const file = rendererFileAt(opts.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'Not found', 'text/plain');
    const body = rendererFiles.read(file);
    if (!body) return send(res, 404, 'Not found', 'text/plain');
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': contentTypeFor(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
      'content-length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse) {
    const t = req.headers['x-nmr-token'];
    if (!sameSecret(typeof t === 'string' ? t : null, token)) return send(res, 401, '{"error":"token"}');
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-security-policy': LOCKED_CSP,
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = opts.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  const host = await startLoopbackServer(
    limits,
    handle,
    (e, res) => {
      opts.log.error('harness.request_failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
      else res.destroy();
    },
    opts.port ?? 0,
  );
  port = host.port;
  const calls = acceptCallSockets(host.server, {
    router: opts.router,
    tokenOk: (presented) => sameSecret(presented, token),
    hostOk: (h) => allowedHosts().has(h),
    originOk: (o) => allowedOrigins().has(o),
    maxMessageBytes: limits.maxBodyBytes,
    maxSockets: 16,
    log: opts.log,
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    appUrl: `${url}/#token=${token}`,
    port,
    token,
    offerDownload(file, fileName, contentType) {
      const id = randomBytes(18).toString('base64url');
      downloads.set(id, { file, fileName, contentType, expires: Date.now() + 10 * 60_000 });
      return `/download/${id}`;
    },
    close: () => {
      calls.close();
      return host.close();
    },
  };
}

/** The sender check the harness router uses: the caller must present this run's token. */
export function harnessSenderCheck(token: string) {
  return (sender: { kind: string; token?: string | null }) => sender.kind === 'harness' && sameSecret(sender.token ?? null, token);
}

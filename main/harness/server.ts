import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { EventBus } from '../ipc/events';
import type { Router } from '../ipc/router';
import type { Logger } from '../log/logger';

const MAX_BODY = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // recharts positions its tooltips with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HarnessOptions {
  router: Router;
  events: EventBus;
  rendererDir: string;
  log: Logger;
  port?: number;
  token?: string;
}

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

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/**
 * The browser transport: the same router as Electron's IPC, served on loopback only. Every API
 * call needs the per-run token; Host and Origin must be this server's own, which stops DNS
 * rebinding and other sites' pages from reaching it. No CORS headers are ever sent.
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const downloads = new Map<string, { file: string; fileName: string; contentType: string; expires: number }>();
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const root = normalize(opts.rendererDir) + sep;

  const server = createServer((req, res) => {
    void (async () => {
      const host = req.headers.host ?? '';
      if (!allowedHosts().has(host)) return send(res, 421, '{"error":"wrong host"}');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
        return send(res, 403, '{"error":"wrong origin"}');
      }
      const url = new URL(req.url ?? '/', `http://${host}`);

      if (url.pathname.startsWith('/api/')) {
        if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
        if (req.method !== 'POST') return send(res, 405, '{"error":"use POST"}');
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body === '' ? {} : JSON.parse(body);
        } catch {
          return send(res, 200, JSON.stringify({ ok: false, error: { code: 'BAD_INPUT', message: 'The request was not valid JSON.' } }));
        }
        const tokenHeader = req.headers['x-nmr-token'];
        const envelope = await opts.router.handle(decodeURIComponent(url.pathname.slice(5)), input, {
          kind: 'harness',
          token: typeof tokenHeader === 'string' ? tokenHeader : null,
        });
        return send(res, 200, JSON.stringify(envelope));
      }

      if (url.pathname.startsWith('/download/')) {
        const id = url.pathname.slice('/download/'.length);
        const d = downloads.get(id);
        if (!d || d.expires < Date.now() || !existsSync(d.file)) return send(res, 404, 'This download has expired.', 'text/plain');
        downloads.delete(id);
        res.writeHead(200, {
          'content-type': d.contentType,
          'content-length': String(statSync(d.file).size),
          'content-disposition': `attachment; filename="${d.fileName.replace(/["\\\r\n]/g, '_')}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        return void createReadStream(d.file).pipe(res);
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"method"}');
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = normalize(join(opts.rendererDir, rel));
      if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
        return send(res, 404, 'Not found', 'text/plain');
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
      });
      createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      opts.log.error('harness.request_failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
      else res.destroy();
    });
  });

  function streamEvents(req: IncomingMessage, res: ServerResponse) {
    const t = req.headers['x-nmr-token'];
    if (!sameSecret(typeof t === 'string' ? t : null, token)) return send(res, 401, '{"error":"token"}');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
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
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The sender check the harness router uses: the caller must present this run's token. */
export function harnessSenderCheck(token: string) {
  return (sender: { kind: string; token?: string | null }) => sender.kind === 'harness' && sameSecret(sender.token ?? null, token);
}

import { Agent, request, type ClientRequest } from 'node:http';

/**
 * A JSON POST to a server on this machine (the local chain), over Node's http module. Node's fetch
 * was used before: its first call compiles the bundled undici, ~60 ms of main's CPU in the middle of a
 * start, while http is loaded anyway (the harness serves the page with it). Connections are kept
 * alive between requests, as fetch keeps them.
 */
const agent = new Agent({ keepAlive: true });

export interface PostAnswer {
  status: number;
  statusText: string;
  /** The body, decoded as UTF-8 by the platform. */
  text: string;
}

/** No whole answer within the time given. */
export class PostTimeout extends Error {
  override readonly name = 'PostTimeout';
}

/**
 * Posts `body` (JSON text) to `url` and reads the whole answer, or rejects with the socket's own
 * error (ECONNREFUSED…) or PostTimeout after `timeoutMs`. A kept-alive connection the server closed
 * just as it was reused is tried once more on a new one (what Node's documentation advises:
 * `request.reusedSocket`): the request never reached the server.
 */
export function postJson(url: string, body: string, timeoutMs: number): Promise<PostAnswer> {
  return new Promise<PostAnswer>((resolve, reject) => {
    let req: ClientRequest;
    const timer = setTimeout(() => req.destroy(new PostTimeout(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    const done =
      <A extends unknown[]>(settle: (...a: A) => void) =>
      (...a: A) => {
        clearTimeout(timer);
        settle(...a);
      };
    const send = (retry: boolean) => {
      req = request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.once('error', (e: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && e.code === 'ECONNRESET') send(false);
        else done(reject)(e);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', done(reject));
        res.once('end', () =>
          done(resolve)({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.end(body);
    };
    send(true);
  });
}

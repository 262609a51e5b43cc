import type { Envelope, MethodName } from '../../../shared/api';
import { CALL_PROTOCOL, TOKEN_PROTOCOL_PREFIX, type CallMessage } from '../../../shared/call-socket';

/** What a call whose socket closed before its answer resolves to (as a fetch that fails). */
export const NOT_ANSWERING: Envelope<unknown> = {
  ok: false,
  error: { code: 'CHAIN_UNAVAILABLE', message: 'The app’s background service is not answering. Is it still running?' },
};

/** The part of the browser's WebSocket this uses (a test hands in a fake). */
export interface SocketLike {
  readonly readyState: number;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  send(data: string): void;
  close(): void;
}

export type OpenSocket = (url: string, protocols: string[]) => SocketLike;

/** A call made while the socket connects, and how its caller learns the answer. */
interface WaitingCall {
  id: number;
  message: string;
  post: () => Promise<Envelope<unknown>>;
  resolve: (answer: Envelope<unknown>) => void;
  reject: (e: unknown) => void;
}

const CONNECTING = 0;
const OPEN = 1;

/**
 * The page's calls to the harness over one WebSocket: ~1 ms a call where a fetch to the same
 * loopback host is ~5 ms (see main/harness/call-socket.ts). A call made while the socket connects
 * (the page's first calls, at the start) waits for it and goes out when it opens: the harness
 * answers the upgrade as soon as it answers a POST, and four early POSTs cost the page, the browser
 * and the harness more than four messages. If the socket closes before it opened, those calls go
 * by `post` instead (none was sent), as every call does while there is no socket at all. A call
 * whose socket closes after it was sent resolves to NOT_ANSWERING, never sent again: main may have
 * done it.
 */
export class CallSocket {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Envelope<unknown>) => void>();
  /** Calls made while the socket connects: sent when it opens, posted if it closes first. */
  private waiting: WaitingCall[] = [];
  private retries = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly open: OpenSocket,
    private readonly later: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms),
  ) {
    this.connect();
  }

  /** Sends the call over the socket (once it is open, if it is connecting), or by `post` when there is none. */
  call(method: MethodName, input: unknown, post: () => Promise<Envelope<unknown>>): Promise<Envelope<unknown>> {
    const s = this.socket;
    if (!s || (s.readyState !== OPEN && s.readyState !== CONNECTING)) return post();
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, input: input ?? {} } satisfies CallMessage);
    return new Promise((resolve, reject) => {
      if (s.readyState === CONNECTING) {
        this.waiting.push({ id, message, post, resolve, reject });
        return;
      }
      this.pending.set(id, resolve);
      s.send(message);
    });
  }

  /** Closes the socket for good (a test's end); calls still waiting resolve to NOT_ANSWERING. */
  stop(): void {
    this.stopped = true;
    for (const w of this.takeWaiting()) w.resolve(NOT_ANSWERING);
    this.socket?.close();
    this.dropPending();
  }

  private connect(): void {
    if (this.stopped) return;
    let s: SocketLike;
    try {
      s = this.open(this.url, [CALL_PROTOCOL, TOKEN_PROTOCOL_PREFIX + this.token]);
    } catch {
      return; // no WebSocket here: every call goes as a POST
    }
    this.socket = s;
    s.addEventListener('open', () => {
      this.retries = 0;
      for (const w of this.takeWaiting()) {
        this.pending.set(w.id, w.resolve);
        s.send(w.message);
      }
    });
    s.addEventListener('message', (ev) => this.answer(ev.data));
    // An error is always followed by a close.
    s.addEventListener('close', () => {
      if (this.socket === s) this.socket = null;
      // As if they had been posted from the start: the POST's answer, or its failure, is theirs.
      for (const w of this.takeWaiting()) w.post().then(w.resolve, w.reject);
      this.dropPending();
      // The host restarted or went away: try again, less often the longer it stays away.
      this.later(() => this.connect(), Math.min(5000, 250 * 2 ** this.retries++));
    });
  }

  private answer(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const { id, envelope } = msg as { id?: unknown; envelope?: unknown };
    const resolve = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!resolve) return;
    this.pending.delete(id as number);
    // The envelope is checked by the API client (createApiClient), as a POST's answer is.
    resolve(envelope as Envelope<unknown>);
  }

  private takeWaiting() {
    const waiting = this.waiting;
    this.waiting = [];
    return waiting;
  }

  private dropPending(): void {
    for (const resolve of this.pending.values()) resolve(NOT_ANSWERING);
    this.pending.clear();
  }
}

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

const OPEN = 1;

/**
 * The page's calls to the harness over one WebSocket: ~1 ms a call where a fetch to the same
 * loopback host is ~5 ms (see main/harness/call-socket.ts). `call` returns null while the socket
 * is not open (connecting at the start, or reconnecting after the host went away): the transport
 * then sends that call as a POST, so nothing waits for the socket. A call whose socket closes
 * before it is answered resolves to NOT_ANSWERING, never sent again: main may have done it.
 */
export class CallSocket {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Envelope<unknown>) => void>();
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

  call(method: MethodName, input: unknown): Promise<Envelope<unknown>> | null {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return null;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      s.send(JSON.stringify({ id, method, input: input ?? {} } satisfies CallMessage));
    });
  }

  /** Closes the socket for good (a test's end); calls still waiting resolve to NOT_ANSWERING. */
  stop(): void {
    this.stopped = true;
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
    s.addEventListener('open', () => (this.retries = 0));
    s.addEventListener('message', (ev) => this.answer(ev.data));
    // An error is always followed by a close.
    s.addEventListener('close', () => {
      if (this.socket === s) this.socket = null;
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

  private dropPending(): void {
    for (const resolve of this.pending.values()) resolve(NOT_ANSWERING);
    this.pending.clear();
  }
}

import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../shared/api';
import { CALL_PROTOCOL } from '../../../shared/call-socket';
import { CallSocket, NOT_ANSWERING, type SocketLike } from './call-socket';

/** A WebSocket stand-in the test opens, answers and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  private readonly listeners = new Map<string, ((ev: { data: unknown }) => void)[]>();
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  addEventListener(type: string, listener: (ev: { data: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.fire('close');
  }
  fire(type: 'open' | 'close' | 'message', data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
}

function setUp() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const calls = new CallSocket(
    'ws://127.0.0.1:9/api/calls',
    'tok_-1',
    (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    (fn, ms) => timers.push({ fn, ms }),
  );
  return { calls, sockets, timers };
}

/** The transport's POST, counted: what a call falls back to. */
const POSTED: Envelope<unknown> = { ok: true, value: 'by POST' };
const post = () => vi.fn(() => Promise.resolve(POSTED));

describe('the page’s call socket', () => {
  it('offers its protocol and the run token; calls made while it connects go out, in order, when it opens', async () => {
    const { calls, sockets } = setUp();
    const s = sockets[0]!;
    expect(s.protocols).toEqual([CALL_PROTOCOL, 'nmr-delegate.token.tok_-1']);
    const fallback = post();
    const first = calls.call('wallet.status', {}, fallback);
    const second = calls.call('settings.get', {}, fallback);
    expect(s.sent).toEqual([]);
    s.fire('open');
    expect(s.sent.map((m) => (JSON.parse(m) as { method: string }).method)).toEqual(['wallet.status', 'settings.get']);
    s.fire('message', JSON.stringify({ id: 2, envelope: { ok: true, value: 'settings' } }));
    s.fire('message', JSON.stringify({ id: 1, envelope: { ok: true, value: 'status' } }));
    expect(await first).toEqual({ ok: true, value: 'status' });
    expect(await second).toEqual({ ok: true, value: 'settings' });
    expect(fallback).not.toHaveBeenCalled();
  });

  it('posts the calls made while it connected when it closes before opening (none was sent)', async () => {
    const { calls, sockets } = setUp();
    const fallback = post();
    const waiting = calls.call('wallet.status', {}, fallback);
    const failing = calls.call('settings.get', {}, () => Promise.reject(new Error('not JSON')));
    sockets[0]!.fire('close');
    expect(await waiting).toEqual(POSTED);
    await expect(failing).rejects.toThrow('not JSON'); // as the POST itself would have failed
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(sockets[0]!.sent).toEqual([]);
  });

  it('matches answers to calls by id, whatever their order, and ignores what is not an answer', async () => {
    const { calls, sockets } = setUp();
    const s = sockets[0]!;
    s.fire('open');
    const first = calls.call('wallet.status', undefined, post());
    const second = calls.call('models.list', { scope: 'all' }, post());
    expect(s.sent.map((m) => JSON.parse(m) as unknown)).toEqual([
      { id: 1, method: 'wallet.status', input: {} },
      { id: 2, method: 'models.list', input: { scope: 'all' } },
    ]);
    for (const junk of ['{nope', 'null', '{"id":99,"envelope":{}}', '{"id":"1"}']) s.fire('message', junk);
    s.fire('message', new ArrayBuffer(4));
    s.fire('message', JSON.stringify({ id: 2, envelope: { ok: true, value: 'list' } }));
    s.fire('message', JSON.stringify({ id: 1, envelope: { ok: true, value: 'status' } }));
    expect(await second).toEqual({ ok: true, value: 'list' });
    expect(await first).toEqual({ ok: true, value: 'status' });
  });

  it('answers calls in flight as "not answering" when the socket closes (never sent again), and reconnects with a growing pause', async () => {
    const { calls, sockets, timers } = setUp();
    sockets[0]!.fire('open');
    const fallback = post();
    const inFlight = calls.call('tx.request', { kind: 'delegate' }, fallback);
    sockets[0]!.fire('close');
    expect(await inFlight).toEqual(NOT_ANSWERING);
    expect(fallback).not.toHaveBeenCalled();
    expect(await calls.call('wallet.status', {}, fallback)).toEqual(POSTED); // no socket until the retry: a POST meanwhile
    expect(timers.map((t) => t.ms)).toEqual([250]);
    timers[0]!.fn();
    expect(sockets).toHaveLength(2);
    sockets[1]!.fire('close'); // the host is still away
    timers[1]!.fn();
    sockets[2]!.fire('close');
    expect(timers.map((t) => t.ms)).toEqual([250, 500, 1000]);
    timers[2]!.fn();
    sockets[3]!.fire('open');
    void calls.call('wallet.status', {}, fallback);
    expect(sockets[3]!.sent).toHaveLength(1);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(sockets.slice(0, 3).every((s) => s.sent.length === (s === sockets[0] ? 1 : 0))).toBe(true);
  });

  it('stops for good', async () => {
    const { calls, sockets, timers } = setUp();
    const fallback = post();
    const unsent = calls.call('settings.get', {}, fallback);
    sockets[0]!.fire('open');
    const waiting = calls.call('wallet.status', {}, fallback);
    const connecting = setUp();
    const neverSent = connecting.calls.call('wallet.status', {}, fallback);
    calls.stop();
    connecting.calls.stop();
    expect(await waiting).toEqual(NOT_ANSWERING);
    expect(await unsent).toEqual(NOT_ANSWERING); // sent when it opened, then cut off
    expect(await neverSent).toEqual(NOT_ANSWERING);
    expect(fallback).not.toHaveBeenCalled();
    timers.forEach((t) => t.fn());
    expect(sockets).toHaveLength(1);
  });

  it('leaves every call to POST where no socket can be opened', async () => {
    const calls = new CallSocket('ws://x/api/calls', 't', () => {
      throw new Error('no WebSocket');
    });
    const fallback = post();
    expect(await calls.call('wallet.status', {}, fallback)).toEqual(POSTED);
    expect(fallback).toHaveBeenCalledTimes(1);
  });
});

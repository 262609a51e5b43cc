import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A WalletConnect v2 relay of our own on 127.0.0.1, for tests without internet: it speaks the
 * relay's JSON-RPC over WebSocket as far as @walletconnect/sign-client uses it. Messages are
 * opaque (end-to-end encrypted by the clients); the relay only routes them by topic.
 *
 * Like the real relay, a message waits in a topic's mailbox until each client subscribed to the
 * topic got it (delivered at once when connected, on subscribe or on `irn_batchFetchMessages`
 * otherwise); a client never gets back what it published itself. Clients are told apart by the
 * `iss` of the JWT they connect with (their relay key), so a client that reconnects after a
 * restart gets what it missed.
 */
export interface RelayStandIn {
  url: string;
  /** Every JSON-RPC method the clients called, in order (for tests that want to see the protocol). */
  methods: string[];
  /** Drops every connection (a relay outage); clients reconnect by themselves. */
  dropConnections(): void;
  /** Holds back every message published from now on (a wallet that never answers) until `release`. */
  hold(on: boolean): void;
  close(): Promise<void>;
}

interface Stored {
  topic: string;
  message: string;
  publishedAt: number;
  tag: number;
  from: string;
  deliveredTo: Set<string>;
}

interface Rpc {
  id: number | string;
  method?: string;
  params?: Record<string, unknown>;
}

export async function startRelayStandIn(): Promise<RelayStandIn> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const mailbox = new Map<string, Stored[]>();
  /** topic → clients subscribed (by client id). */
  const subscribers = new Map<string, Set<string>>();
  const sockets = new Map<string, Set<WebSocket>>();
  const methods: string[] = [];
  let holding = false;
  const held: Stored[] = [];

  const subscriptionId = (client: string, topic: string) => `${client.slice(-16)}:${topic}`;

  const deliver = (client: string, m: Stored) => {
    const open = [...(sockets.get(client) ?? [])].filter((s) => s.readyState === s.OPEN);
    if (!open.length || m.deliveredTo.has(client)) return;
    m.deliveredTo.add(client);
    const data = { topic: m.topic, message: m.message, publishedAt: m.publishedAt, tag: m.tag };
    const frame = JSON.stringify({
      id: Date.now() * 1000 + Math.floor(Math.random() * 1000),
      jsonrpc: '2.0',
      method: 'irn_subscription',
      params: { id: subscriptionId(client, m.topic), data },
    });
    open[0]!.send(frame);
  };

  const publish = (from: string, topic: string, message: string, tag: number) => {
    const m: Stored = { topic, message, publishedAt: Date.now(), tag, from, deliveredTo: new Set([from]) };
    if (holding) return void held.push(m);
    route(m);
  };

  const route = (m: Stored) => {
    const box = mailbox.get(m.topic) ?? [];
    box.push(m);
    mailbox.set(m.topic, box);
    for (const client of subscribers.get(m.topic) ?? []) deliver(client, m);
  };

  const subscribe = (client: string, topic: string) => {
    const set = subscribers.get(topic) ?? new Set<string>();
    set.add(client);
    subscribers.set(topic, set);
    return subscriptionId(client, topic);
  };

  const pending = (client: string, topics: string[]) =>
    topics.flatMap((t) => (mailbox.get(t) ?? []).filter((m) => !m.deliveredTo.has(client)));

  wss.on('connection', (socket, request) => {
    const client = clientId(request.url ?? '');
    const mine = sockets.get(client) ?? new Set<WebSocket>();
    mine.add(socket);
    sockets.set(client, mine);
    socket.on('close', () => mine.delete(socket));
    socket.on('message', (raw: Buffer) => {
      let rpc: Rpc;
      try {
        rpc = JSON.parse(raw.toString()) as Rpc;
      } catch {
        return;
      }
      if (!rpc.method) return; // an answer to our irn_subscription
      methods.push(rpc.method);
      const p = rpc.params ?? {};
      const answer = (result: unknown) => socket.send(JSON.stringify({ id: rpc.id, jsonrpc: '2.0', result }));
      const tag = (n: unknown) => (typeof n === 'number' ? n : 0);
      switch (rpc.method) {
        case 'irn_subscribe': {
          const topic = String(p.topic);
          answer(subscribe(client, topic));
          // What waited for this client on the topic comes now, after the answer (as the relay does).
          setImmediate(() => pending(client, [topic]).forEach((m) => deliver(client, m)));
          return;
        }
        case 'irn_batchSubscribe': {
          const topics = (p.topics as string[]) ?? [];
          answer(topics.map((t) => subscribe(client, t)));
          setImmediate(() => pending(client, topics).forEach((m) => deliver(client, m)));
          return;
        }
        case 'irn_unsubscribe':
          subscribers.get(String(p.topic))?.delete(client);
          return answer(true);
        case 'irn_batchUnsubscribe':
          for (const s of (p.subscriptions as { topic: string }[]) ?? []) subscribers.get(s.topic)?.delete(client);
          return answer(true);
        case 'irn_publish':
          publish(client, String(p.topic), String(p.message), tag(p.tag));
          return answer(true);
        case 'irn_batchPublish':
          for (const m of (p.messages as { topic: string; message: string; tag?: number }[]) ?? [])
            publish(client, m.topic, m.message, tag(m.tag));
          return answer(true);
        case 'irn_batchFetchMessages': {
          const messages = pending(client, (p.topics as string[]) ?? []).map((m) => {
            m.deliveredTo.add(client);
            return { topic: m.topic, message: m.message, publishedAt: m.publishedAt, tag: m.tag };
          });
          return answer({ messages, hasMore: false });
        }
        // The relay-side pairing methods: the proposal goes out on the pairing topic; the approval
        // answers it there and starts the session with the settle request on the session topic
        // (the approver is subscribed to it by the relay).
        case 'wc_proposeSession':
          // The proposer is subscribed to the pairing topic by the relay (it sends no irn_subscribe for it).
          subscribe(client, String(p.pairingTopic));
          publish(client, String(p.pairingTopic), String(p.sessionProposal), 1100);
          return answer(true);
        case 'wc_approveSession':
          subscribe(client, String(p.sessionTopic));
          publish(client, String(p.pairingTopic), String(p.sessionProposalResponse), 1101);
          publish(client, String(p.sessionTopic), String(p.sessionSettlementRequest), 1102);
          return answer(true);
        default:
          return socket.send(
            JSON.stringify({ id: rpc.id, jsonrpc: '2.0', error: { code: -32601, message: `method not found: ${rpc.method}` } }),
          );
      }
    });
  });

  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    methods,
    dropConnections: () => wss.clients.forEach((s) => s.terminate()),
    hold(on) {
      holding = on;
      if (!on) held.splice(0).forEach(route);
    },
    close: () =>
      new Promise<void>((resolve) => {
        wss.clients.forEach((s) => s.terminate());
        wss.close(() => resolve());
      }),
  };
}

/** The client's relay key (the JWT's `iss`), or a random id for a client that sent none. */
function clientId(url: string): string {
  const auth = new URL(url, 'ws://relay').searchParams.get('auth');
  const payload = auth?.split('.')[1];
  if (payload) {
    try {
      const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown }).iss;
      if (typeof iss === 'string') return iss;
    } catch {
      // not a JWT: an anonymous client
    }
  }
  return randomBytes(8).toString('hex');
}

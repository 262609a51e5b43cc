/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a local node that behaves like the hosted providers on a
 * bad day: eth_getLogs range limits (Alchemy-style -32602 "Log response size exceeded … this block range
 * should work: [a, b]" above N blocks; Infura-style -32005 "query returned more than N results. Try
 * with this block range [a, b]." with data {from, to, limit}), HTTP 429 with Retry-After, requests that
 * never get an answer (time-outs), connections dropped before or in the middle of the answer, and a
 * switch that stalls every eth_getLogs after a given count (to kill a client mid-export). Faults are
 * drawn from a seeded generator. Only loopback addresses; every request loop is bounded by the client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from '../../chain/test-support/loopback-server';
import { rng } from './rng';

export interface FaultPlan {
  seed?: number;
  /** eth_getLogs wider than this many blocks → -32602 with a suggested range (Alchemy). */
  blockRangeLimit?: number | null;
  /** eth_getLogs with more results than this → -32005 with a suggested range (Infura). */
  resultLimit?: number | null;
  /** Probabilities per HTTP request. */
  rate429?: number;
  timeout?: number;
  drop?: number;
  /** Only these methods get random faults (default: all). */
  faultMethods?: string[] | null;
  /** After this many answered eth_getLogs, every further eth_getLogs hangs (never answered). */
  stallGetLogsAfter?: number | null;
}

export interface GetLogsRecord {
  from: number;
  to: number;
  topic0: string[];
  topics: unknown[];
  answered: boolean;
}

export interface FaultStats {
  requests: number;
  rangeErrors: number;
  resultErrors: number;
  rate429: number;
  timeouts: number;
  drops: number;
  stalled: number;
}

export interface FaultProxy {
  url: string;
  stats: FaultStats;
  getLogs: GetLogsRecord[];
  plan: FaultPlan;
  /** Called for every eth_getLogs the proxy answers, before the answer is sent (awaited). */
  onGetLogs: ((r: GetLogsRecord) => void | Promise<void>) | null;
  close(): Promise<void>;
}

type Req = { jsonrpc: '2.0'; id: unknown; method: string; params: unknown[] };

const hex = (n: number) => `0x${n.toString(16)}`;

export async function startFaultProxy(upstream: string, plan: FaultPlan = {}): Promise<FaultProxy> {
  let rand = rng(plan.seed ?? 1);
  const stats: FaultStats = { requests: 0, rangeErrors: 0, resultErrors: 0, rate429: 0, timeouts: 0, drops: 0, stalled: 0 };
  const getLogs: GetLogsRecord[] = [];
  const hung = new Set<ServerResponse>();
  let answeredGetLogs = 0;

  const forward = async (body: string): Promise<string> => {
    const res = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return res.text();
  };
  const reply = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  const rpcError = (id: unknown, code: number, message: string, data?: unknown) =>
    JSON.stringify({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    stats.requests++;
    let parsed: Req | Req[];
    try {
      parsed = JSON.parse(body) as Req | Req[];
    } catch {
      return reply(res, 400, rpcError(null, -32700, 'parse error'));
    }
    const methods = Array.isArray(parsed) ? parsed.map((r) => r.method) : [parsed.method];
    const p = proxy.plan;

    // Stall switch: the client is to be killed while it waits.
    if (
      !Array.isArray(parsed) &&
      parsed.method === 'eth_getLogs' &&
      p.stallGetLogsAfter != null &&
      answeredGetLogs >= p.stallGetLogsAfter
    ) {
      stats.stalled++;
      hung.add(res);
      return;
    }

    const faultable = !p.faultMethods || methods.some((m) => p.faultMethods!.includes(m));
    if (faultable) {
      const x = rand();
      let acc = p.rate429 ?? 0;
      if (x < acc) {
        stats.rate429++;
        return reply(res, 429, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: 429, message: 'Too Many Requests' } }), {
          'retry-after': '0',
        });
      }
      acc += p.timeout ?? 0;
      if (x < acc) {
        // Never answered; the client gives up and closes the connection.
        stats.timeouts++;
        hung.add(res);
        return;
      }
      acc += p.drop ?? 0;
      if (x < acc) {
        stats.drops++;
        if (rand() < 0.5) {
          req.socket.destroy();
          return;
        }
        // Half an answer, then the connection goes away.
        const full = await forward(body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
    }

    if (!Array.isArray(parsed) && parsed.method === 'eth_getLogs') {
      const f = (parsed.params[0] ?? {}) as { fromBlock?: string; toBlock?: string; topics?: unknown[] };
      const from = Number(BigInt(f.fromBlock ?? '0x0'));
      const to = Number(BigInt(f.toBlock ?? '0x0'));
      const t0 = f.topics?.[0];
      const rec: GetLogsRecord = {
        from,
        to,
        topic0: Array.isArray(t0) ? (t0 as string[]) : t0 ? [t0 as string] : [],
        topics: f.topics ?? [],
        answered: false,
      };
      if (p.blockRangeLimit != null && to - from + 1 > p.blockRangeLimit) {
        stats.rangeErrors++;
        const end = from + p.blockRangeLimit - 1;
        return reply(
          res,
          200,
          rpcError(
            parsed.id,
            -32602,
            `Log response size exceeded. You can make eth_getLogs requests with up to a ${p.blockRangeLimit} block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [${hex(from)}, ${hex(end)}]`,
          ),
        );
      }
      const text = await forward(body);
      if (p.resultLimit != null) {
        const answer = JSON.parse(text) as { result?: { blockNumber: string }[] };
        const logs = answer.result ?? [];
        if (logs.length > p.resultLimit) {
          stats.resultErrors++;
          // The widest range from `from` that stays within the limit (at least one block).
          const firstOver = Number(BigInt(logs[p.resultLimit]!.blockNumber));
          const end = Math.max(from, firstOver - 1);
          return reply(
            res,
            200,
            rpcError(
              parsed.id,
              -32005,
              `query returned more than ${p.resultLimit} results. Try with this block range [${hex(from)}, ${hex(end)}].`,
              {
                from: hex(from),
                limit: p.resultLimit,
                to: hex(end),
              },
            ),
          );
        }
      }
      rec.answered = true;
      answeredGetLogs++;
      getLogs.push(rec);
      // The hook runs before the answer leaves (a test may change the chain meanwhile).
      await proxy.onGetLogs?.(rec);
      reply(res, 200, text);
      return;
    }
    reply(res, 200, await forward(body));
  };

  const server = await serveOnLoopback(handle);

  const proxy: FaultProxy = {
    url: server.url,
    stats,
    getLogs,
    get plan() {
      return plan;
    },
    set plan(p: FaultPlan) {
      plan = p;
      rand = rng(p.seed ?? 1);
    },
    onGetLogs: null,
    async close() {
      for (const r of hung) r.destroy();
      await server.close();
    },
  };
  return proxy;
}

/** A signal that aborts when the proxy is about to answer its `n`-th eth_getLogs from now (unhook with `onGetLogs = null`). */
export function abortAfterGetLogs(proxy: FaultProxy, n: number): AbortSignal {
  const ac = new AbortController();
  let seen = 0;
  proxy.onGetLogs = () => {
    if (++seen === n) ac.abort();
  };
  return ac.signal;
}

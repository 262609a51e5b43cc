/**
 * A JSON-RPC proxy on 127.0.0.1 in front of an honest local node that lies when told to: per
 * method, it changes the honest answer's result (a balance that is not hex, a receipt of garbage,
 * a base fee of a million gwei, another chain id), answers with a JSON-RPC error (a revert with
 * chosen data), or sends a body that is not JSON at all. Batches are answered request by request,
 * as ethers batches them. It records every method asked and every signed transaction that reached
 * it, so a test can say what was (not) sent. Loopback only; for tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from './loopback-server';

export type Lie =
  /** Replace the honest result with this function of it. */
  | { result: (honest: unknown, params: unknown[]) => unknown }
  /** Answer with this JSON-RPC error instead (not forwarded). */
  | { error: { code: number; message: string; data?: string } }
  /** Answer the whole HTTP request with this body (not forwarded). */
  | { body: string };

export interface LyingNode {
  url: string;
  /** Method name → how to lie about it; empty means honest. */
  lies: Map<string, Lie>;
  /** Every method asked, in order. */
  calls: string[];
  /** Every signed transaction (eth_sendRawTransaction) that reached the node, forwarded or not. */
  sent: string[];
  close(): Promise<void>;
}

type RpcRequest = { jsonrpc: '2.0'; id: unknown; method: string; params?: unknown[] };
type RpcAnswer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: unknown };

export async function startLyingNode(upstream: string): Promise<LyingNode> {
  const node: Omit<LyingNode, 'close'> = { url: '', lies: new Map(), calls: [], sent: [] };

  const reply = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    for (const r of requests) {
      node.calls.push(r.method);
      if (r.method === 'eth_sendRawTransaction') node.sent.push(String(r.params?.[0]));
    }
    const bodyLie = requests.map((r) => node.lies.get(r.method)).find((l): l is Extract<Lie, { body: string }> => !!l && 'body' in l);
    if (bodyLie) return reply(res, 200, bodyLie.body);

    const answers: RpcAnswer[] = await Promise.all(
      requests.map(async (r) => {
        const lie = node.lies.get(r.method);
        if (lie && 'error' in lie) return { jsonrpc: '2.0' as const, id: r.id, error: lie.error };
        const upstreamRes = await fetch(upstream, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(r),
        });
        const honest = (await upstreamRes.json()) as RpcAnswer;
        if (!lie || !('result' in lie) || honest.error !== undefined) return honest;
        return { ...honest, result: lie.result(honest.result, r.params ?? []) };
      }),
    );
    reply(res, 200, JSON.stringify(Array.isArray(parsed) ? answers : answers[0]));
  };

  const server = await serveOnLoopback(handle);
  node.url = server.url;
  return {
    ...node,
    close: () => server.close(),
  };
}

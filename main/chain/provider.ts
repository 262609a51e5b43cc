import { JsonRpcProvider, Network, makeError, type JsonRpcPayload, type JsonRpcResult, type JsonRpcApiProviderOptions } from 'ethers';
import { postJson, PostTimeout, type PostAnswer } from './loopback-post';

/** As long as ethers' own FetchRequest waits for a node (its default): a busy local chain is slow, not gone. */
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * A node on this machine (the local chain), asked through Node's http (loopback-post.ts). ethers
 * reads every answer through its JavaScript UTF-8 decoder (FetchResponse.bodyText), which measured
 * ~100 ms of a start's CPU on the first screen's 200 model reads and most of what a history export
 * spends over a bare eth_getLogs; the platform's decoder does the same in a few. Only `_send`, the
 * one method ethers asks a JSON-RPC subclass to supply, changes, and its failures keep ethers' error
 * codes (tx-errors.ts's nodeFault reads them). A remote node keeps ethers' own transport: its retries
 * on "429 Too Many Requests" and its gzip matter there, the decoding does not.
 */
class LoopbackJsonRpcProvider extends JsonRpcProvider {
  constructor(
    private readonly endpoint: string,
    network: Network,
    options: JsonRpcApiProviderOptions,
  ) {
    super(endpoint, network, options);
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let res: PostAnswer;
    try {
      res = await postJson(this.endpoint, JSON.stringify(payload), REQUEST_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof PostTimeout) throw makeError('timeout', 'TIMEOUT', { operation: 'request', reason: 'timeout' });
      // As ethers' Node transport: the socket's own error (ECONNREFUSED…).
      throw e;
    }
    const { text } = res;
    if (res.status < 200 || res.status > 299) {
      throw makeError(`server response ${res.status} ${res.statusText}`, 'SERVER_ERROR', {
        request: this.endpoint,
        info: { status: res.status, body: text.slice(0, 200) },
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw makeError('response not JSON', 'UNSUPPORTED_OPERATION', { operation: 'bodyJson', info: { body: text.slice(0, 200) } });
    }
    return (Array.isArray(body) ? body : [body]) as JsonRpcResult[];
  }
}

/** Whether `url` names a node on this machine (loopback), where LoopbackJsonRpcProvider is used. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' && (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]');
  } catch {
    return false;
  }
}

/**
 * A provider for a node whose chain id we already know. `staticNetwork` skips a chain-id probe per
 * request, and `cacheTimeout: -1` stops ethers from answering nonce and balance reads from a 250 ms
 * cache, which sends "nonce too low" transactions on a fast local chain.
 */
export function createProvider(url: string, chainId: number, pollingIntervalMs = 50, batchMaxCount = 50): JsonRpcProvider {
  const network = Network.from(chainId);
  const loopback = isLoopbackUrl(url);
  const options: JsonRpcApiProviderOptions = {
    staticNetwork: network,
    cacheTimeout: -1,
    pollingInterval: pollingIntervalMs,
    // 1: no batching, so no 10 ms stall before each request (for long runs of dependent calls).
    batchMaxCount,
    // ethers waits 10 ms for more requests to batch; a node on this machine answers in a millisecond
    // or two, so every read that waits for the one before paid it (a start's first list reads three
    // in a row). Requests made in the same turn still go as one batch. (An A/B of the start could not
    // tell the difference from its ±15 % noise: kept for the reason, not for a measured gain.)
    ...(loopback ? { batchStallTime: 0 } : {}),
  };
  return loopback ? new LoopbackJsonRpcProvider(url, network, options) : new JsonRpcProvider(url, network, options);
}

import { AppError } from '../../shared/api';
import type { createProvider } from './provider';

const KNOWN_CHAINS: Record<number, string> = { 1: 'Ethereum mainnet', 11155111: 'Sepolia', 17000: 'Holesky', 31337: 'Local chain' };

export function chainLabel(chainId: number): string {
  return KNOWN_CHAINS[chainId] ?? `Chain ${chainId}`;
}

/** One JSON-RPC call with a deadline and errors that say what went wrong, for validation only. */
async function rawCall(url: string, method: string, params: unknown[], timeoutMs = 8000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const timedOut = e instanceof Error && e.name === 'TimeoutError';
    throw new AppError(
      'RPC_UNREACHABLE',
      timedOut
        ? `No answer from ${url} within ${timeoutMs / 1000} seconds.`
        : `Nothing answered at ${url}. Check the address and your connection.`,
    );
  }
  if (res.status === 401 || res.status === 403)
    throw new AppError('RPC_UNREACHABLE', `${url} refused the connection (HTTP ${res.status}): check the API key in the URL.`);
  if (!res.ok) throw new AppError('RPC_UNREACHABLE', `${url} answered HTTP ${res.status}; it does not look like a JSON-RPC node.`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new AppError('RPC_UNREACHABLE', `${url} did not answer in JSON; it does not look like a JSON-RPC node.`);
  }
  const b = body as { result?: unknown; error?: { message?: unknown } };
  if (b && typeof b === 'object' && 'error' in b && b.error) {
    const message = typeof b.error.message === 'string' ? b.error.message : 'unknown';
    throw new AppError('RPC_UNREACHABLE', `${url} answered with an error: ${message.slice(0, 200)}`);
  }
  if (!b || typeof b !== 'object' || !('result' in b)) throw new AppError('RPC_UNREACHABLE', `${url} gave an answer that is not JSON-RPC.`);
  return b.result;
}

/**
 * The node of a real network as the person named it: a well-formed http(s) URL that answers JSON-RPC
 * for the chain id they gave. Each failure has its own code and plain message.
 */
export async function checkNode(input: { rpcUrl: string; chainId: number }): Promise<{ rpcUrl: string; chainId: number }> {
  let url: URL;
  try {
    url = new URL(input.rpcUrl.trim());
  } catch {
    throw new AppError('BAD_INPUT', 'Enter the node’s full URL, starting with https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('BAD_INPUT', 'The node’s URL must start with https:// (or http:// for a node on this computer).');
  const rpcUrl = url.toString();
  const chainHex = await rawCall(rpcUrl, 'eth_chainId', []);
  if (typeof chainHex !== 'string' || !/^0x[0-9a-f]+$/i.test(chainHex))
    throw new AppError('RPC_UNREACHABLE', `${rpcUrl} gave a chain id that is not a number.`);
  const actual = Number(BigInt(chainHex));
  if (actual !== input.chainId) {
    throw new AppError('WRONG_CHAIN', `That node is on ${chainLabel(actual)} (chain id ${actual}), not chain id ${input.chainId}.`);
  }
  return { rpcUrl, chainId: actual };
}

/** The first block with code at the address, by binary search; where history starts. */
export async function findDeployBlock(provider: ReturnType<typeof createProvider>, address: string): Promise<number> {
  let hi = await provider.getBlockNumber();
  let lo = 0;
  try {
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await provider.getCode(address, mid)) === '0x') lo = mid + 1;
      else hi = mid;
    }
    return lo;
  } catch {
    // A node without archive state cannot answer old getCode calls: start from its earliest block.
    return 0;
  }
}

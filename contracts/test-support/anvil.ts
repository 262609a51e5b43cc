/**
 * A real local EVM for contract tests and benchmarks: the app's own anvil launcher
 * (main/devnet/anvil.ts) plus the conveniences tests want — a tuned ethers provider and raw calls.
 *
 *   const chain = await startAnvil();
 *   const provider = chain.provider();
 *   ...
 *   await chain.stop();
 */
import type { ChildProcess } from 'node:child_process';
import type { JsonRpcProvider } from 'ethers';
import { findAnvil, freePort, startAnvil as startAppAnvil } from '../../main/devnet/anvil';
import { createProvider } from '../../main/chain/provider';

export { freePort };
export const anvilBinary = findAnvil;

export interface AnvilOptions {
  chainId?: number;
  hardfork?: string;
  /** Block gas limit (anvil's default is 30M). */
  gasLimit?: bigint;
  /** Accounts anvil creates and funds (default 10). */
  accounts?: number;
  /** Extra command-line arguments. */
  args?: string[];
}

export interface Anvil {
  url: string;
  port: number;
  chainId: number;
  process: ChildProcess;
  /** An ethers provider with the settings a fast local chain needs (no stale cached nonces). */
  provider(): JsonRpcProvider;
  /** Raw JSON-RPC call. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** Well-known anvil dev accounts are derived from this mnemonic. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

async function rpcCall<T>(url: string, method: string, params: unknown[], timeoutMs = 10_000): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) {
    const err = new Error(`${method}: ${body.error.message}`) as Error & { data?: unknown; code?: number };
    err.data = body.error.data;
    err.code = body.error.code;
    throw err;
  }
  return body.result as T;
}

export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const chainId = opts.chainId ?? 31337;
  const extraArgs = [
    '--accounts',
    String(opts.accounts ?? 10),
    ...(opts.gasLimit !== undefined ? ['--gas-limit', opts.gasLimit.toString()] : []),
    ...(opts.args ?? []),
  ];
  const handle = await startAppAnvil({ chainId, hardfork: opts.hardfork, extraArgs });
  const providers: JsonRpcProvider[] = [];
  return {
    url: handle.url,
    port: handle.port,
    chainId,
    process: handle.process,
    provider() {
      const p = createProvider(handle.url, chainId, 20);
      providers.push(p);
      return p;
    },
    rpc: <T>(method: string, params: unknown[] = []) => rpcCall<T>(handle.url, method, params),
    async stop() {
      for (const p of providers) p.destroy();
      await handle.stop();
    },
  };
}

import { JsonRpcProvider, Network } from 'ethers';

/**
 * A provider for a node whose chain id we already know. `staticNetwork` skips a chain-id probe per
 * request, and `cacheTimeout: -1` stops ethers from answering nonce and balance reads from a 250 ms
 * cache, which sends "nonce too low" transactions on a fast local chain.
 */
export function createProvider(url: string, chainId: number, pollingIntervalMs = 50, batchMaxCount = 50): JsonRpcProvider {
  const network = Network.from(chainId);
  return new JsonRpcProvider(url, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    pollingInterval: pollingIntervalMs,
    // 1: no batching, so no 10 ms stall before each request (for long runs of dependent calls).
    batchMaxCount,
  });
}

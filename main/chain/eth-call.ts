import { JsonRpcApiProvider, isHexString, makeError, type Provider } from 'ethers';

/**
 * An eth_call of `data` to `to` at the latest block, answered as hex. On a JSON-RPC provider it goes
 * to the node through ethers' `send`, batched as ethers batches and with ethers' errors (a revert is
 * CALL_EXCEPTION with its data, from the same getRpcError): ethers' `call` first checksums `to` (a
 * keccak) and copies the request, ~0.2 ms a call, 200 calls at a start for the pool's models. Any
 * other provider is asked through `call`.
 */
export async function ethCall(provider: Provider, to: string, data: string): Promise<string> {
  if (!(provider instanceof JsonRpcApiProvider)) return provider.call({ to, data });
  const result: unknown = await provider.send('eth_call', [{ to, data }, 'latest']);
  if (typeof result !== 'string' || !isHexString(result)) throw makeError('invalid eth_call result', 'BAD_DATA', { value: result });
  return result;
}

/** A log as eth_getLogs answers it, in the two fields the app's own decoders read. */
export interface RawLog {
  topics: string[];
  data: string;
}

const HEX_WORD = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/**
 * eth_getLogs of `address` and `topics` over a block range, each log's topics and data checked for
 * their form. On a JSON-RPC provider it skips ethers' formatting of each log (its address
 * checksummed, a keccak a log: ~30 ms for the pool's 200 registrations at a start), whose result the
 * decoders here do not read; any other provider is asked through getLogs.
 */
export async function ethLogs(
  provider: Provider,
  filter: { address: string; topics: (string | null)[]; fromBlock: number; toBlock: number | 'latest' },
): Promise<RawLog[]> {
  if (!(provider instanceof JsonRpcApiProvider))
    return (await provider.getLogs(filter)).map((l) => ({ topics: [...l.topics], data: l.data }));
  const hexBlock = (b: number | 'latest') => (b === 'latest' ? b : `0x${b.toString(16)}`);
  const result: unknown = await provider.send('eth_getLogs', [
    { address: filter.address, topics: filter.topics, fromBlock: hexBlock(filter.fromBlock), toBlock: hexBlock(filter.toBlock) },
  ]);
  if (!Array.isArray(result)) throw makeError('invalid eth_getLogs result', 'BAD_DATA', { value: result });
  return result.map((log: unknown) => {
    const l = log as { topics?: unknown; data?: unknown } | null;
    const topics = l?.topics;
    if (
      !Array.isArray(topics) ||
      !topics.every((t) => typeof t === 'string' && HEX_WORD.test(t)) ||
      typeof l?.data !== 'string' ||
      !HEX.test(l.data)
    )
      throw makeError('invalid log in eth_getLogs result', 'BAD_DATA', { value: log });
    return { topics: topics as string[], data: l.data };
  });
}

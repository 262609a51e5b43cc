import { describe, expect, it } from 'vitest';
import { classifyError, LogReader, namedBlockLimit, suggestedRange, withRetry, type RawLog } from './log-reader';
import { RpcError, type RpcCall, type RpcClient } from './rpc';

/** A node with `logsPerBlock[n]` logs in block n and programmable refusals. */
class FakeNode implements RpcClient {
  requests = 0;
  calls: [number, number][] = [];
  constructor(
    private readonly logsPerBlock: (n: number) => number,
    private readonly refuse: (from: number, to: number, count: number, call: number) => RpcError | null = () => null,
  ) {}
  async call<T>(method: string, params: unknown[]): Promise<T> {
    this.requests++;
    if (method !== 'eth_getLogs') throw new Error(method);
    const f = params[0] as { fromBlock: string; toBlock: string };
    const from = parseInt(f.fromBlock, 16);
    const to = parseInt(f.toBlock, 16);
    const logs: RawLog[] = [];
    for (let n = from; n <= to; n++) {
      for (let i = 0; i < this.logsPerBlock(n); i++) {
        logs.push({
          address: '0x',
          topics: [],
          data: '0x',
          blockNumber: `0x${n.toString(16)}`,
          blockHash: '0x',
          transactionHash: '0x',
          logIndex: `0x${i.toString(16)}`,
        });
      }
    }
    const err = this.refuse(from, to, logs.length, this.calls.length);
    this.calls.push([from, to]);
    if (err) throw err;
    return logs as T;
  }
  async batch(_calls: RpcCall[]): Promise<unknown[]> {
    throw new Error('no batch');
  }
}

const read = async (reader: LogReader, from: number, to: number, signal?: AbortSignal) => {
  const blocks: number[] = [];
  const ranges: [number, number][] = [];
  for await (const c of reader.read({ address: '0xpool', topics: [] }, from, to, signal)) {
    ranges.push([c.from, c.to]);
    for (const l of c.logs) blocks.push(parseInt(l.blockNumber, 16));
  }
  return { blocks, ranges };
};

const fast = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };

describe('provider errors', () => {
  it('tells range errors, with the suggested range, from rate limits and fatal errors', () => {
    const infura = new RpcError('query returned more than 10000 results. Try with this block range [0x10, 0x1f].', 'rpc', -32005, {
      from: '0x10',
      limit: 10000,
      to: '0x1f',
    });
    expect(classifyError(infura)).toEqual({ kind: 'range', suggestedTo: 0x1f, blockLimit: null, resultLimit: 10000 });
    const alchemy = new RpcError(
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x1b2e0a0, 0x1b2e871]',
      'rpc',
      -32602,
    );
    expect(classifyError(alchemy)).toMatchObject({ kind: 'range', suggestedTo: 0x1b2e871, blockLimit: 2000 });
    expect(classifyError(new RpcError('eth_getLogs is limited to a 10,000 range', 'rpc', -32614))).toMatchObject({
      kind: 'range',
      blockLimit: 10000,
    });
    expect(classifyError(new RpcError('block range is too wide', 'rpc', -32600))).toMatchObject({ kind: 'range' });
    expect(classifyError(new RpcError('exceed maximum block range: 5000', 'rpc', -32000))).toMatchObject({
      kind: 'range',
      blockLimit: 5000,
    });
    expect(classifyError(new RpcError('query exceeds max results 20000, retry with the range 100-150', 'rpc', -32602))).toMatchObject({
      kind: 'range',
    });
    expect(classifyError(new RpcError('Too Many Requests', 'http', null, undefined, 429, 1500))).toEqual({
      kind: 'retry',
      reason: 'rate',
      delayHintMs: 1500,
    });
    expect(classifyError(new RpcError('daily request count exceeded, request rate limited', 'rpc', -32005))).toMatchObject({
      kind: 'retry',
      reason: 'rate',
    });
    expect(classifyError(new RpcError('project ID request rate exceeded', 'rpc', -32005))).toMatchObject({ kind: 'retry', reason: 'rate' });
    expect(classifyError(new RpcError('no answer', 'timeout'))).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyError(new RpcError('socket hang up', 'network'))).toMatchObject({ kind: 'retry', reason: 'network' });
    expect(classifyError(new RpcError('HTTP 502', 'http', null, undefined, 502))).toMatchObject({ kind: 'retry', reason: 'server' });
    expect(classifyError(new RpcError('header not found', 'rpc', -32000))).toMatchObject({ kind: 'retry', reason: 'server' });
    expect(classifyError(new RpcError('invalid argument 0: hex string has odd length', 'rpc', -32602))).toEqual({ kind: 'fatal' });
    expect(classifyError(new RpcError('unauthorized', 'http', null, undefined, 401))).toEqual({ kind: 'fatal' });
    expect(classifyError(new Error('boom'))).toEqual({ kind: 'fatal' });
  });

  it('reads suggested ranges and named limits in the forms providers use', () => {
    expect(suggestedRange(new RpcError('Try with this block range [0x0, 0xff].', 'rpc', -32005))).toEqual({ from: 0, to: 255 });
    expect(suggestedRange(new RpcError('x', 'rpc', -32005, { from: 10, to: 20 }))).toEqual({ from: 10, to: 20 });
    expect(suggestedRange(new RpcError('range [12, 40] works', 'rpc', -32602))).toEqual({ from: 12, to: 40 });
    expect(suggestedRange(new RpcError('no hint', 'rpc', -32602))).toBeNull();
    expect(namedBlockLimit('up to a 2K block range')).toBe(2000);
    expect(namedBlockLimit('max block range 50000')).toBe(50000);
    expect(namedBlockLimit('nothing here')).toBeNull();
  });
});

describe('LogReader', () => {
  it('reads every log once, in order, and grows the range after successes', async () => {
    const node = new FakeNode((n) => (n % 7 === 0 ? 2 : 0));
    const reader = new LogReader(node, { initialSpan: 10, targetLogs: 1000, concurrency: 1, ...fast });
    const { blocks, ranges } = await read(reader, 1, 5_000);
    const want = Array.from({ length: 5000 }, (_, i) => i + 1).flatMap((n) => (n % 7 === 0 ? [n, n] : []));
    expect(blocks).toEqual(want);
    expect(ranges[0]).toEqual([1, 10]);
    // Contiguous and growing.
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1);
    expect(ranges[3]![1] - ranges[3]![0] + 1).toBe(80);
    expect(node.requests).toBeLessThan(15);
  });

  it('takes the suggested range of a result-limit error and keeps result counts under the limit after', async () => {
    const node = new FakeNode(
      () => 3,
      (from, to, count) =>
        count > 100
          ? new RpcError(
              `query returned more than 100 results. Try with this block range [0x${from.toString(16)}, 0x${(from + 32).toString(16)}].`,
              'rpc',
              -32005,
              {
                from: `0x${from.toString(16)}`,
                to: `0x${(from + 32).toString(16)}`,
                limit: 100,
              },
            )
          : null,
    );
    const reader = new LogReader(node, { initialSpan: 1_000, concurrency: 2, ...fast });
    const { blocks } = await read(reader, 0, 999);
    expect(blocks.length).toBe(3000);
    expect(new Set(blocks).size).toBe(1000);
    expect(node.calls[1]).toEqual([0, 32]);
    expect(reader.stats.splits).toBeGreaterThan(0);
    // After learning, most requests succeed: few refusals.
    expect(reader.stats.splits).toBeLessThan(8);
  });

  it('learns a block-count ceiling and never asks for more again', async () => {
    const node = new FakeNode(
      () => 0,
      (from, to) =>
        to - from + 1 > 500
          ? new RpcError('Log response size exceeded. You can make eth_getLogs requests with up to a 500 block range', 'rpc', -32602)
          : null,
    );
    const reader = new LogReader(node, { initialSpan: 2_000, concurrency: 2, ...fast });
    await read(reader, 0, 9_999);
    // Only the requests already in flight when the first refusal came back were too wide.
    const refused = node.calls.filter(([f, t]) => t - f + 1 > 500);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(reader.stats.ranges.every(([f, t]) => t - f + 1 <= 500)).toBe(true);
  });

  it('halves on a range error without a hint, down to one block, and fails clearly below that', async () => {
    const node = new FakeNode(
      (n) => (n === 37 ? 50 : 1),
      (_f, _t, count) => (count > 20 ? new RpcError('response size exceeded', 'rpc', -32602) : null),
    );
    const reader = new LogReader(node, { initialSpan: 64, concurrency: 1, ...fast });
    await expect(read(reader, 0, 100)).rejects.toThrow(/block 37 even alone/);
  });

  it('retries rate limits, time-outs and drops with backoff, bounded, and shrinks on time-outs', async () => {
    const faults = ['429', 'timeout', 'drop', '502'];
    const node = new FakeNode(
      () => 1,
      (_f, _t, _c, call) => {
        const kind = call < 8 ? faults[call % 4] : null;
        if (kind === '429') return new RpcError('Too Many Requests', 'http', 429, undefined, 429, 1);
        if (kind === 'timeout') return new RpcError('no answer within 10 ms', 'timeout');
        if (kind === 'drop') return new RpcError('connection failed: other side closed', 'network');
        if (kind === '502') return new RpcError('HTTP 502', 'http', null, undefined, 502);
        return null;
      },
    );
    const reader = new LogReader(node, { initialSpan: 100, concurrency: 1, maxAttempts: 10, ...fast });
    const { blocks } = await read(reader, 0, 399);
    expect(blocks).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(reader.stats).toMatchObject({ rateLimited: 2, timeouts: 2, dropped: 2 });
    expect(reader.stats.retries).toBe(8);

    const hopeless = new FakeNode(
      () => 0,
      () => new RpcError('Too Many Requests', 'http', 429, undefined, 429),
    );
    await expect(read(new LogReader(hopeless, { maxAttempts: 4, ...fast }), 0, 10)).rejects.toThrow(/kept failing \(4 tries\)/);
    expect(hopeless.requests).toBe(4);
  });

  it('stops at once when cancelled', async () => {
    const node = new FakeNode(() => 1);
    const ac = new AbortController();
    const reader = new LogReader(node, { initialSpan: 10, concurrency: 1, ...fast });
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _c of reader.read({ address: '0x', topics: [] }, 0, 10_000, ac.signal)) {
          if (++chunks === 3) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(3);
  });

  it('withRetry gives up on fatal errors at once and on transient ones after the bound', async () => {
    let n = 0;
    await expect(withRetry(async () => (n++, Promise.reject(new RpcError('bad', 'rpc', -32602))), fast)).rejects.toThrow('bad');
    expect(n).toBe(1);
    n = 0;
    await expect(
      withRetry(async () => (n++, Promise.reject(new RpcError('slow', 'timeout'))), { ...fast, maxAttempts: 3 }),
    ).rejects.toThrow('slow');
    expect(n).toBe(3);
    n = 0;
    expect(await withRetry(async () => (++n < 3 ? Promise.reject(new RpcError('x', 'network')) : 'ok'), fast)).toBe('ok');
  });
});

/**
 * A loopback JSON-RPC node serving a synthetic StakingPool history, for `bench/history.ts`
 * (run as its own process, as anvil is): `eth_blockNumber`, `eth_getLogs` (address, topic 0 and
 * topic 1 OR-lists, block range), `eth_getBlockByNumber`, batches. Generating the same volume on
 * anvil through the real contracts and the demo Numerai would take 100,000+ transactions.
 *
 * The history: `models` models registered, one holder delegating to each, the deposits converted,
 * then `rounds` Numerai rounds in which every model stakes a quarter of its idle NMR (`TrancheStaked`,
 * 50 a transaction and a block as `stakeRound` batches them) and settles it (`TrancheSettled`, one
 * claim a transaction, 50 a block) with
 * a payout or a burn between −5 % and +5 % and the operator's fee on a gain. The figures are the
 * pool's own arithmetic (NAV, shares, tranches), so the ledger's checks hold.
 * Prints `{"url": …, "logs": …, "head": …, "holder": …}` on its first line of stdout.
 */
import { createServer } from 'node:http';
import { stakingPoolIface } from '../main/pool/staking-pool-views';

const NMR = 10n ** 18n;
const POOL = '0x00000000000000000000000000000000000b0a7e';
const HOLDER = '0x00000000000000000000000000000000000401de';
const PER_BLOCK = 50;
const T0 = 1_700_000_000;

interface Log {
  block: number;
  topics: string[];
  json: string;
}

function generate(models: number, rounds: number): Log[] {
  const logs: Log[] = [];
  let block = 1;
  let inBlock = 0;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const emit = (name: string, values: unknown[]) => {
    if (inBlock === PER_BLOCK) {
      block++;
      inBlock = 0;
    }
    const { data, topics } = stakingPoolIface.encodeEventLog(stakingPoolIface.getEvent(name)!, values);
    const blockHash = `0x${block.toString(16).padStart(64, '0')}`;
    // stakeRound stakes 50 models in one transaction; every other event is a transaction of its own.
    const tx = `0xee${(block * 1000 + (name === 'TrancheStaked' ? 0 : inBlock)).toString(16).padStart(62, '0')}`;
    const json = JSON.stringify({
      address: POOL,
      topics,
      data,
      blockNumber: hex(block),
      blockHash,
      transactionHash: tx,
      transactionIndex: hex(inBlock),
      logIndex: hex(inBlock),
      removed: false,
    });
    logs.push({ block, topics, json });
    inBlock++;
  };
  const newBlock = () => {
    block++;
    inBlock = 0;
  };
  const ids = Array.from({ length: models }, (_, i) => i + 1);
  const idle = new Map<number, bigint>();
  const fee = (m: number) => (m % 4) * 500;
  for (const m of ids)
    emit('ModelRegistered', [m, `0x${m.toString(16).padStart(64, 'a')}`, `bench-model-${m}`, HOLDER, fee(m), 2n ** 200n]);
  newBlock();
  for (const m of ids) {
    const amount = BigInt(100 + m) * NMR + BigInt(m) * 7_777n;
    emit('Delegated', [HOLDER, m, 1, amount]);
    idle.set(m, amount);
  }
  newBlock();
  // The first checkpoint: shares at 1e6 a wei (the virtual offset's scale), NAV = the deposit.
  for (const m of ids) emit('DepositsConverted', [m, 1, idle.get(m)!, idle.get(m)! * 1_000_000n, idle.get(m)!, idle.get(m)! * 1_000_000n]);
  for (let r = 0; r < rounds; r++) {
    const roundId = 1_000 + r;
    newBlock();
    const principal = new Map<number, bigint>();
    for (const m of ids) {
      const p = idle.get(m)! / 4n;
      principal.set(m, p);
      idle.set(m, idle.get(m)! - p);
      emit('TrancheStaked', [m, roundId, p, fee(m)]);
    }
    newBlock();
    for (const m of ids) {
      const p = principal.get(m)!;
      const bps = BigInt(((m * 7919 + roundId * 104729) % 1001) - 500) / 10n;
      const returned = p + (p * bps) / 10_000n;
      const f = returned > p ? ((returned - p) * BigInt(fee(m))) / 10_000n : 0n;
      idle.set(m, idle.get(m)! + returned - f);
      emit('TrancheSettled', [m, roundId, p, returned, f, false]);
    }
  }
  return logs;
}

const asList = (t: unknown): string[] | null => (t === null || t === undefined ? null : Array.isArray(t) ? (t as string[]) : [t as string]);

function main() {
  const [models, rounds] = [Number(process.argv[2] ?? 500), Number(process.argv[3] ?? 100)];
  const logs = generate(models, rounds);
  const head = logs.at(-1)!.block + 5;
  const firstAt = (block: number) => {
    let lo = 0;
    let hi = logs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (logs[mid]!.block < block) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const answer = (req: { id: unknown; method: string; params: unknown[] }): string => {
    let result: string;
    if (req.method === 'eth_blockNumber') result = JSON.stringify(`0x${head.toString(16)}`);
    else if (req.method === 'eth_chainId') result = '"0x7a69"';
    else if (req.method === 'eth_getBlockByNumber') {
      const n = Number(BigInt(req.params[0] as string));
      result =
        n > head
          ? 'null'
          : JSON.stringify({
              number: `0x${n.toString(16)}`,
              hash: `0x${n.toString(16).padStart(64, '0')}`,
              timestamp: `0x${(T0 + 12 * n).toString(16)}`,
            });
    } else if (req.method === 'eth_getLogs') {
      const f = req.params[0] as { address?: string; topics?: unknown[]; fromBlock: string; toBlock: string };
      const from = Number(BigInt(f.fromBlock));
      const to = f.toBlock === 'latest' ? head : Number(BigInt(f.toBlock));
      const t0 = asList(f.topics?.[0]);
      const t1 = asList(f.topics?.[1]);
      const s0 = t0 && new Set(t0.map((x) => x.toLowerCase()));
      const s1 = t1 && new Set(t1.map((x) => x.toLowerCase()));
      const out: string[] = [];
      if (!f.address || f.address.toLowerCase() === POOL) {
        for (let i = firstAt(from); i < logs.length && logs[i]!.block <= to; i++) {
          const l = logs[i]!;
          if ((s0 && !s0.has(l.topics[0]!)) || (s1 && !s1.has(l.topics[1]!))) continue;
          out.push(l.json);
        }
      }
      result = `[${out.join(',')}]`;
    } else return JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `no ${req.method}` } });
    return `{"jsonrpc":"2.0","id":${JSON.stringify(req.id)},"result":${result}}`;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const text = Array.isArray(body)
        ? `[${(body as Parameters<typeof answer>[0][]).map(answer).join(',')}]`
        : answer(body as Parameters<typeof answer>[0]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    process.stdout.write(
      `${JSON.stringify({ url: `http://127.0.0.1:${addr.port}`, logs: logs.length, head, holder: HOLDER, pool: POOL })}\n`,
    );
  });
}

main();

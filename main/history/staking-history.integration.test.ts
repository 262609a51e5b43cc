/**
 * The reward history of a StakingPool session on anvil, reconciled to the wei: the staking demo world
 * (three models: one paid, one burned, one with a zero result), rounds played by the demo Numerai and
 * its operators' stakes, holders who delegate, request exits and withdraw. Through HistoryService
 * (index, ledger, exports, summary, returns), against the pool's views, the raw logs read with
 * ethers' coder and Numerai's own claims. Then the fault tests: a misbehaving node (range errors,
 * 429s, time-outs, dropped connections → byte-identical files), progress and an up-to-date index
 * that reads nothing again, a node that leaves logs out (rebuilt once, or refused), an export
 * cancelled midway and one whose process is killed midway that resume without reading again, a
 * damaged index (rebuilt), and reorgs: after a sync, while reading, and inside the confirmation
 * window (never seen).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, Interface, MaxUint256, Wallet, parseUnits } from 'ethers';
import { localNmrAbi } from '../../contracts/generated';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortfolioPointWei, PositionReturnsWei } from '../../shared/api';
import { playHistory, startStakingWorld, type StakingWorld } from '../devnet/staking-world';
import { scoredWorldSpec } from '../devnet/test-support/scored-spec';
import { DEMO_HOLDER_KEYS } from '../devnet/demo-accounts';
import { silentLogger } from '../log/logger';
import type { RefPosition as PositionView } from '../../contracts/test-support/staking-reference';
import { stakingPoolIface } from '../pool/staking-pool-views';
import { HistoryService, HistoryIntegrityError, sessionHistoryOptions, type HistoryServiceOptions } from './history-service';
import type { RawLog } from './log-reader';
import { HttpRpc, type RpcClient } from './rpc';
import { STAKING_HOLDER_EVENTS, STAKING_TOPIC, unpackStakingEvent } from './staking-events';
import type { StakingLedgerView } from './staking-history';
import { abortAfterGetLogs, startFaultProxy, type FaultProxy, type GetLogsRecord } from './test-support/rpc-fault-proxy';

const NMR = 10n ** 18n;
const spec = scoredWorldSpec(
  [
    { name: 'winner', feeBps: 1_000, scores: { corr: 0.03, mmc: 0.004 } },
    { name: 'loser', feeBps: 500, scores: { corr: -0.04, mmc: -0.003 } },
    { name: 'flat', feeBps: 0, scores: { corr: 0, mmc: 0 } },
  ],
  { firstRoundId: 5_001n, historyRounds: 2, holderDelegationWei: 400n * NMR },
);
const MODELS = [1, 2, 3];
/** Row types the Koinly export leaves out: they move no NMR in or out of the pool. */
const NOT_IN_KOINLY = new Set(['shares_issued', 'exit_requested', 'exit_settled', 'staked']);

describe('StakingPool history on the staking demo world', () => {
  let w: StakingWorld;
  const dir = mkdtempSync(join(tmpdir(), 'staking-history-'));
  let holders: string[];
  let pool: Contract;
  let proxy: FaultProxy;
  const reference: Record<'csv' | 'json', Buffer> = { csv: Buffer.alloc(0), json: Buffer.alloc(0) };

  /** A chain session's history of the staking world, its own folders. */
  const service = (name: string, extra: Partial<HistoryServiceOptions> = {}) => {
    const ctx = { provider: w.provider, chainId: w.deployment.chainId, kind: 'local' as const };
    const d = w.deployment;
    return new HistoryService({
      ...sessionHistoryOptions({ ...ctx, poolAddress: d.pool, deployBlock: d.deployBlock }, join(dir, name)),
      ...extra,
    });
  };
  const holderWallet = (i: number) => new Wallet(DEMO_HOLDER_KEYS[i]!, w.provider);
  const send = async (i: number, fn: string, args: unknown[]) => {
    const tx = await holderWallet(i).sendTransaction({ to: w.deployment.pool, data: stakingPoolIface.encodeFunctionData(fn, args) });
    const r = await tx.wait();
    if (!r || r.status !== 1) throw new Error(`${fn} failed`);
    return r;
  };
  const position = async (h: string, id: number, blockTag?: number) =>
    (await pool.getFunction('positionOf').staticCall(h, id, blockTag === undefined ? {} : { blockTag })) as PositionView;
  const rawLogs = () =>
    w.provider.send('eth_getLogs', [{ address: w.deployment.pool, fromBlock: '0x0', toBlock: 'latest' }]) as Promise<RawLog[]>;

  /** Every read of a stream after a resume starts above the cursor it had committed. */
  const expectNoReRead = (reads: GetLogsRecord[], cursors: Record<string, number>) => {
    const holderTopics = new Set(STAKING_HOLDER_EVENTS.map((n) => STAKING_TOPIC[n]));
    const streamsOf = (r: GetLogsRecord): string[] => {
      const t1 = r.topics[1] as string | string[] | null | undefined;
      const list = t1 === null || t1 === undefined ? [] : Array.isArray(t1) ? t1 : [t1];
      return holderTopics.has(r.topic0[0]!) ? list.map((x) => `holder:0x${x.slice(26)}`) : list.map((x) => `model:${Number(BigInt(x))}`);
    };
    let checked = 0;
    for (const r of reads) {
      for (const st of streamsOf(r)) {
        const c = cursors[st] ?? w.deployment.deployBlock - 1;
        expect(r.from, `${st} read again from ${r.from} though committed to ${c}`).toBeGreaterThan(c);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  };

  /** Every (holder, model) of the ledger equals positionOf at the ledger's block, and its rows sum to its value. */
  const expectMatchesViews = async (v: StakingLedgerView, who = holders) => {
    let checked = 0;
    for (const h of who) {
      for (const id of MODELS) {
        const p = await position(h, id, v.asOfBlock);
        const want = {
          shares: p.shares,
          pendingDepositWei: p.pendingDepositWei,
          exitingShares: p.exitingShares,
          unlockRound: Number(p.unlockRound),
          withdrawableWei: p.withdrawableWei,
          valueWei: p.valueWei + p.pendingDepositWei + p.exitingValueWei + p.withdrawableWei,
        };
        const got = v.ledger.positions.get(`${h}:${id}`);
        const {
          holder: _h,
          modelId: _m,
          ...state
        } = got ?? {
          holder: h,
          modelId: id,
          shares: 0n,
          pendingDepositWei: 0n,
          exitingShares: 0n,
          unlockRound: 0,
          withdrawableWei: 0n,
          valueWei: 0n,
        };
        expect(state, `${h} model ${id}`).toEqual(want);
        const rows = v.ledger.rows.filter((r) => r.holder === h && r.modelId === id);
        expect(rows.reduce((s, r) => s + r.valueChangeWei, 0n)).toBe(want.valueWei);
        if (want.valueWei > 0n) checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    w = await startStakingWorld({ dir: join(dir, 'chain'), spec, log: silentLogger });
    pool = new Contract(w.deployment.pool, stakingPoolIface, w.provider);
    holders = DEMO_HOLDER_KEYS.map((k) => new Wallet(k).address.toLowerCase());
    // More NMR for the holders' later delegations (the world approved only what it delegated).
    const nmr = new Interface(localNmrAbi);
    for (const [i, h] of holders.entries()) {
      await (
        await w.deployer.sendTransaction({ to: w.deployment.nmr, data: nmr.encodeFunctionData('demoMint', [h, 1_000n * NMR]) })
      ).wait();
      const approve = nmr.encodeFunctionData('approve', [w.deployment.pool, MaxUint256]);
      await (await holderWallet(i).sendTransaction({ to: w.deployment.nmr, data: approve })).wait();
    }
    // Holder 1 asks half of its shares in model 2 back; holder 2 adds to model 3 and cancels a later deposit.
    const p1 = await position(holders[1]!, 2);
    expect(p1.shares).toBeGreaterThan(0n);
    await send(1, 'requestRedeem', [2, p1.shares / 2n]);
    await send(2, 'delegate', [3, 123n * NMR]);
    await playHistory(w.provider, w.deployment, w.numerai, 3);
    await send(2, 'delegate', [1, 7n * NMR]);
    await send(2, 'cancelDeposit', [1]);
    // The exit converts at a checkpoint once every tranche up to its unlock round settled.
    await send(0, 'checkpoint', [[2]]);
    expect((await position(holders[1]!, 2)).withdrawableWei).toBeGreaterThan(0n);
    await send(1, 'withdraw', [2]);
    await playHistory(w.provider, w.deployment, w.numerai, 1);
    proxy = await startFaultProxy(w.anvil.url);
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await w?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('equals the chain to the wei: positions, shares, every settled round, withdrawals, exports, summary and returns', async () => {
    const s = service('reconcile');
    const v = await s.ledger(holders);
    await expectMatchesViews(v);

    // Every settled round: the ledger's result is the TrancheSettled log's, and Numerai's payout − burn.
    const logs = (await rawLogs()).map((l) => ({ l, p: stakingPoolIface.parseLog(l)! })).filter((x) => x.p);
    const settled = logs.filter((x) => x.p.name === 'TrancheSettled');
    expect(settled.length).toBeGreaterThanOrEqual(12);
    const signs = new Set<number>();
    for (const { p } of settled) {
      const [modelId, roundId, principal, returned, fee] = [...p.args] as [bigint, bigint, bigint, bigint, bigint];
      const r = v.ledger.rounds.find((x) => x.modelId === Number(modelId) && x.roundId === Number(roundId))!;
      expect({ result: r.settled!.resultWei, fee: r.settled!.feeWei, staked: r.stakedWei }).toEqual({
        result: returned - principal,
        fee,
        staked: principal,
      });
      const apiModelId = w.deployment.models[Number(modelId) - 1]!.apiModelId;
      const claim = await w.numerai.claim({ roundId, apiModelId, staker: w.deployment.pool });
      expect(returned - principal).toBe(BigInt(claim.payoutAmountWei) - BigInt(claim.burnAmountWei));
      signs.add(Math.sign(Number(returned - principal)));
    }
    // A payout, a burn and a zero result.
    expect([...signs].sort()).toEqual([-1, 0, 1]);
    // Each holder's rounds: the rows of a settlement split the model's result (less the virtual shares' part and floors).
    for (const r of v.ledger.rounds.filter((x) => x.settled)) {
      const rows = v.ledger.rows.filter((x) => x.modelId === r.modelId && x.roundId === r.roundId && x.type !== 'staked');
      const net = rows.reduce((a, x) => a + x.valueChangeWei, 0n);
      const modelNet = r.settled!.resultWei - r.settled!.feeWei;
      // Holders carry at most the model's result (the virtual shares carry a part; floors a few wei).
      const tag = `model ${r.modelId} round ${r.roundId}: holders ${net}, model ${modelNet}`;
      expect(modelNet >= 0n ? net <= modelNet + 10n && net >= -10n : net >= modelNet - 10n && net <= 10n, tag).toBe(true);
      if (modelNet > 1_000_000n || modelNet < -1_000_000n) expect(Math.sign(Number(net)), tag).toBe(Math.sign(Number(modelNet)));
    }

    // Withdrawals and delegations: one row per log, the same amount.
    for (const [kind, type, sign] of [
      ['Withdrawn', 'withdrawn', -1n],
      ['Delegated', 'delegated', 1n],
      ['DepositCancelled', 'deposit_cancelled', -1n],
    ] as const) {
      const want = logs
        .filter((x) => x.p.name === kind)
        .map((x) => [x.l.transactionHash.toLowerCase(), (x.p.args.getValue('amountWei') as bigint) * sign]);
      const got = v.ledger.rows.filter((r) => r.type === type).map((r) => [r.txHash, r.amountWei]);
      expect(got, kind).toEqual(want);
      expect(got.length, kind).toBeGreaterThan(0);
    }

    // CSV: every row, its value changes adding up to each position's value; JSON: the wei of each row.
    await s.exportToFile(holders, join(dir, 'all.csv'), { format: 'csv' });
    const csv = readFileSync(join(dir, 'all.csv'), 'utf8').trim().split('\r\n');
    const head = csv[0]!.split(',');
    expect(csv.length - 1).toBe(v.ledger.rows.length);
    const col = (name: string) => head.indexOf(name);
    const byPosition = new Map<string, bigint>();
    for (const line of csv.slice(1)) {
      const c = line.split(',');
      const k = `${c[col('account')]}:${c[col('model_id')]}`;
      byPosition.set(k, (byPosition.get(k) ?? 0n) + parseUnits(c[col('value_change_nmr')]!, 18));
    }
    for (const [k, p] of v.ledger.positions) expect(byPosition.get(k) ?? 0n, k).toBe(p.valueWei);
    await s.exportToFile(holders, join(dir, 'all.json'), { format: 'json' });
    const json = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as { rows: { amountWei: string; txHash: string }[] };
    expect(json.rows.map((r) => [r.txHash, BigInt(r.amountWei)])).toEqual(v.ledger.rows.map((r) => [r.txHash, r.amountWei]));

    // Koinly, per holder: payouts received as income, fees and burns sent; its balance is the value
    // less the rounding of the rows it leaves out.
    for (const h of holders) {
      const file = join(dir, `koinly-${h}.csv`);
      await s.exportToFile([h], file, { format: 'koinly' });
      const lines = readFileSync(file, 'utf8').trim().split('\r\n').slice(1);
      let balance = 0n;
      const labels = new Set<string>();
      for (const line of lines) {
        const c = line.split(',');
        balance += (c[3] ? parseUnits(c[3], 18) : 0n) - (c[1] ? parseUnits(c[1], 18) : 0n);
        labels.add(c[9]!);
      }
      const mine = v.ledger.rows.filter((r) => r.holder === h);
      const value = [...v.ledger.positions.values()].filter((p) => p.holder === h).reduce((a, p) => a + p.valueWei, 0n);
      const left = mine.filter((r) => NOT_IN_KOINLY.has(r.type)).reduce((a, r) => a + r.valueChangeWei, 0n);
      expect(balance, h).toBe(value - left);
      if (mine.some((r) => r.type === 'burn' && r.amountWei !== 0n)) expect(labels.has('lost')).toBe(true);
      if (mine.some((r) => r.type === 'payout' && r.amountWei !== 0n)) expect(labels.has('reward')).toBe(true);
      if (mine.some((r) => r.type === 'fee' && r.amountWei !== 0n)) expect(labels.has('cost')).toBe(true);
    }

    // The screens' figures from the same ledger, in the wire shapes.
    const sum = await s.summary(holders);
    expect(sum.rows).toBe(v.ledger.rows.length);
    expect(sum.models.map((m) => m.name)).toEqual(['winner', 'loser', 'flat']);
    expect(sum.asOfBlock).toBe(v.asOfBlock);
    for (const h of holders) {
      const r = await s.portfolioReturns([h]);
      expect(r.portfolio.length).toBeGreaterThan(0);
      r.portfolio.forEach((p) => PortfolioPointWei.encode(p));
      let results = 0n;
      for (const p of r.positions) {
        PositionReturnsWei.encode(p);
        const rows = v.ledger.rows.filter((x) => x.holder === h && x.modelId === p.modelId);
        const sumOf = (t: string) => rows.filter((x) => x.type === t).reduce((a, x) => a + x.amountWei, 0n);
        expect([p.delegatedWei, p.rewardWei, p.feeWei, p.burnWei]).toEqual([
          sumOf('delegated'),
          sumOf('payout'),
          -sumOf('fee'),
          -sumOf('burn'),
        ]);
        expect(p.takenBackWei).toBe(-sumOf('withdrawn') - sumOf('deposit_cancelled'));
        expect(p.rounds.reduce((a, x) => a + x.resultWei, 0n)).toBe(p.rewardWei - p.feeWei - p.burnWei);
        results += p.rewardWei - p.feeWei - p.burnWei;
      }
      expect(r.portfolio.reduce((a, p) => a + p.resultWei, 0n)).toBe(results);
    }

    reference.csv = readFileSync(join(dir, 'all.csv'));
    reference.json = readFileSync(join(dir, 'all.json'));
  }, 120_000);

  it('exports byte-identical files through range errors, 429s, time-outs and dropped connections', async () => {
    for (const seed of [21, 22]) {
      const before = { ...proxy.stats };
      proxy.plan = { seed, blockRangeLimit: 25, resultLimit: 20, rate429: 0.08, timeout: 0.04, drop: 0.06 };
      const s = service(`faulty-${seed}`, {
        rpcUrl: undefined,
        rpc: new HttpRpc(proxy.url, { timeoutMs: 400 }),
        reader: { initialSpan: 1_000, baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 14, random: () => 0.5 },
      });
      await s.exportToFile(holders, join(dir, `faulty-${seed}.csv`), { format: 'csv' });
      await s.exportToFile(holders, join(dir, `faulty-${seed}.json`), { format: 'json' });
      expect(readFileSync(join(dir, `faulty-${seed}.csv`)).equals(reference.csv)).toBe(true);
      expect(readFileSync(join(dir, `faulty-${seed}.json`)).equals(reference.json)).toBe(true);
      const injected = Object.fromEntries(Object.entries(proxy.stats).map(([k, n]) => [k, n - before[k as keyof typeof before]]));
      expect(injected.rangeErrors! + injected.resultErrors!).toBeGreaterThan(0);
      expect(injected.rate429! + injected.timeouts! + injected.drops!).toBeGreaterThan(0);
    }
    proxy.plan = {};
  }, 120_000);

  it('rebuilds the index once when a node left logs out, and refuses a node that keeps doing so', async () => {
    const tranche = STAKING_TOPIC.TrancheStaked;
    let removed = 0;
    /** A node whose eth_getLogs answers leave out TrancheStaked logs while `lying()` says so. */
    const lyingNode = (lying: () => boolean): RpcClient => {
      const inner = new HttpRpc(w.anvil.url);
      return {
        get requests() {
          return inner.requests;
        },
        batch: (calls, o) => inner.batch(calls, o),
        call: async <T>(method: string, params: unknown[], o?: Parameters<RpcClient['call']>[2]) => {
          const r = await inner.call<T>(method, params, o);
          if (method !== 'eth_getLogs') return r;
          const logs = r as RawLog[];
          if (!logs.some((l) => l.topics[0] === tranche) || !lying()) return r;
          const kept = logs.filter((l) => l.topics[0] !== tranche);
          removed += logs.length - kept.length;
          return kept as T;
        },
      };
    };
    // The first answer holding TrancheStaked logs leaves them out; then the node is honest.
    let lied = false;
    const once = service('lied-once', { rpcUrl: undefined, rpc: lyingNode(() => !lied && (lied = true)) });
    await once.exportToFile(holders, join(dir, 'lied-once.csv'), { format: 'csv' });
    // A TrancheSettled without its TrancheStaked: the ledger refused, the index was rebuilt, the file is right.
    expect(removed).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'lied-once.csv')).equals(reference.csv)).toBe(true);

    const always = service('lies', { rpcUrl: undefined, rpc: lyingNode(() => true) });
    await expect(always.exportToFile(holders, join(dir, 'lies.csv'), { format: 'csv' })).rejects.toBeInstanceOf(HistoryIntegrityError);
  }, 120_000);

  it('resumes a cancelled export from its cursors without reading again what it had', async () => {
    const opts = {
      rpcUrl: undefined,
      rpc: new HttpRpc(proxy.url),
      commitEveryMs: 0,
      reader: { initialSpan: 3, maxSpan: 3, concurrency: 1 },
    };
    const first = service('cancelled', opts);
    const signal = abortAfterGetLogs(proxy, 25);
    await expect(first.exportToFile(holders, join(dir, 'cancelled.csv'), { format: 'csv', signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    proxy.onGetLogs = null;
    const manifest = join(dir, 'cancelled', 'history-index', `${w.deployment.chainId}-${w.deployment.pool.toLowerCase()}`, 'manifest.json');
    const cursors = (JSON.parse(readFileSync(manifest, 'utf8')) as { streams: Record<string, number> }).streams;
    expect(Math.max(...Object.values(cursors))).toBeGreaterThan(w.deployment.deployBlock);
    const from = proxy.getLogs.length;
    const second = service('cancelled', { ...opts, rpc: new HttpRpc(proxy.url) });
    await second.exportToFile(holders, join(dir, 'resumed.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'resumed.csv')).equals(reference.csv)).toBe(true);
    expectNoReRead(proxy.getLogs.slice(from), cursors);
  }, 120_000);

  it('reports progress through each phase, and an up-to-date index reads no logs again', async () => {
    const s = service('progress', { rpcUrl: undefined, rpc: new HttpRpc(proxy.url), reader: { initialSpan: 8 } });
    const phases: string[] = [];
    let lastWrite = { done: -1, total: -2 };
    await s.exportToFile(holders, join(dir, 'progress.csv'), {
      format: 'csv',
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
        if (p.phase === 'write') lastWrite = { done: p.done, total: p.total };
      },
    });
    expect(phases).toEqual(['index', 'timestamps', 'ledger', 'write']);
    expect(lastWrite.done).toBe(lastWrite.total);
    expect(readFileSync(join(dir, 'progress.csv')).equals(reference.csv)).toBe(true);
    const reads = proxy.getLogs.length;
    const requests = proxy.stats.requests;
    await s.exportToFile(holders, join(dir, 'progress-2.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'progress-2.csv')).equals(reference.csv)).toBe(true);
    expect(proxy.getLogs.length).toBe(reads);
    // eth_blockNumber and one header batch (the reorg check): block times come from the index.
    expect(proxy.stats.requests - requests).toBeLessThanOrEqual(2);
  }, 120_000);

  it('resumes after its process is killed midway, without reading again what it had', async () => {
    const child = fileURLToPath(new URL('./test-support/export-child.ts', import.meta.url));
    const indexDir = join(dir, 'killed');
    const d = w.deployment;
    proxy.plan = { stallGetLogsAfter: proxy.getLogs.length + 20 };
    const args = [child, proxy.url, indexDir, d.pool, String(d.deployBlock), holders.join(','), join(dir, 'never.csv')];
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    let stderr = '';
    proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const started = Date.now();
    while (proxy.stats.stalled === 0 && Date.now() - started < 60_000 && proc.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    expect(proxy.stats.stalled, stderr).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    proc.kill('SIGKILL');
    await exited;
    proxy.plan = {};
    const manifest = join(indexDir, `${d.chainId}-${d.pool.toLowerCase()}`, 'manifest.json');
    const cursors = (JSON.parse(readFileSync(manifest, 'utf8')) as { streams: Record<string, number> }).streams;
    expect(Math.max(...Object.values(cursors))).toBeGreaterThan(d.deployBlock);
    const from = proxy.getLogs.length;
    const s = new HistoryService({
      rpc: new HttpRpc(proxy.url),
      chainId: d.chainId,
      poolAddress: d.pool,
      deployBlock: d.deployBlock,
      indexDir,
      exportDir: indexDir,
      reader: { initialSpan: 4, maxSpan: 4, concurrency: 1 },
    });
    await s.exportToFile(holders, join(dir, 'after-kill.csv'), { format: 'csv' });
    expect(readFileSync(join(dir, 'after-kill.csv')).equals(reference.csv)).toBe(true);
    expectNoReRead(proxy.getLogs.slice(from), cursors);
  }, 120_000);

  it("serves a chain session's history: sessionHistoryOptions(ctx, userDataDir) and export(holder, format, deliver)", async () => {
    const session = service('session');
    let delivered = '';
    const out = await session.export(holders[0]!, 'csv', async (file) => {
      delivered = readFileSync(file, 'utf8');
      return { savedTo: file, downloadUrl: null };
    });
    expect(Object.keys(out).sort()).toEqual(['asOfBlock', 'downloadUrl', 'fileName', 'rows', 'savedTo']);
    expect(out.asOfBlock).toBeGreaterThan(0);
    expect(out.rows).toBeGreaterThan(3);
    expect(delivered.split('\r\n').filter(Boolean).length).toBe(out.rows + 1);
    expect(readdirSync(join(dir, 'session')).sort()).toEqual(['exports', 'history-index']);
  });

  it('rebuilds a damaged index from the chain instead of exporting wrong numbers', async () => {
    const first = await service('damaged').ledger(holders);
    const folder = join(dir, 'damaged', 'history-index', `${w.deployment.chainId}-${w.deployment.pool.toLowerCase()}`);
    // Take a stake out of the stored index: its settlement then has no tranche, which the ledger refuses.
    const [seg] = readdirSync(folder).filter((f) => f.startsWith('seg-'));
    const doc = JSON.parse(readFileSync(join(folder, seg!), 'utf8')) as { events: unknown[][] };
    const at = doc.events.findIndex((a) => unpackStakingEvent(a).kind === 'TrancheStaked');
    expect(at).toBeGreaterThanOrEqual(0);
    doc.events.splice(at, 1);
    writeFileSync(join(folder, seg!), JSON.stringify(doc));
    const again = service('damaged');
    const ledger = await again.ledger(holders);
    await expectMatchesViews(ledger);
    expect(ledger.ledger.rows).toEqual(first.ledger.rows);
  }, 120_000);

  it('rolls back a reorg to the fork point and reads the new blocks, counting nothing twice', async () => {
    const s = service('reorg');
    await expectMatchesViews(await s.ledger(holders));
    const snap = await w.provider.send('evm_snapshot', []);
    // The branch that will disappear: a delegation and a round.
    const gone = (await send(0, 'delegate', [2, 55n * NMR])).hash.toLowerCase();
    await playHistory(w.provider, w.deployment, w.numerai, 1);
    const before = await s.ledger(holders);
    await expectMatchesViews(before);
    expect(before.ledger.rows.filter((r) => r.txHash === gone).length).toBe(1);
    const heightBefore = before.asOfBlock;

    await w.provider.send('evm_revert', [snap]);
    // The demo Numerai keeps its own record of rounds: only the pool's holders act on the new branch.
    await send(0, 'delegate', [3, 66n * NMR]);
    await send(2, 'requestRedeem', [1, (await position(holders[2]!, 1)).shares / 3n]);
    await w.provider.send('anvil_mine', ['0x40']);
    expect(await w.provider.getBlockNumber()).toBeGreaterThan(heightBefore);

    const after = await s.ledger(holders);
    expect(s.lastSync?.reorgs).toBeGreaterThanOrEqual(1);
    await expectMatchesViews(after);
    expect(after.ledger.rows.filter((r) => r.txHash === gone)).toEqual([]);
    // As many rows as a fresh index gives.
    const fresh = await service('reorg-fresh').ledger(holders);
    expect(after.ledger.rows.length).toBe(fresh.ledger.rows.length);
  }, 120_000);
  it('notices a reorg that happens while it reads, and reads again from the fork point', async () => {
    const s = service('during', {
      rpcUrl: undefined,
      rpc: new HttpRpc(proxy.url),
      commitEveryMs: 0,
      reader: { initialSpan: 2, maxSpan: 2, concurrency: 1 },
    });
    const snap = await w.provider.send('evm_snapshot', []);
    await send(0, 'delegate', [1, 3n * NMR]);
    await s.ledger(holders);
    // More blocks, so the next sync has several chunks to read.
    for (let i = 0; i < 6; i++) {
      await send(1, 'delegate', [2, BigInt(i + 1) * NMR]);
      await w.provider.send('anvil_mine', ['0x2']);
    }
    // Midway through the next read, the chain drops everything since the snapshot and goes another way.
    let reads = 0;
    proxy.onGetLogs = async () => {
      if (++reads !== 3) return;
      await w.provider.send('evm_revert', [snap]);
      for (let i = 0; i < 9; i++) {
        await send(2, 'delegate', [3, BigInt(i + 11) * NMR]);
        await w.provider.send('anvil_mine', ['0x2']);
      }
    };
    const during = await s.ledger(holders);
    proxy.onGetLogs = null;
    expect(reads).toBeGreaterThan(3);
    expect(s.lastSync?.reorgs).toBeGreaterThanOrEqual(1);
    // It may stop at the block it saw as head; bring it to the end, then compare with the views.
    const final = during.asOfBlock === (await w.provider.getBlockNumber()) ? during : await s.ledger(holders);
    await expectMatchesViews(final);
    const fresh = await service('fresh-during').ledger(holders);
    expect(final.ledger.rows.length).toBe(fresh.ledger.rows.length);
    expect(final.ledger.positions).toEqual(fresh.ledger.positions);
  }, 120_000);

  it('never sees a reorg that stays inside the confirmation window', async () => {
    const s = service('window', { confirmations: 3 });
    const first = await s.ledger(holders);
    expect(first.asOfBlock).toBe((await w.provider.getBlockNumber()) - 3);
    const snap = await w.provider.send('evm_snapshot', []);
    await send(0, 'delegate', [3, 5n * NMR]);
    await w.provider.send('evm_revert', [snap]);
    await send(1, 'delegate', [1, 9n * NMR]);
    await w.provider.send('anvil_mine', ['0x5']);
    const second = await s.ledger(holders);
    expect(s.lastSync?.reorgs).toBe(0);
    await expectMatchesViews(second);
  }, 120_000);
});

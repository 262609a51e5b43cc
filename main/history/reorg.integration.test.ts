/**
 * Reorgs on a real local chain (anvil's evm_snapshot / evm_revert replace blocks under the same
 * numbers): a reorg of blocks the index has read is detected by their stored hashes, the index rolls
 * back to the fork point and reads the new blocks, and nothing is counted twice; a reorg inside the
 * confirmation window is never seen at all.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { HistoryService, sessionHistoryOptions } from './history-service';
import type { Ledger } from './ledger';
import { HttpRpc } from './rpc';
import { createProvider } from '../chain/provider';
import { DevChain, NMR, pool, randomHistory, type HistorySummary } from './test-support/dev-chain';
import { startFaultProxy } from './test-support/rpc-fault-proxy';

describe('reorgs', () => {
  let anvil: AnvilHandle;
  let chain: DevChain;
  let dir: string;
  let summary: HistorySummary;
  let holder: string;

  const make = (name: string, confirmations: number) =>
    new HistoryService({
      rpcUrl: anvil.url,
      chainId: 31337,
      poolAddress: chain.poolAddress,
      deployBlock: chain.deployBlock,
      indexDir: join(dir, name),
      exportDir: join(dir, name),
      confirmations,
    });

  /** The ledger's final positions equal positionsOf() at its block, every field. */
  const expectMatchesViews = async (ledger: Ledger) => {
    const views = await chain.positions(holder, summary.modelIds, ledger.asOfBlock);
    for (const [i, id] of summary.modelIds.entries()) {
      const v = views[i]!;
      const p = ledger.positions.find((x) => x.modelId === id);
      expect({
        shares: p?.shares ?? 0n,
        valueWei: p?.valueWei ?? 0n,
        pendingInWei: p?.pendingInWei ?? 0n,
        pendingOutShares: p?.pendingOutShares ?? 0n,
        pendingOutValueWei: p?.pendingOutValueWei ?? 0n,
        withdrawableWei: p?.withdrawableWei ?? 0n,
      }).toEqual({
        shares: v.shares,
        valueWei: v.valueWei,
        pendingInWei: v.pendingInWei,
        pendingOutShares: v.pendingOutShares,
        pendingOutValueWei: v.pendingOutValueWei,
        withdrawableWei: v.withdrawableWei,
      });
    }
    expect(ledger.issues).toEqual([]);
  };

  const resolve = async (rets: number[]) => {
    const round = await chain.currentRound();
    await chain.sendOk(chain.accounts[0]!, chain.poolAddress, pool.encodeFunctionData('resolveRound', [round, summary.modelIds, rets]));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'history-reorg-'));
    anvil = await startAnvil();
    chain = new DevChain(anvil.url);
    await chain.init();
    summary = await randomHistory(chain, { seed: 3, holders: 2, models: 3, rounds: 12, lockRounds: 2 });
    holder = summary.holders[0]!;
  }, 120_000);

  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rolls back to the fork point and reads the new blocks, counting nothing twice', async () => {
    const service = make('deep', 0);
    await expectMatchesViews(await service.ledger([holder]));
    const snap = await chain.rpc.call<string>('evm_snapshot', []);

    // The branch that will disappear: a delegation, a result, a request.
    const gone: string[] = [];
    const r1 = await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [1, 1234n * NMR]));
    await resolve([400, -300, 0]);
    await resolve([100, 200, -500]);
    gone.push(r1.transactionHash.toLowerCase());
    const before = await service.ledger([holder]);
    await expectMatchesViews(before);
    const orphanRows = before.rows.filter((r) => gone.includes(r.txHash));
    expect(orphanRows.length).toBe(1);
    const heightBefore = before.asOfBlock;

    // The chain goes another way from the snapshot, and grows past the old height.
    await chain.rpc.call('evm_revert', [snap]);
    await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [2, 77n * NMR]));
    await resolve([-200, 50, 300]);
    await resolve([10, 20, 30]);
    await chain.rpc.call('anvil_mine', ['0x2']);
    expect(await chain.blockNumber()).toBeGreaterThan(heightBefore);

    const after = await service.ledger([holder]);
    expect(service.lastSync?.reorgs).toBeGreaterThanOrEqual(1);
    await expectMatchesViews(after);
    expect(after.rows.filter((r) => gone.includes(r.txHash))).toEqual([]);
    // Deduplicated by (tx hash, log index): as many rows per event as a fresh index gives.
    const fresh = await make('fresh', 0).ledger([holder]);
    expect(after.rows.length).toBe(fresh.rows.length);
    expect(after.positions).toEqual(fresh.positions);
  });

  it('notices a reorg that happens while it reads, and reads again from the fork point', async () => {
    const proxy = await startFaultProxy(anvil.url);
    try {
      const service = new HistoryService({
        rpc: new HttpRpc(proxy.url),
        chainId: 31337,
        poolAddress: chain.poolAddress,
        deployBlock: chain.deployBlock,
        indexDir: join(dir, 'during'),
        exportDir: join(dir, 'during'),
        commitEveryMs: 0,
        reader: { initialSpan: 2, maxSpan: 2, concurrency: 1 },
      });
      const snap = await chain.rpc.call<string>('evm_snapshot', []);
      await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [1, 3n * NMR]));
      await resolve([100, 100, 100]);
      await service.ledger([holder]);
      // More blocks, so the next sync has several chunks to read.
      for (let i = 0; i < 6; i++) {
        await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [2, BigInt(i + 1) * NMR]));
        await resolve([-50, 50, 0]);
      }
      // Midway through the next read, the chain drops everything since the snapshot and goes another way.
      let reads = 0;
      proxy.onGetLogs = async () => {
        if (++reads !== 3) return;
        await chain.rpc.call('evm_revert', [snap]);
        for (let i = 0; i < 9; i++) {
          await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [3, BigInt(i + 11) * NMR]));
          await resolve([200, -200, 300]);
        }
      };
      const ledger = await service.ledger([holder]);
      proxy.onGetLogs = null;
      expect(reads).toBeGreaterThan(3);
      expect(service.lastSync?.reorgs).toBeGreaterThanOrEqual(1);
      // It may stop at the block it saw as head; bring it to the end, then compare with the views.
      const final = ledger.asOfBlock === (await chain.blockNumber()) ? ledger : await service.ledger([holder]);
      await expectMatchesViews(final);
      const fresh = await make('fresh-during', 0).ledger([holder]);
      expect(final.rows.length).toBe(fresh.rows.length);
      expect(final.positions).toEqual(fresh.positions);
    } finally {
      await proxy.close();
    }
  });

  it('rebuilds a damaged index from the chain instead of exporting wrong numbers', async () => {
    const first = await make('damaged', 0).ledger([holder]);
    const folder = join(dir, 'damaged', `31337-${chain.poolAddress}`);
    // Change one stored result (RoundResolved is kind 6; field 7 is stakeBeforeWei) of a model the holder is in.
    const [seg] = readdirSync(folder).filter((f) => f.startsWith('seg-'));
    const doc = JSON.parse(readFileSync(join(folder, seg!), 'utf8')) as { events: unknown[][] };
    const live = new Set(first.positions.filter((p) => p.shares > 0n).map((p) => p.modelId));
    const target = doc.events.filter((e) => e[0] === 6 && live.has(e[5] as number)).at(-3)!;
    target[7] = (BigInt(`0x${target[7] as string}`) + 12345n).toString(16);
    writeFileSync(join(folder, seg!), JSON.stringify(doc));
    const service = make('damaged', 0);
    const ledger = await service.ledger([holder]);
    await expectMatchesViews(ledger);
    expect(ledger.rows).toEqual(first.rows);
  });

  it("serves a chain session's history: sessionHistoryOptions(ctx, userDataDir) and export(holder, format, deliver)", async () => {
    const provider = createProvider(anvil.url, 31337);
    try {
      const ctx = { provider, chainId: 31337, kind: 'local', poolAddress: chain.poolAddress, deployBlock: chain.deployBlock } as const;
      const session = new HistoryService(sessionHistoryOptions(ctx, join(dir, 'session')));
      let delivered = '';
      const out = await session.export(holder, 'csv', async (file) => {
        delivered = readFileSync(file, 'utf8');
        return { savedTo: file, downloadUrl: null };
      });
      expect(Object.keys(out).sort()).toEqual(['asOfBlock', 'downloadUrl', 'fileName', 'rows', 'savedTo']);
      expect(out.asOfBlock).toBeGreaterThan(0);
      expect(out.rows).toBeGreaterThan(10);
      expect(delivered.split('\r\n').filter(Boolean).length).toBe(out.rows + 1);
      expect(readdirSync(join(dir, 'session')).sort()).toEqual(['exports', 'history-index']);
    } finally {
      provider.destroy();
    }
  });

  it('never sees a reorg that stays inside the confirmation window', async () => {
    const service = make('window', 3);
    const first = await service.ledger([holder]);
    expect(first.asOfBlock).toBe((await chain.blockNumber()) - 3);
    const snap = await chain.rpc.call<string>('evm_snapshot', []);
    await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [3, 5n * NMR]));
    await resolve([1, 2, 3]);
    await chain.rpc.call('evm_revert', [snap]);
    await chain.sendOk(holder, chain.poolAddress, pool.encodeFunctionData('delegate', [1, 9n * NMR]));
    await resolve([-1, -2, -3]);
    await chain.rpc.call('anvil_mine', ['0x5']);
    const second = await service.ledger([holder]);
    expect(service.lastSync?.reorgs).toBe(0);
    await expectMatchesViews(second);
  });
});

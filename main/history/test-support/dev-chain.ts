/**
 * A pool on a local anvil chain driven through anvil's unlocked dev accounts (eth_sendTransaction,
 * automine: one transaction per block), and a seeded random history for the ledger tests: several
 * holders and models, delegations (single and batched), cancellations, undelegations (partial, full,
 * merged), withdrawals, settles, gains, losses, zero rounds, fee changes, results posted in batches,
 * and models left out of rounds (caught up later, or still not caught up at the end).
 */
import { Interface } from 'ethers';
import { poolAbi, poolBytecode, tokenAbi, tokenBytecode } from '../../chain/contracts';
import { HttpRpc } from '../rpc';
import type { PositionLike } from '../../../contracts/test-support/reference';

export const pool = new Interface(poolAbi);
export const token = new Interface(tokenAbi);
export const NMR = 10n ** 18n;

export interface Receipt {
  transactionHash: string;
  status: string;
  blockNumber: string;
  contractAddress: string | null;
  logs: unknown[];
}

export class DevChain {
  readonly rpc: HttpRpc;
  accounts: string[] = [];
  poolAddress = '';
  tokenAddress = '';
  deployBlock = 0;
  lockRounds = 0;
  txs = 0;

  constructor(readonly url: string) {
    this.rpc = new HttpRpc(url, { timeoutMs: 120_000 });
  }

  async init() {
    this.accounts = ((await this.rpc.call<string[]>('eth_accounts', [])) ?? []).map((a) => a.toLowerCase());
  }

  async send(from: string, to: string | null, data: string, gas = 5_000_000n): Promise<Receipt> {
    const tx: Record<string, string> = { from, data, gas: `0x${gas.toString(16)}` };
    if (to) tx.to = to;
    const hash = await this.rpc.call<string>('eth_sendTransaction', [tx]);
    this.txs++;
    let r = await this.rpc.call<Receipt | null>('eth_getTransactionReceipt', [hash]);
    for (let i = 0; !r && i < 200; i++) {
      await new Promise((res) => setTimeout(res, 10));
      r = await this.rpc.call<Receipt | null>('eth_getTransactionReceipt', [hash]);
    }
    if (!r) throw new Error(`transaction ${hash} was not mined`);
    return r;
  }

  async sendOk(from: string, to: string | null, data: string, gas = 5_000_000n): Promise<Receipt> {
    const r = await this.send(from, to, data, gas);
    if (r.status !== '0x1') throw new Error(`transaction failed: ${data.slice(0, 10)} from ${from}`);
    return r;
  }

  async call(data: string, blockTag: string | number = 'latest', to = this.poolAddress): Promise<string> {
    const tag = typeof blockTag === 'number' ? `0x${blockTag.toString(16)}` : blockTag;
    return this.rpc.call<string>('eth_call', [{ to, data }, tag]);
  }

  async blockNumber(): Promise<number> {
    return Number(BigInt(await this.rpc.call<string>('eth_blockNumber', [])));
  }

  /** Deploys LocalNMR and DelegationPool from account 0 (admin, reporter, operator of every model). */
  async deploy(lockRounds: number, firstRound: number) {
    const admin = this.accounts[0]!;
    this.deployBlock = (await this.blockNumber()) + 1;
    const t = await this.sendOk(admin, null, tokenBytecode + token.encodeDeploy([]).slice(2), 6_000_000n);
    this.tokenAddress = t.contractAddress!.toLowerCase();
    const p = await this.sendOk(
      admin,
      null,
      poolBytecode + pool.encodeDeploy([this.tokenAddress, admin, lockRounds, firstRound]).slice(2),
      12_000_000n,
    );
    this.poolAddress = p.contractAddress!.toLowerCase();
    this.lockRounds = lockRounds;
  }

  async currentRound(): Promise<number> {
    return Number(BigInt(await this.call(pool.encodeFunctionData('currentRound'))));
  }

  async positions(holder: string, ids: number[], blockTag: string | number = 'latest') {
    const raw = await this.call(pool.encodeFunctionData('positionsOf', [holder, ids]), blockTag);
    const [list] = pool.decodeFunctionResult('positionsOf', raw) as unknown as [PositionLike[]];
    return list.map((p) => ({
      shares: BigInt(p.shares),
      valueWei: BigInt(p.valueWei),
      pendingInWei: BigInt(p.pendingInWei),
      pendingInRound: Number(p.pendingInRound),
      pendingOutShares: BigInt(p.pendingOutShares),
      pendingOutValueWei: BigInt(p.pendingOutValueWei),
      unlockRound: Number(p.unlockRound),
      withdrawableWei: BigInt(p.withdrawableWei),
    }));
  }
}

/** Small seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryPlan {
  seed: number;
  holders: number;
  models: number;
  rounds: number;
  lockRounds?: number;
  firstRound?: number;
}

export interface HistorySummary {
  holders: string[];
  modelIds: number[];
  counts: Record<string, number>;
}

/** Writes a random but valid history on the chain (every transaction must succeed). */
export async function randomHistory(chain: DevChain, plan: HistoryPlan): Promise<HistorySummary> {
  const rand = rng(plan.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const admin = chain.accounts[0]!;
  const holders = chain.accounts.slice(1, 1 + plan.holders);
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  await chain.deploy(plan.lockRounds ?? 2, plan.firstRound ?? 500);
  const P = chain.poolAddress;
  const T = chain.tokenAddress;
  const ids: number[] = [];
  for (let i = 0; i < plan.models; i++) {
    await chain.sendOk(
      admin,
      P,
      pool.encodeFunctionData('registerModel', [
        i === 2 ? `=model-${i + 1},"q"` : `model-${i + 1}`,
        admin,
        [0, 1000, 2500, 500][i % 4]!,
        2n ** 200n,
      ]),
    );
    ids.push(i + 1);
  }
  const big = 10n ** 10n * NMR; // the pool keeps amounts in uint96 (7.9e10 NMR)
  await chain.sendOk(admin, T, token.encodeFunctionData('demoMint', [admin, big]));
  await chain.sendOk(admin, T, token.encodeFunctionData('approve', [P, big]));
  await chain.sendOk(admin, P, pool.encodeFunctionData('fundReserve', [big / 10n]));
  for (const h of holders) {
    await chain.sendOk(admin, T, token.encodeFunctionData('demoMint', [h, 10n ** 8n * NMR]));
    await chain.sendOk(h, T, token.encodeFunctionData('approve', [P, 2n ** 255n]));
  }
  const amount = () => BigInt(1 + Math.floor(rand() * 400)) * NMR + BigInt(Math.floor(rand() * 1e9)) * 1_000_000_007n;

  // The last model is left out of the final rounds after fresh deposits: its conversions are only in
  // the pool's view catch-up at the end (the ledger must compute them from the model's flows).
  const tailModel = ids[ids.length - 1]!;
  for (let k = 0; k < plan.rounds; k++) {
    const round = await chain.currentRound();
    const finalRounds = k >= plan.rounds - 2;
    for (const h of holders) {
      const pos = await chain.positions(h, ids);
      if (chance(0.4) || (finalRounds && h === holders[0])) {
        const n = 1 + Math.floor(rand() * 3);
        const ms = [...new Set(Array.from({ length: n }, () => pick(ids)))];
        if (finalRounds && h === holders[0] && !ms.includes(tailModel)) ms.push(tailModel);
        if (ms.length === 1) await chain.sendOk(h, P, pool.encodeFunctionData('delegate', [ms[0], amount()]));
        else await chain.sendOk(h, P, pool.encodeFunctionData('delegateBatch', [ms, ms.map(() => amount())]));
        count('delegate');
        // Sometimes taken back before it is at risk.
        if (chance(0.12) && !(finalRounds && h === holders[0])) {
          await chain.sendOk(h, P, pool.encodeFunctionData('cancelDelegation', [pick(ms)]));
          count('cancel');
        }
      }
      const withShares = ids.filter((_, i) => pos[i]!.shares > 0n);
      if (withShares.length && chance(0.3)) {
        const m = pick(withShares);
        const s = pos[ids.indexOf(m)]!.shares;
        const part = chance(0.3) ? s : (s * BigInt(1 + Math.floor(rand() * 90))) / 100n;
        if (part > 0n) {
          await chain.sendOk(h, P, pool.encodeFunctionData('requestUndelegate', [m, part]));
          count('undelegate');
        }
      }
      const withdrawable = ids.filter((_, i) => pos[i]!.withdrawableWei > 0n);
      if (withdrawable.length && chance(0.45)) {
        await chain.sendOk(h, P, pool.encodeFunctionData('withdraw', [pick(withdrawable)]));
        count('withdraw');
      }
      if (chance(0.05)) {
        await chain.sendOk(h, P, pool.encodeFunctionData('settle', [pick(ids)]));
        count('settle');
      }
    }
    if (chance(0.08)) {
      await chain.sendOk(admin, P, pool.encodeFunctionData('scheduleFeeChange', [pick(ids), Math.floor(rand() * 3000)]));
      count('feeChange');
    }
    // Results: some models left out (a zero return, converted lazily), sometimes posted in two batches.
    let posted = ids.filter(() => !chance(0.15));
    if (finalRounds) posted = posted.filter((m) => m !== tailModel);
    const ret = () => (chance(0.1) ? 0 : Math.floor(rand() * 1001) - 500);
    if (posted.length > 1 && chance(0.3)) {
      const cut = 1 + Math.floor(rand() * (posted.length - 1));
      const first = posted.slice(0, cut);
      await chain.sendOk(admin, P, pool.encodeFunctionData('postResults', [round, first, first.map(ret)]));
      count('postResults');
      // Someone delegates between the batches: tagged with the next round for the posted models.
      if (chance(0.5)) {
        await chain.sendOk(pick(holders), P, pool.encodeFunctionData('delegate', [pick(first), amount()]));
        count('delegateBetweenBatches');
      }
      posted = posted.slice(cut);
    }
    await chain.sendOk(admin, P, pool.encodeFunctionData('resolveRound', [round, posted, posted.map(ret)]), 10_000_000n);
    count('resolveRound');
    count(`leftOut:${plan.models - posted.length}`);
  }
  return { holders, modelIds: ids, counts };
}

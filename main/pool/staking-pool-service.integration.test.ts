/**
 * StakingPoolService on anvil against the contracts' own world (faithful NMR, Numerai's staking
 * stand-in, StakingPool): a holder delegates to two models, a Numerai round is staked, its root is
 * posted with a payout for one model and a burn for the other, the claims are relayed, and every
 * figure the service reads equals the chain to the wei; then the holder takes back and withdraws.
 */
import { JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../contracts/test/support/anvil';
import * as world from '../../contracts/test/support/staking';
import type { RoundTree } from '../../contracts/test/support/numerai';
import { StakingPoolService } from './staking-pool-service';
import type { PoolModelView, PoolPositionView } from './staking-pool-views';

const nmr = (n: number | bigint) => BigInt(n) * world.WAD;
const DAY = 86_400n;
const M1 = world.numeraiModelId(1);
const M2 = world.numeraiModelId(2);
const ROUND = 700n;

describe('StakingPoolService on anvil', () => {
  let chain: Anvil;
  let w: world.World;
  let provider: JsonRpcProvider;
  let service: StakingPoolService;
  let holder: string;
  let other: string;
  let relayer: string;
  let tree: RoundTree;

  const ok = async (p: Promise<{ ok: boolean; error?: string }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  };
  const chainPosition = (h: string, id: number) => w.view<PoolPositionView>('positionOf', [h, id]);
  const chainModel = (id: number) => w.view<PoolModelView>('model', [id]);

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 6 });
    w = await world.deployWorld(chain.url, { concurrentRounds: 2 });
    [holder, other, relayer] = w.accounts.slice(2, 5) as [string, string, string];
    await world.fund(w, [holder, other], nmr(10_000), w.pool);
    await world.fund(w, [w.numerai], nmr(100_000), w.staking);
    await ok(w.pool$(w.admin, 'registerModel', [M1, 'alpha', w.accounts[5], 1000, nmr(1_000_000)]));
    await ok(w.pool$(w.admin, 'registerModel', [M2, 'beta', w.accounts[5], 0, nmr(1_000_000)]));
    const network = Network.from(chain.chainId);
    provider = new JsonRpcProvider(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    service = new StakingPoolService({ provider, poolAddress: w.pool, deployBlock: 0 });
  });
  afterAll(async () => {
    provider?.destroy();
    w?.stop();
    await chain?.stop();
  });

  it('reads the models by their registration, and the pool empty', async () => {
    const models = await service.models();
    expect(models.map((m) => [m.modelId, m.name, m.numeraiModelId])).toEqual([
      [1, 'alpha', M1],
      [2, 'beta', M2],
    ]);
    expect(await service.totals()).toEqual({ idleWei: 0n, atStakeWei: 0n, pendingDepositWei: 0n, owedExitWei: 0n, feesOwedWei: 0n });
    expect(await service.holderPositions(holder)).toEqual([]);
    await expect(service.model(3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows a deposit as waiting until a round converts and stakes it, then the round as open', async () => {
    await ok(
      w.pool$(holder, 'delegateBatch', [
        [1, 2],
        [nmr(1000), nmr(600)],
      ]),
    );
    await ok(w.pool$(other, 'delegate', [1, nmr(1000)]));
    let [p1] = await service.holderPositions(holder);
    expect(p1).toMatchObject({ modelId: 1, waitingWei: nmr(1000), shares: 0n, valueWei: 0n, rounds: [] });

    await world.createRound(w, ROUND, 2n * DAY, 3n * DAY);
    const n = await w.view<bigint>('nonces', [w.pool], w.staking, world.numeraiIface);
    const auths = [
      await world.authorize(w, { roundId: ROUND, modelId: M1, maxAmount: nmr(1_000_000), nonce: n }),
      await world.authorize(w, { roundId: ROUND, modelId: M2, maxAmount: nmr(1_000_000), nonce: n + 1n }),
    ];
    await ok(w.send(relayer, w.pool, world.stakeRoundData([1, 2], auths)));

    const positions = await service.holderPositions(holder);
    expect(positions).toHaveLength(2);
    for (const p of positions) {
      const c = await chainPosition(holder, p.modelId);
      const m = await chainModel(p.modelId);
      expect(p.waitingWei).toBe(0n);
      expect(p.shares).toBe(c.shares);
      expect(p.valueWei).toBe(c.valueWei);
      expect(p.rounds).toHaveLength(1);
      const [r] = p.rounds;
      expect(r).toMatchObject({ roundId: ROUND, state: 'open', stakedWei: m.atStakeWei, result: null });
      expect(r!.holderPartWei).toBe((m.atStakeWei * c.shares) / m.totalShares);
    }
    // Two rounds at once: model 1 (2,000 NAV) stakes 1,000; model 2 (600) stakes 300.
    [p1] = positions;
    expect(p1!.rounds[0]!.stakedWei).toBe(nmr(1000));
    expect(p1!.rounds[0]!.holderPartWei).toBe(nmr(500));
    expect(positions[1]!.rounds[0]!.stakedWei).toBe(nmr(300));
    const totals = await service.totals();
    expect(totals.atStakeWei).toBe(nmr(1300));
    expect(totals.idleWei).toBe(nmr(1300));
  });

  it('follows the round through closed and resolving to resolved, then claimed with its payout and burn', async () => {
    w.warp(2n * DAY);
    await ok(w.send(relayer, w.token, world.tokenIface.encodeFunctionData('approve', [relayer, 0n]))); // moves the clock
    expect(await service.numeraiRoundState(ROUND)).toBe('closed');
    w.warp(3n * DAY);
    await ok(w.send(relayer, w.token, world.tokenIface.encodeFunctionData('approve', [relayer, 0n])));
    expect(await service.numeraiRoundState(ROUND)).toBe('resolving');

    tree = await world.postRoot(w, ROUND, [
      { modelId: M1, payout: nmr(100), burn: 0n },
      { modelId: M2, payout: 0n, burn: nmr(30) },
    ]);
    expect((await service.holderPosition(holder, 1)).rounds[0]!.state).toBe('resolved');
    const round = await service.numeraiRound(ROUND);
    expect(round.merkleRoot).toBe(tree.root);
    expect(round.totalPayout).toBe(nmr(100));

    await ok(w.pool$(relayer, 'claim', [ROUND, 1, nmr(100), 0n, tree.proofOf(w.pool, M1)]));
    await ok(w.pool$(relayer, 'claim', [ROUND, 2, 0n, nmr(30), tree.proofOf(w.pool, M2)]));
    const [p1, p2] = await service.holderPositions(holder);
    expect(p1!.rounds).toEqual([
      {
        roundId: ROUND,
        state: 'claimed',
        stakedWei: nmr(1000),
        holderPartWei: null,
        result: { returnedWei: nmr(1100), paidWei: nmr(100), burnedWei: 0n, feeWei: nmr(10), alreadySettled: false },
      },
    ]);
    expect(p2!.rounds[0]!.result).toEqual({ returnedWei: nmr(270), paidWei: 0n, burnedWei: nmr(30), feeWei: 0n, alreadySettled: false });
    for (const p of [p1!, p2!]) {
      const c = await chainPosition(holder, p.modelId);
      expect(p.valueWei).toBe(c.valueWei);
    }
    expect(await service.tranche(1, ROUND)).toEqual({ principalWei: 0n, feeBps: 0n });
    const [idle, atStake, pending, owed, fees] = await w.view<bigint[]>('totals');
    expect(await service.totals()).toEqual({
      idleWei: idle,
      atStakeWei: atStake,
      pendingDepositWei: pending,
      owedExitWei: owed,
      feesOwedWei: fees,
    });
    expect(fees).toBe(nmr(10));
  });

  it('shows a take-back as leaving, then withdrawable after a checkpoint, then withdrawn', async () => {
    const before = await chainPosition(holder, 2);
    await ok(w.pool$(holder, 'requestRedeem', [2, before.shares]));
    let p = await service.holderPosition(holder, 2);
    expect(p.shares).toBe(0n);
    expect(p.leavingShares).toBe(before.shares);
    expect(p.leavingValueWei).toBe((await chainPosition(holder, 2)).exitingValueWei);
    // Every tranche had settled when it was asked: nothing to wait for but the next checkpoint.
    expect(p.unlockRound).toBe(0n);
    expect(p.leavingMatured).toBe(true);

    await ok(w.pool$(relayer, 'checkpoint', [[2]]));
    p = await service.holderPosition(holder, 2);
    expect(p.leavingShares).toBe(0n);
    expect(p.unlockRound).toBeNull();
    expect(p.withdrawableWei).toBe((await chainPosition(holder, 2)).withdrawableWei);
    expect(p.withdrawableWei).toBe(nmr(570)); // 600 − 30 burned

    const wallet = await w.view<bigint>('balanceOf', [holder], w.token, world.tokenIface);
    await ok(w.pool$(holder, 'withdraw', [2]));
    p = await service.holderPosition(holder, 2);
    expect(p.withdrawableWei).toBe(0n);
    expect(p.withdrawnWei).toBe((await w.view<bigint>('balanceOf', [holder], w.token, world.tokenIface)) - wallet);
    expect(p.withdrawnWei).toBe(nmr(570));
  });
});

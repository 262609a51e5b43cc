/**
 * The holder's side of StakingPool on anvil, against the contracts' own world (faithful NMR, Numerai's
 * staking stand-in, StakingPool): a holder delegates to two models (the plans' steps signed as built,
 * NMR's approve rule included), a Numerai round is staked, its root is posted with a payout for one
 * model and a burn for the other, the claims are relayed from Numerai's claim answers, "Check with
 * Numerai" says verified, every figure the service reads equals the chain to the wei; then the
 * holder takes back and withdraws.
 */
import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import * as world from '../../contracts/test-support/staking';
import { buildRoundTree, type RoundTree } from '../../contracts/test-support/numerai';
import { claimLeafHash } from '../../contracts/numerai-layout';
import { StakingPortfolio } from '../../shared/api';
import { formatNmr } from '../../shared/money';
import type { V3StakeClaim } from '../numerai/v3-api';
import { verifyClaim } from '../numerai/verify-claim';
import { NMR_STOPPED, type IntentDraft, type StakingIntent, type StakingReads } from '../tx/staking-intents';
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
  let reads: StakingReads;

  const ok = async (p: Promise<{ ok: boolean; error?: string }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  };
  const chainPosition = (h: string, id: number) => w.view<PoolPositionView>('positionOf', [h, id]);
  const chainModel = (id: number) => w.view<PoolModelView>('model', [id]);
  const nmrOf = (who: string) => w.view<bigint>('balanceOf', [who], w.token, world.tokenIface);
  /** Plans the intent as `from` and sends its steps, in order, exactly as built. */
  const act = async (from: string, intent: StakingIntent): Promise<IntentDraft> => {
    const draft = await service.draft(intent, from);
    expect(draft.blocker).toBeNull();
    for (const step of draft.steps) await ok(w.send(from, step.tx.to, String(step.tx.data)));
    return draft;
  };
  /** Numerai's `v3StakeClaim` answer for the pool's position of a model in ROUND. */
  const claimOf = (modelId: string, payout: bigint, burn: bigint, roundId = ROUND): V3StakeClaim => ({
    apiModelId: `api-${modelId.slice(-4)}`,
    burnAmountWei: burn.toString(),
    merkleRoot: tree.root,
    modelId,
    payoutAmountWei: payout.toString(),
    proof: tree.proofOf(w.pool, modelId),
    roundId: roundId.toString(),
    staker: w.pool,
    submissionId: null,
    tournamentId: 8,
  });

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 6 });
    w = await world.deployWorld(chain.url, { concurrentRounds: 2 });
    [holder, other, relayer] = w.accounts.slice(2, 5) as [string, string, string];
    // The holder starts with no allowance; the other approved the pool for everything.
    await ok(w.send(w.admin, w.token, world.tokenIface.encodeFunctionData('demoMint', [holder, nmr(10_000)])));
    await world.fund(w, [other], nmr(10_000), w.pool);
    await world.fund(w, [w.numerai], nmr(100_000), w.staking);
    await ok(w.pool$(w.admin, 'registerModel', [M1, 'alpha', w.accounts[5], 1000, nmr(1_000_000)]));
    await ok(w.pool$(w.admin, 'registerModel', [M2, 'beta', w.accounts[5], 0, nmr(1_000_000)]));
    const network = Network.from(chain.chainId);
    provider = new JsonRpcProvider(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    service = new StakingPoolService({ provider, poolAddress: w.pool, deployBlock: 0 });
    reads = await service.intentReads();
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
    expect(await service.latestStakedRound()).toBe(0n);
  });

  it('reads all models in one call (modelViews), and one call a model from a pool deployed without that view', async () => {
    const calls = (p: JsonRpcProvider) => {
      const seen: string[] = [];
      void p.on('debug', (e: { action: string; payload?: unknown }) => {
        if (e.action !== 'sendRpcPayload') return;
        for (const r of [e.payload].flat() as { method: string; params: [{ data?: string }] }[])
          if (r.method === 'eth_call') seen.push(r.params[0].data!.slice(0, 10));
      });
      return seen;
    };
    const network = Network.from(chain.chainId);
    const fresh = new JsonRpcProvider(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    const viewsSelector = world.poolIface.getFunction('modelViews')!.selector;
    /** A node in front of a pool without `modelViews`: that call reverts with no data, as a missing function does. */
    class OlderPool extends JsonRpcProvider {
      override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
        const all = [payload].flat();
        const missing = (r: JsonRpcPayload) =>
          r.method === 'eth_call' && String((r.params as [{ data: string }])[0].data).startsWith(viewsSelector);
        const answers = await super._send(all.filter((r) => !missing(r)));
        return all.map((r) =>
          missing(r) ? { id: r.id, error: { code: 3, message: 'execution reverted' } } : answers.shift()!,
        ) as JsonRpcResult[];
      }
    }
    const older = new OlderPool(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    try {
      const seenNew = calls(fresh);
      const viaList = await new StakingPoolService({ provider: fresh, poolAddress: w.pool, deployBlock: 0 }).models();
      expect(seenNew).toEqual([viewsSelector]);
      const seenOld = calls(older);
      const oneByOne = await new StakingPoolService({ provider: older, poolAddress: w.pool, deployBlock: 0 }).models();
      const modelSelector = world.poolIface.getFunction('model')!.selector;
      expect(seenOld).toEqual([viewsSelector, modelSelector, modelSelector]);
      expect(oneByOne).toEqual(viaList);
      expect(viaList.map((m) => [m.modelId, m.name])).toEqual([
        [1, 'alpha'],
        [2, 'beta'],
      ]);
    } finally {
      fresh.destroy();
      older.destroy();
    }
  });

  it('reads the registrations once for asks that come together (the start’s warm-up and the first list)', async () => {
    const network = Network.from(chain.chainId);
    const fresh = new JsonRpcProvider(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    const logReads: unknown[] = [];
    void fresh.on('debug', (e: { action: string; payload?: unknown }) => {
      if (e.action === 'sendRpcPayload')
        for (const r of [e.payload].flat() as { method: string }[]) if (r.method === 'eth_getLogs') logReads.push(r);
    });
    try {
      const together = new StakingPoolService({ provider: fresh, poolAddress: w.pool, deployBlock: 0 });
      const [a, b] = await Promise.all([together.models(), together.models()]);
      expect(a).toEqual(b);
      expect(logReads).toHaveLength(1);
    } finally {
      fresh.destroy();
    }
  });

  it('shows a deposit as waiting until a round converts and stakes it, then the round as open', async () => {
    // From no allowance: approve, then one batch.
    const first = await act(holder, { kind: 'delegate', allocations: [{ modelId: 1, amountWei: nmr(1000) }] });
    expect(first.steps.map((x) => x.kind)).toEqual(['approve', 'delegate']);
    // Over a non-zero allowance NMR refuses approve: the plan uses changeApproval, and it goes through.
    await ok(w.send(holder, w.token, world.tokenIface.encodeFunctionData('approve', [w.pool, 1n])));
    const second = await act(holder, { kind: 'delegate', allocations: [{ modelId: 2, amountWei: nmr(600) }] });
    expect(second.steps.map((x) => x.kind)).toEqual(['approve', 'delegate']);
    expect(await w.view<bigint>('allowance', [holder, w.pool], w.token, world.tokenIface)).toBe(0n);
    await ok(w.pool$(other, 'delegate', [1, nmr(1000)]));
    // A deposit the other then thinks better of: cancelled whole, while it waits.
    await ok(w.pool$(other, 'delegate', [2, nmr(5)]));
    const before = await nmrOf(other);
    await act(other, { kind: 'cancel-deposit', modelId: 2 });
    expect((await nmrOf(other)) - before).toBe(nmr(5));
    expect((await service.holderPositions(other)).map((p) => p.modelId)).toEqual([1]);
    let [p1] = await service.holderPositions(holder);
    expect(p1).toMatchObject({ modelId: 1, waitingWei: nmr(1000), shares: 0n, valueWei: 0n, rounds: [] });

    await world.createRound(w, ROUND, 2n * DAY, 3n * DAY);
    const n = await w.view<bigint>('nonces', [w.pool], w.staking, world.numeraiIface);
    const auths = [
      await world.authorize(w, { roundId: ROUND, modelId: M1, maxAmount: nmr(1_000_000), nonce: n }),
      await world.authorize(w, { roundId: ROUND, modelId: M2, maxAmount: nmr(1_000_000), nonce: n + 1n }),
    ];
    await ok(w.send(relayer, w.pool, world.stakeRoundData([1, 2], auths)));
    // "Now" on a real network: read from the blocks since the last ask (here: since the empty pool's).
    expect(await service.latestStakedRound()).toBe(ROUND);

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

    const results = [
      { modelId: M1, payout: nmr(100), burn: 0n },
      { modelId: M2, payout: 0n, burn: nmr(30) },
    ];
    // Numerai's API may answer before the root is on chain: the check says there is nothing to check against yet.
    tree = buildRoundTree(results.map((r) => ({ ...r, roundId: ROUND, staker: w.pool })));
    expect((await verifyClaim(claimOf(M1, nmr(100), 0n), service.claimCheckReads())).verdict).toBe('root-not-posted');
    tree = await world.postRoot(w, ROUND, results);
    expect((await service.holderPosition(holder, 1)).rounds[0]!.state).toBe('resolved');
    const round = await service.numeraiRound(ROUND);
    expect(round.merkleRoot).toBe(tree.root);
    expect(round.totalPayout).toBe(nmr(100));

    // The leaf computed in main is the one Numerai's contract computes.
    const leaf = claimLeafHash({ roundId: ROUND, staker: w.pool, modelId: M1, payout: nmr(100), burn: 0n });
    expect(await w.view<string>('leafOf', [ROUND, w.pool, M1, nmr(100), 0n], w.staking, world.numeraiIface)).toBe(leaf);
    const check = service.claimCheckReads();
    expect(await verifyClaim(claimOf(M2, 0n, nmr(30)), check)).toMatchObject({ verdict: 'verified' });
    expect((await verifyClaim(claimOf(M2, 0n, nmr(30)), check)).words).toContain('The pool has not booked it yet.');

    expect(await reads.roundsToClaim(1)).toEqual([ROUND]);

    // Anyone relays Numerai's answers (here not the holder, not the operator).
    const relayed = await act(relayer, { kind: 'relay-claim', claim: claimOf(M1, nmr(100), 0n) });
    expect(relayed.lines).toContainEqual({ label: 'Back to the pool', value: '1100 NMR' });
    await act(relayer, { kind: 'relay-claim', claim: claimOf(M2, 0n, nmr(30)) });
    await expect(service.draft({ kind: 'relay-claim', claim: claimOf(M2, 0n, nmr(30)) }, relayer)).rejects.toThrow(
      'it was claimed already',
    );
    expect(await verifyClaim(claimOf(M1, nmr(100), 0n), check)).toEqual({
      verdict: 'verified',
      words: "Verified: Numerai's contract holds this result for round 700 (a payout of 100 NMR), and the pool booked exactly it.",
    });
    expect((await verifyClaim(claimOf(M2, 0n, nmr(30)), check)).words).toContain('a burn of 30 NMR), and the pool booked exactly it.');
    expect((await verifyClaim(claimOf(M2, 0n, nmr(29)), check)).verdict).toBe('proof-mismatch');
    expect(await reads.roundsToClaim(1)).toEqual([]);
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

    // The same figures in the wire form the renderer will get, exact to the wei.
    const wire = StakingPortfolio.parse(await service.portfolio(holder));
    expect(wire.positions.map((p) => [p.modelId, p.valueWei, p.rounds[0]!.state, p.rounds[0]!.result?.returnedWei])).toEqual([
      [1, p1!.valueWei.toString(), 'claimed', nmr(1100).toString()],
      [2, p2!.valueWei.toString(), 'claimed', nmr(270).toString()],
    ]);
    expect(wire.totalValueWei).toBe((p1!.valueWei + p2!.valueWei).toString());
  });

  it('reads a portfolio in a few round trips to the node, whatever the number of models and rounds', async () => {
    // A second round at stake for both models, so rounds are shared across models.
    await world.createRound(w, ROUND + 1n, 2n * DAY, 3n * DAY);
    const n = await w.view<bigint>('nonces', [w.pool], w.staking, world.numeraiIface);
    const auths = [
      await world.authorize(w, { roundId: ROUND + 1n, modelId: M1, maxAmount: nmr(1_000_000), nonce: n }),
      await world.authorize(w, { roundId: ROUND + 1n, modelId: M2, maxAmount: nmr(1_000_000), nonce: n + 1n }),
    ];
    await ok(w.send(relayer, w.pool, world.stakeRoundData([1, 2], auths)));
    const requests: number[] = [];
    const onDebug = (e: { action: string; payload?: unknown }) => {
      if (e.action === 'sendRpcPayload') requests.push(Array.isArray(e.payload) ? e.payload.length : 1);
    };
    await provider.on('debug', onDebug);
    const positions = await service.holderPositions(holder);
    await provider.off('debug', onDebug);
    expect(positions.map((p) => p.rounds.map((r) => [r.roundId, r.state]))).toEqual([
      [
        [ROUND + 1n, 'open'],
        [ROUND, 'claimed'],
      ],
      [
        [ROUND + 1n, 'open'],
        [ROUND, 'claimed'],
      ],
    ]);
    // Measured: 4 requests carrying 8 calls: the registrations since the last read (with the head);
    // both model views in one modelViews call; both positions with the two log queries; Numerai's
    // state of round 701, once for both models.
    expect(requests).toEqual([2, 1, 4, 1]);
    expect(await service.latestStakedRound()).toBe(ROUND + 1n);
    // Asked again at the same head: one block-number read, no logs.
    requests.length = 0;
    await provider.on('debug', onDebug);
    expect(await service.latestStakedRound()).toBe(ROUND + 1n);
    await provider.off('debug', onDebug);
    expect(requests).toEqual([1]);
  });

  it('reads the models once a block: asked again at the same head only the head and new registrations are read; a new block reads them again', async () => {
    const requests: number[] = [];
    const onDebug = (e: { action: string; payload?: unknown }) => {
      if (e.action === 'sendRpcPayload') requests.push(Array.isArray(e.payload) ? e.payload.length : 1);
    };
    const first = await service.models();
    await provider.on('debug', onDebug);
    expect(await service.models()).toEqual(first);
    await provider.off('debug', onDebug);
    // One request of two calls (the head and the registrations since): no model view.
    expect(requests).toEqual([2]);

    const before = first.find((m) => m.modelId === 2)!;
    await ok(w.pool$(other, 'delegate', [2, nmr(7)]));
    const after = (await service.models()).find((m) => m.modelId === 2)!;
    expect(after.pendingDepositWei - before.pendingDepositWei).toBe(nmr(7));
    const chain = await chainModel(2);
    expect([after.pendingDepositWei, after.navWei, after.idleWei]).toEqual([chain.pendingDepositWei, chain.navWei, chain.idleWei]);
    await act(other, { kind: 'cancel-deposit', modelId: 2 });
  });

  it('takes back part at the worth the plan showed and all of another, waits for round 701, and withdraws both', async () => {
    // Part of model 1: the fewest shares worth 250 NMR; the request asks exactly those.
    const part = await act(holder, { kind: 'take-back', modelId: 1, amountWei: nmr(250) });
    const c1 = await chainPosition(holder, 1);
    let p1 = await service.holderPosition(holder, 1);
    expect([p1.shares, p1.leavingShares, p1.leavingValueWei]).toEqual([c1.shares, c1.exitingShares, c1.exitingValueWei]);
    expect(p1.leavingValueWei).toBeGreaterThanOrEqual(nmr(250));
    expect(part.title).toBe(`Take back about ${formatNmr(p1.leavingValueWei)} NMR from alpha`);
    expect(part.lines).toContainEqual({
      label: 'Withdrawable',
      value: 'once round 701 has resolved and been claimed, at the next checkpoint',
    });

    // All of model 2: at risk until round 701 is claimed.
    await act(holder, { kind: 'take-back', modelId: 2, amountWei: 'all' });
    let p2 = await service.holderPosition(holder, 2);
    expect([p2.shares, p2.unlockRound, p2.leavingMatured]).toEqual([0n, ROUND + 1n, false]);
    expect(p2.leavingValueWei).toBe((await chainPosition(holder, 2)).exitingValueWei);
    await expect(service.draft({ kind: 'withdraw', modelId: 2 }, holder)).rejects.toThrow(
      'Nothing from beta is withdrawable yet. It is withdrawable once round 701 has resolved and been claimed.',
    );

    // Round 701 resolves (a payout for model 1, a burn for model 2) and the claims are relayed.
    w.warp(5n * DAY);
    tree = await world.postRoot(w, ROUND + 1n, [
      { modelId: M1, payout: nmr(10), burn: 0n },
      { modelId: M2, payout: 0n, burn: nmr(6) },
    ]);
    await act(relayer, { kind: 'relay-claim', claim: claimOf(M1, nmr(10), 0n, ROUND + 1n) });
    await act(relayer, { kind: 'relay-claim', claim: claimOf(M2, 0n, nmr(6), ROUND + 1n) });
    p1 = await service.holderPosition(holder, 1);
    p2 = await service.holderPosition(holder, 2);
    expect([p1.leavingMatured, p2.leavingMatured]).toEqual([true, true]);
    expect(p2.rounds[0]!.result).toMatchObject({ burnedWei: nmr(6), paidWei: 0n });

    // Withdraw: the plan runs the checkpoint first, and pays what the exit is worth now.
    for (const p of [p1, p2]) {
      const wallet = await nmrOf(holder);
      const d = await act(holder, { kind: 'withdraw', modelId: p.modelId });
      expect(d.steps.map((x) => x.kind)).toEqual(['checkpoint', 'withdraw']);
      const received = (await nmrOf(holder)) - wallet;
      expect(received).toBe(p.leavingValueWei);
      const after = await service.holderPosition(holder, p.modelId);
      expect([after.leavingShares, after.withdrawableWei, after.unlockRound]).toEqual([0n, 0n, null]);
      expect(after.withdrawnWei).toBe(received);
      expect(after.valueWei).toBe((await chainPosition(holder, p.modelId)).valueWei);
    }
    await expect(service.draft({ kind: 'withdraw', modelId: 2 }, holder)).rejects.toThrow('Nothing from beta is withdrawable yet.');
  });

  it('blocks what moves NMR while NMR’s owners have stopped the token', async () => {
    const nmrCall = (fn: string, args: unknown[]) => ok(w.send(w.admin, w.token, world.tokenIface.encodeFunctionData(fn, args)));
    await nmrCall('changeShareable', [[w.admin], 1]);
    await nmrCall('emergencyStop', []);
    const delegate: StakingIntent = { kind: 'delegate', allocations: [{ modelId: 1, amountWei: nmr(1) }] };
    expect((await service.draft(delegate, holder)).blocker).toBe(NMR_STOPPED);
    expect((await service.draft({ kind: 'take-back', modelId: 1, amountWei: 'all' }, holder)).blocker).toBeNull();
    await nmrCall('release', []);
    expect((await service.draft(delegate, holder)).blocker).toBeNull();
  });
});

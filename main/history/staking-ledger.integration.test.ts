/**
 * The StakingPool ledger against the pool's own views on anvil: several holders, three models,
 * overlapping Numerai rounds, a payout for one model and a burn for another in the same round, a
 * zero result, merged and unmerged exits, withdrawals, a fee claim. After every step the ledger built
 * from the logs alone equals `positionOf` and `model` to the wei for every holder and model, and the
 * contracts' test replay (contracts/test-support/staking-replay.ts) agrees with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnits, type Log } from 'ethers';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import * as world from '../../contracts/test-support/staking';
import type { RefPosition as PositionView } from '../../contracts/test-support/staking-reference';
import { parseEvents, replayStaking } from '../../contracts/test-support/staking-replay';
import type { RawLog } from './log-reader';
import { decodeStakingLog, type StakingEvent } from './staking-events';
import { stakingExportChunks } from './staking-export';
import { buildStakingLedger, holderRoundResults, STAKING_BOOK_FIGURES, type StakingBookFigure, type StakingLedger } from './staking-ledger';
import { rng } from './test-support/rng';

const { WAD, authorize, createRound, deployWorld, fund, numeraiIface, numeraiModelId, poolIface, postRoot, stakeRoundData } = world;
const nmr = (n: number | bigint) => BigInt(n) * WAD;
const DAY = 86_400n;
const NUMERAI_IDS = [numeraiModelId(1), numeraiModelId(2), numeraiModelId(3)];
const MODELS = [1, 2, 3];

type ModelView = Record<StakingBookFigure, bigint> & { feeBps: bigint; depositEpoch: bigint };

describe('StakingPool ledger on anvil', () => {
  let chain: Anvil;
  let w: world.World;
  let holders: string[];
  let op: string;
  let relayer: string;
  let snap: string;

  const ok = async (p: Promise<{ ok: boolean; error?: string }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  };
  const stake = async (round: bigint, ids: number[]) => {
    let n = await w.view<bigint>('nonces', [w.pool], w.staking, numeraiIface);
    const auths = [];
    for (const id of ids)
      auths.push(await authorize(w, { roundId: round, modelId: NUMERAI_IDS[id - 1]!, maxAmount: nmr(1_000_000), nonce: n++ }));
    await w.mustSend(relayer, w.pool, stakeRoundData(ids, auths));
  };
  const resolve = async (round: bigint, results: { id: number; payout: bigint; burn: bigint }[]) => {
    const tree = await postRoot(
      w,
      round,
      results.map((r) => ({ modelId: NUMERAI_IDS[r.id - 1]!, payout: r.payout, burn: r.burn })),
    );
    for (const r of results)
      await ok(w.pool$(relayer, 'claim', [round, r.id, r.payout, r.burn, tree.proofOf(w.pool, NUMERAI_IDS[r.id - 1]!)]));
  };
  const logs = async (): Promise<RawLog[]> =>
    w.rpc.call<RawLog[]>('eth_getLogs', [{ address: w.pool, fromBlock: '0x0', toBlock: 'latest' }]);
  const ledgerNow = async (): Promise<{ ledger: StakingLedger; raw: RawLog[]; events: StakingEvent[] }> => {
    const raw = await logs();
    const events = raw.map(decodeStakingLog).filter((e): e is StakingEvent => e !== null);
    return { ledger: buildStakingLedger(events), raw, events };
  };

  /** Ledger = views = replay, for every holder and model, to the wei. */
  const verify = async (): Promise<StakingLedger> => {
    const { ledger, raw } = await ledgerNow();
    const replay = replayStaking(parseEvents(poolIface, raw as unknown as Log[]));
    for (const h of holders) {
      for (const id of MODELS) {
        const v = await w.view<PositionView>('positionOf', [h, id]);
        const p = ledger.positions.get(`${h}:${id}`);
        const want = {
          shares: v.shares,
          pendingDepositWei: v.pendingDepositWei,
          exitingShares: v.exitingShares,
          unlockRound: Number(v.unlockRound),
          withdrawableWei: v.withdrawableWei,
          valueWei: v.valueWei + v.pendingDepositWei + v.exitingValueWei + v.withdrawableWei,
        };
        const got = p
          ? {
              shares: p.shares,
              pendingDepositWei: p.pendingDepositWei,
              exitingShares: p.exitingShares,
              unlockRound: p.unlockRound,
              withdrawableWei: p.withdrawableWei,
              valueWei: p.valueWei,
            }
          : { shares: 0n, pendingDepositWei: 0n, exitingShares: 0n, unlockRound: 0, withdrawableWei: 0n, valueWei: 0n };
        expect(got, `${h} model ${id}`).toEqual(want);
        // The rows of the position add up to its value.
        const rows = ledger.rows.filter((r) => r.holder === h && r.modelId === id);
        expect(rows.reduce((s, r) => s + r.valueChangeWei, 0n)).toBe(want.valueWei);
        const r = replay.positions.get(`${h}:${id}`);
        if (r) {
          expect({ ...r, unlockRound: Number(r.unlockRound) }).toEqual({
            shares: want.shares,
            pendingDepositWei: want.pendingDepositWei,
            exitingShares: want.exitingShares,
            unlockRound: want.unlockRound,
            withdrawableWei: want.withdrawableWei,
          });
        } else expect(p === undefined || want.valueWei === 0n).toBe(true);
      }
    }
    for (const id of MODELS) {
      const v = await w.view<ModelView>('model', [id]);
      const m = ledger.models.get(id)!;
      const pick = (x: Record<StakingBookFigure, bigint>) => STAKING_BOOK_FIGURES.map((k) => [k, x[k]]);
      expect(pick(m)).toEqual(pick(v));
      expect([m.feeBps, m.depositEpoch]).toEqual([Number(v.feeBps), Number(v.depositEpoch)]);
      const r = replay.models.get(id)!;
      expect([r.idleWei, r.atStakeWei, r.totalShares, r.feesOwedWei, [...r.tranches.entries()]]).toEqual([
        m.idleWei,
        m.atStakeWei,
        m.totalShares,
        m.feesOwedWei,
        [...m.tranches.entries()].map(([k, x]) => [BigInt(k), x]),
      ]);
    }
    return ledger;
  };

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 9 });
    w = await deployWorld(chain.url, { concurrentRounds: 4 });
    holders = w.accounts.slice(2, 6);
    [op, relayer] = w.accounts.slice(6, 8) as [string, string];
    await fund(w, holders, nmr(100_000), w.pool);
    await fund(w, [w.numerai], nmr(1_000_000), w.staking);
    await ok(w.pool$(w.admin, 'registerModel', [NUMERAI_IDS[0], 'alpha', op, 1000, nmr(1_000_000)]));
    await ok(w.pool$(w.admin, 'registerModel', [NUMERAI_IDS[1], 'beta', op, 0, nmr(1_000_000)]));
    await ok(w.pool$(w.admin, 'registerModel', [NUMERAI_IDS[2], 'gamma', op, 500, nmr(1_000_000)]));
    snap = await w.rpc.call<string>('evm_snapshot');
  });
  afterAll(async () => {
    w?.stop();
    await chain?.stop();
  });
  const fresh = async () => {
    snap = await world.freshFrom(w, snap);
  };

  it('equals the views to the wei through overlapping rounds, a payout and a burn in one round, exits and withdrawals', async () => {
    await fresh();
    const [a, b, c, d] = holders as [string, string, string, string];
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    await ok(
      w.pool$(b, 'delegateBatch', [
        [1, 2],
        [nmr(3000), nmr(500)],
      ]),
    );
    await ok(w.pool$(c, 'delegate', [2, nmr(800) + 7n]));
    await ok(w.pool$(d, 'delegate', [3, nmr(300)]));
    await ok(w.pool$(d, 'cancelDeposit', [3]));
    await ok(w.pool$(d, 'delegate', [3, nmr(400)]));
    await verify();

    await createRound(w, 100n, 2n * DAY, 5n * DAY);
    await stake(100n, [1, 2]);
    w.warp(DAY);
    await ok(w.pool$(b, 'delegate', [1, nmr(200) + 3n]));
    await createRound(w, 101n, 2n * DAY, 5n * DAY);
    await stake(101n, [1, 2, 3]);
    const a1 = (await w.view<PositionView>('positionOf', [a, 1])).shares;
    await ok(w.pool$(a, 'requestRedeem', [1, a1 / 2n]));
    const c2 = (await w.view<PositionView>('positionOf', [c, 2])).shares;
    await ok(w.pool$(c, 'requestRedeem', [2, c2 / 3n]));
    await verify();

    // Round 100: a payout for alpha, a burn for beta.
    w.warp(6n * DAY);
    await resolve(100n, [
      { id: 1, payout: nmr(200) + 11n, burn: 0n },
      { id: 2, payout: 0n, burn: nmr(50) + 5n },
    ]);
    await ok(w.pool$(relayer, 'checkpoint', [[1, 2, 3]]));
    await createRound(w, 102n, 2n * DAY, 5n * DAY);
    await stake(102n, [1, 2, 3]); // 101 is still at stake: three rounds overlap
    await ok(w.pool$(c, 'requestRedeem', [2, c2 / 3n])); // merged into a later batch
    await verify();

    // Round 101: a burn for alpha, a payout for beta, nothing either way for gamma.
    w.warp(DAY);
    await resolve(101n, [
      { id: 1, payout: 0n, burn: nmr(100) + 1n },
      { id: 2, payout: nmr(30) + 2n, burn: 0n },
      { id: 3, payout: 0n, burn: 0n },
    ]);
    await ok(w.pool$(relayer, 'checkpoint', [[1, 2, 3]])); // a's exit converts (unlock 101), c's waits for 102
    await ok(w.pool$(a, 'withdraw', [1]));
    await ok(w.pool$(b, 'delegate', [3, nmr(50)]));
    await verify();

    w.warp(7n * DAY);
    await resolve(102n, [
      { id: 1, payout: nmr(10), burn: 0n },
      { id: 2, payout: 0n, burn: nmr(20) },
      { id: 3, payout: nmr(5) + 9n, burn: 0n },
    ]);
    await ok(w.pool$(op, 'claimFees', [1]));
    await ok(w.pool$(relayer, 'checkpoint', [[1, 2, 3]])); // c's merged exit converts; c never withdraws (no ExitSettled)
    const b2 = (await w.view<PositionView>('positionOf', [b, 2])).shares;
    await ok(w.pool$(b, 'requestRedeem', [2, b2])); // nothing at stake: unlock round 0
    await ok(w.pool$(relayer, 'checkpoint', [[2]]));
    await ok(w.pool$(b, 'withdraw', [2]));
    const ledger = await verify();

    // Each holder's share of each settled round: a payout where the model gained, a burn where it lost.
    const results = holderRoundResults(ledger);
    const of = (h: string, id: number, round: number) => results.find((r) => r.holder === h && r.modelId === id && r.roundId === round)!;
    expect(of(b, 1, 100).payoutWei).toBeGreaterThan(0n);
    expect(of(b, 1, 100).feeWei).toBeGreaterThan(0n);
    expect(of(b, 2, 100).burnWei).toBeGreaterThan(0n);
    expect(of(c, 2, 100).burnWei).toBeGreaterThan(0n);
    expect(of(a, 1, 101).burnWei).toBeGreaterThan(0n); // a's exiting half carries the loss of 101
    expect(of(d, 3, 101)).toMatchObject({ payoutWei: 0n, burnWei: 0n, netWei: 0n, settled: true });
    expect(results.some((r) => r.holder === a && r.modelId === 1 && r.roundId === 102 && r.settled)).toBe(true); // the other half stayed
    // The holders' shares of a round add up to the model's result net of the fee, less the virtual
    // shares' part and the floors (well under a millionth of an NMR here).
    for (const round of ledger.rounds) {
      if (!round.settled) continue;
      const held = results.filter((r) => r.modelId === round.modelId && r.roundId === round.roundId).reduce((s, r) => s + r.netWei, 0n);
      const net = round.settled.resultWei - round.settled.feeWei;
      const gap = net - held;
      expect(gap >= 0n ? gap : -gap, `model ${round.modelId} round ${round.roundId}`).toBeLessThan(10n ** 12n);
    }
    // The Koinly file of each holder balances, row by row in exact decimals, to the position values
    // less the rounding of the rows it leaves out (conversions and requests move no NMR).
    const times = new Map<number, number>();
    for (const block of new Set(ledger.rows.map((r) => r.block))) {
      const head = await w.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', [`0x${block.toString(16)}`, false]);
      times.set(block, Number(BigInt(head.timestamp)) * 1000);
    }
    const labels = new Set<string>();
    for (const h of holders) {
      const text = [
        ...stakingExportChunks(ledger, { format: 'koinly', chainId: 31337, pool: w.pool, timeMs: (b) => times.get(b)!, accounts: [h] }),
      ].join('');
      const lines = text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(','));
      const wei = (x: string) => (x ? parseUnits(x, 18) : 0n);
      const balance = lines.reduce((s, l) => s + wei(l[3]!) - wei(l[1]!), 0n);
      const left = ledger.rows
        .filter((r) => r.holder === h && ['shares_issued', 'exit_requested', 'exit_settled', 'staked'].includes(r.type))
        .reduce((s, r) => s + r.valueChangeWei, 0n);
      const value = [...ledger.positions.values()].filter((p) => p.holder === h).reduce((s, p) => s + p.valueWei, 0n);
      expect(balance + left, h).toBe(value);
      for (const l of lines) labels.add(l[9]!);
    }
    expect([...labels].sort()).toEqual(['', 'cost', 'lost', 'reward']);
    expect(ledger.rounds.map((r) => [r.modelId, r.roundId, r.settled !== null])).toEqual([
      [1, 100, true],
      [2, 100, true],
      [1, 101, true],
      [2, 101, true],
      [3, 101, true],
      [1, 102, true],
      [2, 102, true],
      [3, 102, true],
    ]);
  });

  it('equals the views after every step of a random history', async () => {
    await fresh();
    const rand = rng(Number(process.env.STAKING_HISTORY_SEED ?? 7));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const amount = () => nmr(1 + Math.floor(rand() * 900)) + BigInt(Math.floor(rand() * 1e6));
    let round = 300n;
    const open: bigint[] = []; // staked rounds not resolved yet
    const staked = new Map<bigint, number[]>();
    const steps = Number(process.env.STAKING_HISTORY_STEPS ?? 40);
    for (let step = 0; step < steps; step++) {
      const h = pick(holders);
      const id = pick(MODELS);
      const p = await w.view<PositionView>('positionOf', [h, id]);
      const roll = rand();
      if (roll < 0.3) {
        await ok(w.pool$(h, 'delegate', [id, amount()]));
        // Deposits convert at every stake: some are taken back before that.
        if (rand() < 0.2) await ok(w.pool$(h, 'cancelDeposit', [id]));
      } else if (roll < 0.42 && p.pendingDepositWei > 0n) await ok(w.pool$(h, 'cancelDeposit', [id]));
      else if (roll < 0.5 && p.shares > 0n) await ok(w.pool$(h, 'requestRedeem', [id, p.shares / BigInt(1 + Math.floor(rand() * 3))]));
      else if (roll < 0.58 && p.withdrawableWei > 0n) await ok(w.pool$(h, 'withdraw', [id]));
      else if (roll < 0.75 && open.length < 3) {
        round += 1n;
        await createRound(w, round, DAY, DAY);
        // One model per stakeRound: a model the policy skips leaves its nonce unused for the next.
        const got: number[] = [];
        for (const m of MODELS) {
          const r = await w.send(relayer, w.pool, stakeRoundData([m], await authsFor(round, [m])));
          if (r.ok && r.receipt.logs.some((l) => poolIface.parseLog(l)?.name === 'TrancheStaked')) got.push(m);
        }
        if (got.length) {
          open.push(round);
          staked.set(round, got);
        }
      } else if (open.length) {
        const r = open.shift()!;
        w.warp(3n * DAY);
        const ids = staked.get(r)!;
        const results = [];
        for (const m of ids) {
          const [principal] = await w.view<[bigint, bigint]>('tranche', [m, r]);
          const swing = (principal * BigInt(Math.floor(rand() * 40))) / 100n + BigInt(Math.floor(rand() * 1000));
          results.push(
            pick([
              { id: m, payout: swing, burn: 0n },
              { id: m, payout: 0n, burn: swing < principal ? swing : principal },
              { id: m, payout: 0n, burn: 0n },
            ]),
          );
        }
        if (results.length) await resolve(r, results);
        await ok(w.pool$(relayer, 'checkpoint', [MODELS]));
      }
      await verify();
    }
    // The end: every exit requested converts and is withdrawn.
    for (const r of open) {
      w.warp(3n * DAY);
      await resolve(
        r,
        staked.get(r)!.map((id) => ({ id, payout: BigInt(id) * 10n ** 15n, burn: 0n })),
      );
    }
    await ok(w.pool$(relayer, 'checkpoint', [MODELS]));
    for (const h of holders)
      for (const id of MODELS)
        if ((await w.view<PositionView>('positionOf', [h, id])).withdrawableWei > 0n) await ok(w.pool$(h, 'withdraw', [id]));
    await verify();
    // The seed's history covered every kind of step (a different seed or length must too).
    const { ledger, events } = await ledgerNow();
    const kinds = new Set<string>(events.map((e) => e.kind));
    for (const k of ['DepositCancelled', 'DepositsConverted', 'RedeemRequested', 'ExitsConverted', 'Withdrawn', 'TrancheSettled'])
      expect(kinds, k).toContain(k);
    const types = new Set<string>(ledger.rows.map((r) => r.type));
    for (const t of ['payout', 'fee', 'burn', 'staked', 'exit_settled']) expect(types, t).toContain(t);
  });

  async function authsFor(round: bigint, ids: number[]) {
    let n = await w.view<bigint>('nonces', [w.pool], w.staking, numeraiIface);
    const out = [];
    for (const id of ids)
      out.push(await authorize(w, { roundId: round, modelId: NUMERAI_IDS[id - 1]!, maxAmount: nmr(1_000_000), nonce: n++ }));
    return out;
  }
});

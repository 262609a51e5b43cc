/**
 * Property test of StakingPool against Numerai's staking stand-in and the faithful NMR: ≥ 1,000 short
 * seeded random sequences from one warm snapshot (several overlapping Numerai rounds, positions staked,
 * roots posted and not yet claimed, exits waiting). Actions: delegations (single and batch), cancels,
 * exit requests, withdrawals, checkpoints, Numerai creating rounds, stakeRound batches, Numerai posting
 * real Merkle roots with random payouts and burns up to ±100% (and funding them), claims relayed late,
 * out of order, wrong, or never and then finalized by Numerai (or claimed at Numerai directly), time
 * passing, fee changes, fee claims, pauses. After every step:
 *   - the pool's NMR = idle + pending deposits + owed exits + unpaid fees, to the wei, and the staked
 *     principal is at Numerai: Numerai's positions equal the pool's tranches;
 *   - every view equals the independent reference model (support/staking-reference.ts), every call
 *     succeeds or fails alike, every actor's balance matches;
 *   - per model the holders' values never exceed its NAV;
 *   - no timing gains: no deposit or exit converted while a posted root of the model was unclaimed.
 * After every sequence the positions and books are rebuilt from the logs (support/staking-replay.ts).
 *
 * PROPERTY_SEQUENCES and PROPERTY_SEED override the defaults; a failure prints the seed and the steps.
 * Sequence s runs with seed (PROPERTY_SEED + s) >>> 0 from the same warm snapshot, so
 * PROPERTY_SEED=<a printed seed> PROPERTY_SEQUENCES=1 runs that one sequence again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Log } from 'ethers';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { buildRoundTree } from '../test-support/numerai';
import {
  WAD,
  authorize,
  deployWorld,
  fund,
  numeraiIface,
  numeraiModelId,
  poolIface,
  stakeRoundData,
  tokenIface,
  type World,
} from '../test-support/staking';
import { RefRevert, StakingRef, type RefState } from '../test-support/staking-reference';
import { parseEvents, replayStaking, type PoolEvent } from '../test-support/staking-replay';

const SEQUENCES = Number(process.env.PROPERTY_SEQUENCES ?? 1000);
const SEED = Number(process.env.PROPERTY_SEED ?? 0x57a6e2026);
const MODELS = 3;
const DAY = 86_400n;
const CONCURRENT = 3;
const FEE_NOTICE = 5n * DAY;
const NIDS = [1, 2, 3].map(numeraiModelId);

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

/** Numerai's rounds as the harness drives them. */
interface Round {
  open: bigint;
  close: bigint;
  posted: boolean;
  postedAt: bigint;
  /** proofs and results of the pool's positions, by Numerai model id */
  rows: Map<string, { payout: bigint; burn: bigint; proof: string[] }>;
}
interface Harness {
  now: bigint;
  nextRound: bigint;
  rounds: Map<bigint, Round>;
}

type Action =
  | { k: 'delegate'; h: string; id: number; amt: bigint }
  | { k: 'batch'; h: string; ids: number[]; amts: bigint[] }
  | { k: 'cancel'; h: string; id: number }
  | { k: 'request'; h: string; id: number; shares: bigint }
  | { k: 'withdraw'; h: string; id: number }
  | { k: 'checkpoint'; ids: number[] }
  | { k: 'newRound' }
  | { k: 'stake'; round: bigint; ids: number[]; max: bigint[] }
  | { k: 'post'; round: bigint; rets: number[] }
  | { k: 'claim'; round: bigint; id: number; wrong: boolean }
  | { k: 'finalize'; round: bigint; id: number; direct: boolean }
  | { k: 'warp'; secs: bigint }
  | { k: 'schedule'; op: string; id: number; fee: number }
  | { k: 'claimFees'; op: string; id: number }
  | { k: 'pause' }
  | { k: 'unpause' };

const show = (a: Action) => JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('StakingPool properties', () => {
  let chain: Anvil;
  let w: World;
  let holders: string[];
  let operators: [string, string];
  let relayer: string;
  let base: { ref: RefState; h: Harness };
  let snap: string;
  let warmEvents: PoolEvent[];
  let warmBlock: bigint;
  /** The chain's head as the harness knows it: every transaction it sends must be mined in the next block. */
  let head = 0n;
  const readHead = async () => {
    head = BigInt(await w.rpc.call<string>('eth_blockNumber'));
  };

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 9 });
    w = await deployWorld(chain.url, { concurrentRounds: CONCURRENT, feeNoticeSeconds: Number(FEE_NOTICE) });
    holders = w.accounts.slice(2, 5);
    operators = [w.accounts[5]!, w.accounts[6]!];
    relayer = w.accounts[7]!;
    await fund(w, holders, 1_000_000n * WAD, w.pool);
    await fund(w, [w.numerai], 100_000_000n * WAD, w.staking);
    const ref = StakingRef.create(CONCURRENT, Number(FEE_NOTICE), w.now);
    const setup: [number, string, number, bigint][] = [
      [0, operators[0], 0, (1n << 96n) - 1n],
      [1, operators[1], 1000, 20_000n * WAD],
      [2, operators[0], 2500, (1n << 96n) - 1n],
    ];
    for (const [i, op, fee, cap] of setup) {
      await w.mustSend(w.admin, w.pool, poolIface.encodeFunctionData('registerModel', [NIDS[i], `m${i + 1}`, op, fee, cap]));
      ref.registerModel(NIDS[i]!, op, fee, cap);
    }
    await loadBalances(ref);
    const h: Harness = { now: w.now, nextRound: 1000n, rounds: new Map() };
    await readHead();
    const warmup: Action[] = [
      { k: 'delegate', h: holders[0]!, id: 1, amt: 3000n * WAD },
      { k: 'batch', h: holders[1]!, ids: [1, 2, 3], amts: [900n * WAD, 4000n * WAD, 77n * WAD] },
      { k: 'delegate', h: holders[2]!, id: 3, amt: 5000n * WAD },
      { k: 'newRound' },
      { k: 'stake', round: 1000n, ids: [1, 2, 3], max: [10n ** 30n, 10n ** 30n, 10n ** 30n] },
      { k: 'warp', secs: DAY },
      { k: 'newRound' },
      { k: 'request', h: holders[1]!, id: 2, shares: 1000n * WAD * 1_000_000n },
      { k: 'delegate', h: holders[0]!, id: 2, amt: 250n * WAD },
      { k: 'stake', round: 1001n, ids: [1, 2, 3], max: [10n ** 30n, 10n ** 30n, 300n * WAD] },
      { k: 'warp', secs: 2n * DAY },
      { k: 'newRound' },
      { k: 'post', round: 1000n, rets: [0.12, -0.4, 1] },
      { k: 'claim', round: 1000n, id: 2, wrong: false },
      { k: 'claim', round: 1000n, id: 1, wrong: false },
      { k: 'claim', round: 1000n, id: 3, wrong: false },
      { k: 'request', h: holders[2]!, id: 3, shares: 2000n * WAD * 1_000_000n },
      { k: 'stake', round: 1002n, ids: [1, 2], max: [10n ** 30n, 10n ** 30n] },
      { k: 'warp', secs: DAY },
      { k: 'post', round: 1001n, rets: [-1, 0.3, -0.05] },
      { k: 'claim', round: 1001n, id: 1, wrong: false },
      { k: 'claim', round: 1001n, id: 2, wrong: false },
      { k: 'delegate', h: holders[2]!, id: 1, amt: 60n * WAD },
      { k: 'newRound' },
    ];
    for (const a of warmup) {
      const out = await step(ref, h, a);
      if (out.violation) throw new Error(`warm-up ${show(a)}: ${out.violation}`);
    }
    base = { ref: structuredClone(ref.s), h: structuredClone(h) };
    warmBlock = BigInt(await w.rpc.call<string>('eth_blockNumber'));
    warmEvents = parseEvents(poolIface, await logsBetween(0n, warmBlock));
    snap = await w.rpc.call<string>('evm_snapshot');
  }, 300_000);

  afterAll(async () => {
    w?.stop();
    await chain?.stop();
  });

  async function loadBalances(ref: StakingRef): Promise<void> {
    const actors = [...holders, ...operators, relayer];
    const res = await w.rpc.batch(
      actors.map((a): [string, unknown[]] => [
        'eth_call',
        [{ to: w.token, data: tokenIface.encodeFunctionData('balanceOf', [a]) }, 'latest'],
      ]),
    );
    actors.forEach((a, i) => ref.s.balances.set(a, BigInt(res[i]!.result as string)));
  }

  /** Runs one action on chain and in the reference, then checks every property. */
  const errorTally: Record<string, number> = {};
  async function step(ref: StakingRef, h: Harness, a: Action): Promise<{ reverted: boolean; violation?: string; foreign?: boolean }> {
    w.now = h.now;
    ref.s.now = h.now;
    const before = structuredClone(ref.s);
    const postedBefore = new Map([...h.rounds].map(([r, x]) => [r, x.posted]));
    let refError: string | undefined;
    let chain: { ok: true; logs: Log[] } | { ok: false; error: string };
    // The harness-only actions and their chain calls.
    const tx = await plan(ref, h, a);
    try {
      tx.apply();
    } catch (e) {
      if (!(e instanceof RefRevert)) throw e;
      refError = e.errorName;
      ref.s = before;
    }
    if (tx.to) {
      const r = await w.send(tx.from, tx.to, tx.data);
      // A block the harness did not expect holds a transaction it did not send in this sequence (one
      // sent earlier and mined late, across the snapshot revert): the state is no longer the reference's.
      const mined = r.ok ? r.receipt.blockNumber : r.blockNumber;
      if (mined !== undefined) {
        if (BigInt(mined) !== head + 1n)
          return { reverted: true, foreign: true, violation: `harness: ${a.k} mined in block ${BigInt(mined)}, expected ${head + 1n}` };
        head = BigInt(mined);
      }
      chain = r.ok ? { ok: true, logs: r.receipt.logs as unknown as Log[] } : r;
      h.now = w.now;
    } else {
      chain = { ok: true, logs: [] };
    }
    const chainError = chain.ok ? undefined : chain.error;
    if (chainError !== refError)
      return { reverted: true, violation: `outcome: chain ${chainError ?? 'ok'} vs reference ${refError ?? 'ok'}` };
    if (chain.ok) {
      tx.after?.();
      // No timing gains: a conversion only at a price including every posted root of the model.
      for (const log of chain.logs) {
        if (log.address.toLowerCase() !== w.pool) continue;
        const ev = poolIface.parseLog(log);
        if (ev?.name !== 'DepositsConverted' && ev?.name !== 'ExitsConverted') continue;
        const m = before.models[Number(ev.args.modelId) - 1]!;
        for (const r of m.tranches.keys()) {
          if (postedBefore.get(r))
            return {
              reverted: false,
              violation: `timing: ${ev.name} of model ${ev.args.modelId} while round ${r} was posted and unclaimed`,
            };
        }
      }
    }
    if (a.k === 'warp') return { reverted: false }; // no transaction: nothing on chain changed
    if (chainError !== undefined) {
      errorTally[`${a.k}:${chainError}`] = (errorTally[`${a.k}:${chainError}`] ?? 0) + 1;
      return { reverted: true }; // nothing changed on either side
    }
    const violation = await check(ref);
    return { reverted: false, violation };
  }

  interface Planned {
    from: string;
    to: string;
    data: string;
    apply: () => void;
    after?: () => void;
  }

  async function plan(ref: StakingRef, h: Harness, a: Action): Promise<Planned> {
    const pool = (from: string, fn: string, args: unknown[], apply: () => void): Planned => ({
      from,
      to: w.pool,
      data: poolIface.encodeFunctionData(fn, args),
      apply,
    });
    switch (a.k) {
      case 'delegate':
        return pool(a.h, 'delegate', [a.id, a.amt], () => ref.delegate(a.h, a.id, a.amt));
      case 'batch':
        return pool(a.h, 'delegateBatch', [a.ids, a.amts], () => ref.delegateBatch(a.h, a.ids, a.amts));
      case 'cancel':
        return pool(a.h, 'cancelDeposit', [a.id], () => void ref.cancelDeposit(a.h, a.id));
      case 'request':
        return pool(a.h, 'requestRedeem', [a.id, a.shares], () => void ref.requestRedeem(a.h, a.id, a.shares));
      case 'withdraw':
        return pool(a.h, 'withdraw', [a.id], () => void ref.withdraw(a.h, a.id));
      case 'checkpoint':
        return pool(relayer, 'checkpoint', [a.ids], () => ref.checkpoint(a.ids));
      case 'newRound': {
        const id = h.nextRound++;
        const open = h.now;
        const round: Round = { open, close: open + 2n * DAY, posted: false, postedAt: 0n, rows: new Map() };
        return {
          from: w.numerai,
          to: w.staking,
          data: numeraiIface.encodeFunctionData('createRound', [id, open, round.close, round.close + DAY]),
          apply: () => h.rounds.set(id, round),
        };
      }
      case 'stake': {
        const round = h.rounds.get(a.round);
        const roundOpen = !!round && h.now >= round.open && h.now < round.close;
        // Authorizations as Numerai's API would issue them: sequential nonces for the tranches the pool
        // will actually stake (a skipped model leaves its nonce unused).
        const probe = new StakingRef(structuredClone(ref.s));
        let amounts: bigint[] = [];
        try {
          amounts = probe.stakeRound(
            a.ids.map((id, i) => ({
              id,
              roundId: a.round,
              numeraiId: NIDS[id - 1] ?? '0x',
              maxAmount: a.max[i]!,
              roundOpen,
            })),
          );
        } catch {
          amounts = [];
        }
        if (process.env.STAKING_DEBUG) {
          const onChain = [];
          for (const id of a.ids) onChain.push(await w.view('stakeable', [id]).catch(() => 'x'));
          console.log(
            'stake probe',
            a.round,
            roundOpen,
            amounts,
            onChain,
            a.ids.map((id) => ref.s.models[id - 1] && ref.stakeable(id)),
          );
        }
        let nonce = ref.s.nonce;
        const auths = [];
        for (const [i, id] of a.ids.entries()) {
          const n = (amounts[i] ?? 1n) === 0n ? nonce : nonce++;
          auths.push(await authorize(w, { roundId: a.round, modelId: NIDS[id - 1] ?? NIDS[0]!, maxAmount: a.max[i]!, nonce: n }));
        }
        return {
          from: relayer,
          to: w.pool,
          data: stakeRoundData(a.ids, auths),
          apply: () =>
            void ref.stakeRound(
              a.ids.map((id, i) => ({
                id,
                roundId: a.round,
                numeraiId: NIDS[id - 1] ?? '0x',
                maxAmount: a.max[i]!,
                roundOpen,
              })),
            ),
        };
      }
      case 'post': {
        const round = h.rounds.get(a.round)!;
        const results = new Map<string, { payout: bigint; burn: bigint }>();
        const rows = [];
        for (const [i, nid] of NIDS.entries()) {
          const p = ref.s.numerai.get(`${a.round}:${nid}`);
          if (!p) continue;
          const ret = BigInt(Math.round(a.rets[i]! * 1e6));
          const settlement = (p.amount * ret) / 1_000_000n;
          const r = { payout: settlement > 0n ? settlement : 0n, burn: settlement < 0n ? -settlement : 0n };
          results.set(nid, r);
          rows.push({ roundId: a.round, staker: w.pool, modelId: nid, ...r });
        }
        // Another staker's position, so every tree has at least two rows.
        rows.push({ roundId: a.round, staker: relayer, modelId: numeraiModelId(99), payout: 0n, burn: 0n });
        const tree = buildRoundTree(rows);
        return {
          from: w.numerai,
          to: w.staking,
          data: numeraiIface.encodeFunctionData('postRoot', [a.round, tree.root, tree.totalPayout, tree.totalBurn]),
          apply: () => {
            if (h.now < round.close) throw new RefRevert('RoundNotClosed');
            if (round.posted) throw new RefRevert('RoundAlreadyResolved');
            ref.postRoot(a.round, results);
          },
          after: () => {
            round.posted = true;
            round.postedAt = h.now - 1n;
            for (const [nid, r] of results) round.rows.set(nid, { ...r, proof: tree.proofOf(w.pool, nid) });
          },
        };
      }
      case 'claim': {
        const nid = NIDS[a.id - 1]!;
        const row = h.rounds.get(a.round)?.rows.get(nid);
        const payout = (row?.payout ?? 0n) + (a.wrong ? 1n : 0n);
        const burn = row?.burn ?? 0n;
        return pool(relayer, 'claim', [a.round, a.id, payout, burn, row?.proof ?? []], () => ref.claim(a.round, a.id, payout, burn));
      }
      case 'finalize': {
        const nid = NIDS[a.id - 1]!;
        const round = h.rounds.get(a.round)!;
        const row = round.rows.get(nid)!;
        const args = [a.round, w.pool, nid, row.payout, row.burn, row.proof];
        return {
          from: a.direct ? relayer : w.numerai,
          to: w.staking,
          data: numeraiIface.encodeFunctionData(a.direct ? 'claim' : 'finalize', args),
          apply: () => {
            if (!a.direct && h.now < round.postedAt + 7n * DAY) throw new RefRevert('FinalizationTooEarly');
            if (ref.s.numerai.get(`${a.round}:${nid}`)!.settled) throw new RefRevert('AlreadySettled');
            ref.settleAtNumerai(a.round, nid);
          },
        };
      }
      case 'warp':
        return { from: '', to: '', data: '', apply: () => void (h.now += a.secs) };
      case 'schedule':
        return pool(a.op, 'scheduleFeeChange', [a.id, a.fee], () => ref.scheduleFeeChange(a.op, a.id, a.fee));
      case 'claimFees':
        return pool(a.op, 'claimFees', [a.id], () => void ref.claimFees(a.op, a.id));
      case 'pause':
        return pool(w.admin, 'pause', [], () => ref.pause());
      case 'unpause':
        return pool(w.admin, 'unpause', [], () => ref.unpause());
    }
  }

  async function check(ref: StakingRef): Promise<string | undefined> {
    const ids = [1, 2, 3];
    const ethCall = (to: string, data: string): [string, unknown[]] => ['eth_call', [{ to, data }, 'latest']];
    const actors = [...holders, ...operators, relayer];
    // Positions the pool still books as tranches (settled-and-booked ones can no longer change).
    const known = [...ref.s.numerai.keys()]
      .filter((k) => {
        const [r, nid] = k.split(':');
        return ref.s.models[NIDS.indexOf(nid!)]!.tranches.has(BigInt(r!));
      })
      .map((k) => {
        const [r, nid] = k.split(':');
        return { round: BigInt(r!), nid: nid!, id: NIDS.indexOf(nid!) + 1 };
      });
    const calls: [string, unknown[]][] = [
      ['eth_getBlockByNumber', ['latest', false]],
      ethCall(w.token, tokenIface.encodeFunctionData('balanceOf', [w.pool])),
      ...actors.map((a) => ethCall(w.token, tokenIface.encodeFunctionData('balanceOf', [a]))),
      ethCall(w.pool, poolIface.encodeFunctionData('totals', [])),
      ethCall(w.pool, poolIface.encodeFunctionData('activeRounds', [])),
      ...ids.map((id) => ethCall(w.pool, poolIface.encodeFunctionData('model', [id]))),
      ...holders.flatMap((hh) => ids.map((id) => ethCall(w.pool, poolIface.encodeFunctionData('positionOf', [hh, id])))),
      ...known.flatMap((k) => [
        ethCall(w.staking, numeraiIface.encodeFunctionData('positions', [k.round, w.pool, k.nid])),
        ethCall(w.pool, poolIface.encodeFunctionData('tranche', [k.id, k.round])),
      ]),
    ];
    const res = await w.rpc.batch(calls);
    const err = res.find((r) => r.error);
    if (err) return `rpc error ${err.error!.message}`;
    let i = 0;
    const next = () => res[i++]!.result as string;
    ref.s.now = BigInt((res[i++]!.result as { timestamp: string }).timestamp); // views read the latest block's time
    const poolBalance = BigInt(next());
    const balances = actors.map(() => BigInt(next()));
    const totals = poolIface.decodeFunctionResult('totals', next()) as unknown as bigint[];
    const active = (poolIface.decodeFunctionResult('activeRounds', next())[0] as bigint[]).map(BigInt).sort((x, y) => (x < y ? -1 : 1));
    const models = ids.map(() => poolIface.decodeFunctionResult('model', next())[0] as Record<string, bigint | string>);
    const positions = holders.map(() => ids.map(() => poolIface.decodeFunctionResult('positionOf', next())[0] as Record<string, bigint>));

    // 1. The books, to the wei; the principal at stake is at Numerai, position for tranche.
    const [idle, atStake, pending, owed, fees] = totals as [bigint, bigint, bigint, bigint, bigint];
    if (poolBalance !== ref.s.poolBalance) return `pool balance ${poolBalance} != reference ${ref.s.poolBalance}`;
    const rt = ref.totals();
    const want = [rt.idleWei, rt.atStakeWei, rt.pendingDepositWei, rt.owedExitWei, rt.feesOwedWei];
    for (const [k, v] of totals.entries()) if (BigInt(v) !== want[k]) return `totals[${k}] ${v} != reference ${want[k]}`;
    let principals = 0n;
    let unbooked = 0n; // settled at Numerai (finalized or claimed there), not relayed through the pool yet
    for (const k of known) {
      const pos = numeraiIface.decodeFunctionResult('positions', next())[0] as { amount: bigint; settled: boolean };
      const [principal] = poolIface.decodeFunctionResult('tranche', next()) as unknown as [bigint];
      const r = ref.s.numerai.get(`${k.round}:${k.nid}`)!;
      if (pos.amount !== r.amount || pos.settled !== r.settled)
        return `numerai position ${k.round}/${k.id}: ${pos.amount}/${pos.settled} != reference ${r.amount}/${r.settled}`;
      const tranche = ref.s.models[k.id - 1]!.tranches.get(k.round)?.principalWei ?? 0n;
      if (principal !== tranche) return `tranche ${k.round}/${k.id}: ${principal} != reference ${tranche}`;
      if (principal !== 0n && principal !== pos.amount)
        return `tranche ${k.round}/${k.id}: pool ${principal} but Numerai holds ${pos.amount}`;
      principals += principal;
      if (principal !== 0n && pos.settled) unbooked += r.amount + r.result!.payout - r.result!.burn;
    }
    if (principals !== atStake) return `at stake ${atStake} != the tranches' principal ${principals}`;
    if (poolBalance !== idle + pending + owed + fees + unbooked)
      return `accounting: balance ${poolBalance} != books ${idle + pending + owed + fees} + unbooked ${unbooked}`;
    const refActive = ref.activeRounds();
    if (active.join() !== refActive.join()) return `active rounds ${active.join()} != reference ${refActive.join()}`;

    // 2. Actors' balances.
    for (const [k, a] of actors.entries()) {
      const want = ref.s.balances.get(a) ?? 0n;
      if (balances[k] !== want) return `balance of ${a}: ${balances[k]} != reference ${want}`;
    }

    // 3. Views equal the reference; holders never own more than the model.
    for (const [k, m] of models.entries()) {
      const r = ref.modelView(k + 1) as unknown as Record<string, bigint | string | number>;
      for (const f of Object.keys(r)) {
        const got = typeof m[f] === 'string' ? m[f].toLowerCase() : BigInt(m[f] as bigint);
        const exp = typeof r[f] === 'string' ? r[f].toLowerCase() : BigInt(r[f] as bigint);
        if (got !== exp) return `model ${k + 1}.${f}: ${String(got)} != reference ${String(exp)}`;
      }
      const value = positions.reduce((acc, ps) => acc + ps[k]!.valueWei! + ps[k]!.exitingValueWei!, 0n);
      if (value > (m.navWei as bigint)) return `model ${k + 1}: holders' value ${value} > NAV ${m.navWei}`;
    }
    for (const [hIdx, hh] of holders.entries()) {
      for (const [k, ps] of positions[hIdx]!.entries()) {
        const r = ref.position(hh, k + 1) as unknown as Record<string, bigint>;
        for (const f of Object.keys(r)) {
          if (BigInt(ps[f]!) !== r[f]) return `position ${hh.slice(0, 8)}/${k + 1}.${f}: ${ps[f]} != reference ${r[f]}`;
        }
      }
    }
    return undefined;
  }

  async function logsBetween(from: bigint, to: bigint | 'latest'): Promise<Log[]> {
    const hex = (n: bigint) => '0x' + n.toString(16);
    const raw = await w.rpc.call<Record<string, string | string[]>[]>('eth_getLogs', [
      { address: w.pool, fromBlock: hex(from), toBlock: to === 'latest' ? to : hex(to) },
    ]);
    return raw.map((l) => ({ address: l.address, topics: l.topics, data: l.data }) as unknown as Log);
  }

  /** Rebuilds positions and books from the logs alone (the warm-up's parsed once) and compares with the views. */
  async function checkReplay(): Promise<string | undefined> {
    const latest = BigInt(await w.rpc.call<string>('eth_blockNumber'));
    const fresh = latest > warmBlock ? parseEvents(poolIface, await logsBetween(warmBlock + 1n, latest)) : [];
    const r = replayStaking([...warmEvents, ...fresh]);
    const ids = [1, 2, 3];
    const res = await w.rpc.batch([
      ...ids.map((id): [string, unknown[]] => ['eth_call', [{ to: w.pool, data: poolIface.encodeFunctionData('model', [id]) }, 'latest']]),
      ...holders.flatMap((hh) =>
        ids.map((id): [string, unknown[]] => [
          'eth_call',
          [{ to: w.pool, data: poolIface.encodeFunctionData('positionOf', [hh, id]) }, 'latest'],
        ]),
      ),
    ]);
    for (const [k, id] of ids.entries()) {
      const m = poolIface.decodeFunctionResult('model', res[k]!.result as string)[0] as Record<string, bigint>;
      const rm = r.models.get(id)!;
      for (const f of ['idleWei', 'atStakeWei', 'totalShares', 'feesOwedWei'] as const) {
        if (rm[f] !== m[f]) return `replay model ${id}.${f}: ${rm[f]} != view ${m[f]}`;
      }
    }
    let i = ids.length;
    for (const hh of holders) {
      for (const id of ids) {
        const v = poolIface.decodeFunctionResult('positionOf', res[i++]!.result as string)[0] as Record<string, bigint>;
        const p = r.positions.get(`${hh}:${id}`) ?? {
          shares: 0n,
          pendingDepositWei: 0n,
          exitingShares: 0n,
          unlockRound: 0n,
          withdrawableWei: 0n,
        };
        for (const f of ['shares', 'pendingDepositWei', 'exitingShares', 'unlockRound', 'withdrawableWei'] as const) {
          if (p[f] !== v[f]) return `replay ${hh.slice(0, 8)}/${id}.${f}: ${p[f]} != view ${v[f]}`;
        }
      }
    }
    return undefined;
  }

  function randomAmount(rng: Rng): bigint {
    if (rng.chance(0.02)) return 0n;
    if (rng.chance(0.05)) return BigInt(1 + rng.int(1_000_000));
    const nmrFloat = 10 ** (-2 + rng.next() * 6); // 0.01 … 10,000 NMR, log-uniform
    return (BigInt(Math.floor(nmrFloat * 1e6)) * 10n ** 12n) | BigInt(rng.int(1000));
  }

  function randomAction(rng: Rng, ref: StakingRef, h: Harness): Action {
    const r = rng.next() * 100;
    const hh = rng.pick(holders);
    const id = rng.chance(0.01) ? 4 : 1 + rng.int(MODELS);
    const rounds = [...h.rounds.entries()];
    const open = rounds.filter(([, x]) => h.now >= x.open && h.now < x.close).map(([k]) => k);
    const closed = rounds.filter(([, x]) => h.now >= x.close && !x.posted).map(([k]) => k);
    const unclaimed = [] as { round: bigint; id: number }[];
    for (const [k, p] of ref.s.numerai) {
      const [rs, nid] = k.split(':');
      const mid = NIDS.indexOf(nid!) + 1;
      if (p.result && ref.s.models[mid - 1]!.tranches.has(BigInt(rs!))) unclaimed.push({ round: BigInt(rs!), id: mid });
    }
    if (r < 12) return { k: 'delegate', h: hh, id, amt: randomAmount(rng) };
    if (r < 16) {
      const ids = [1, 2, 3].filter(() => rng.chance(0.6));
      if (!ids.length) ids.push(1);
      return { k: 'batch', h: hh, ids, amts: ids.map(() => randomAmount(rng)) };
    }
    if (r < 18) return { k: 'cancel', h: hh, id };
    if (r < 28) {
      const settled = ref.s.holdings.get(`${hh}:${id}`)?.shares ?? 0n;
      let shares =
        settled === 0n || rng.chance(0.03) ? settled + 1n : rng.chance(0.3) ? settled : (settled * BigInt(1 + rng.int(1000))) / 1000n;
      if (shares === 0n) shares = 1n;
      return { k: 'request', h: hh, id, shares };
    }
    if (r < 33) {
      const ready = [...ref.s.holdings.entries()].filter(([, x]) => x.withdrawableWei > 0n);
      if (ready.length && rng.chance(0.8)) {
        const [k] = rng.pick(ready);
        return { k: 'withdraw', h: k.split(':')[0]!, id: Number(k.split(':')[1]) };
      }
      return { k: 'withdraw', h: hh, id };
    }
    if (r < 39) return { k: 'checkpoint', ids: [1, 2, 3].filter(() => rng.chance(0.7)) };
    if (r < 44) return { k: 'newRound' };
    if (r < 56) {
      const last = ref.s.models.reduce((m, x) => (x.lastStakedRound > m ? x.lastStakedRound : m), 0n);
      const fresh = open.filter((x) => x > last);
      const round =
        fresh.length && rng.chance(0.9)
          ? rng.pick(fresh)
          : open.length && rng.chance(0.7)
            ? rng.pick(open)
            : rounds.length
              ? rng.pick(rounds)[0]
              : 999n;
      const blocked = (mid: number) => [...ref.s.models[mid - 1]!.tranches.keys()].some((x) => h.rounds.get(x)?.posted);
      const ids = [1, 2, 3].filter((mid) => rng.chance(0.75) && (!blocked(mid) || rng.chance(0.2)));
      if (!ids.length) ids.push(1 + rng.int(MODELS));
      const max = ids.map(() => (rng.chance(0.2) ? randomAmount(rng) : 10n ** 30n));
      return { k: 'stake', round, ids, max };
    }
    if (r < 66 && closed.length) {
      const ret = () => (rng.chance(0.1) ? rng.pick([-1, 1, 0]) : (rng.next() * 2 - 1) * (rng.chance(0.5) ? 1 : 0.1));
      return { k: 'post', round: rng.pick(closed), rets: [ret(), ret(), ret()] };
    }
    if (r < 76 && unclaimed.length) {
      const u = rng.pick(unclaimed);
      return { k: 'claim', round: u.round, id: u.id, wrong: rng.chance(0.05) };
    }
    if (r < 78) return { k: 'claim', round: rounds.length ? rng.pick(rounds)[0] : 1000n, id, wrong: false };
    if (r < 82 && unclaimed.length) {
      const u = rng.pick(unclaimed);
      if (ref.s.numerai.get(`${u.round}:${NIDS[u.id - 1]}`)?.settled === false)
        return { k: 'finalize', round: u.round, id: u.id, direct: rng.chance(0.3) };
    }
    if (r < 90) return { k: 'warp', secs: BigInt(rng.pick([3600, 86_400, 2 * 86_400, 3 * 86_400, 5 * 86_400])) };
    if (r < 93) return { k: 'schedule', op: rng.pick(operators), id, fee: rng.chance(0.05) ? 5001 : rng.int(5001) };
    if (r < 96) return { k: 'claimFees', op: rng.pick(operators), id };
    return ref.s.paused ? (rng.chance(0.85) ? { k: 'unpause' } : { k: 'pause' }) : rng.chance(0.8) ? { k: 'pause' } : { k: 'unpause' };
  }

  it(`holds the books and matches the reference over ${SEQUENCES} random sequences`, async () => {
    const started = Date.now();
    let violations = 0;
    let steps = 0;
    let reverts = 0;
    let leaked = 0;
    const reports: string[] = [];
    const coverage: Record<string, { ok: number; reverted: number }> = {};
    let retried = 0;
    /** One sequence from the warm snapshot; `foreign`: the chain held a transaction the harness did not send. */
    const runSequence = async (seed: number) => {
      const rng = prng(seed);
      const ref = new StakingRef(structuredClone(base.ref));
      const h = structuredClone(base.h);
      // A transaction still in anvil's pool (a send that timed out under load) would be mined into the
      // next sequence: drop it, and count it, so no state leaks from one sequence into the next.
      const pool = await w.rpc.call<{ pending: string; queued: string }>('txpool_status');
      if (BigInt(pool.pending) + BigInt(pool.queued) !== 0n) leaked++;
      await w.rpc.call('anvil_dropAllTransactions');
      if (!(await w.rpc.call<boolean>('evm_revert', [snap]))) throw new Error(`evm_revert(${snap}) did not revert`);
      snap = await w.rpc.call<string>('evm_snapshot');
      await readHead();
      // A block mined between the drop and the revert's answer (a late transaction) shows here.
      if (head !== warmBlock)
        return {
          failed: `harness: after the revert the head is ${head}, not the warm block ${warmBlock}`,
          foreign: true,
          done: [] as Action[],
        };
      const length = 2 + rng.int(4);
      const done: Action[] = [];
      let failed: string | undefined;
      let foreign = false;
      for (let k = 0; k < length && !failed; k++) {
        const a = randomAction(rng, ref, h);
        done.push(a);
        const out = await step(ref, h, a);
        steps++;
        if (out.reverted) reverts++;
        const tally = (coverage[a.k] ??= { ok: 0, reverted: 0 });
        if (out.reverted) tally.reverted++;
        else tally.ok++;
        failed = out.violation;
        foreign = !!out.foreign;
      }
      if (!failed) failed = await checkReplay();
      return { failed, foreign, done };
    };
    for (let s = 0; s < SEQUENCES; s++) {
      const seed = (SEED + s) >>> 0;
      let run = await runSequence(seed);
      // A late transaction is the harness's fault, not the pool's: run the sequence again, once.
      if (run.foreign) {
        retried++;
        run = await runSequence(seed);
      }
      if (run.failed) {
        violations++;
        if (reports.length < 5)
          reports.push(`sequence ${s} (seed ${seed}): ${run.failed}\n  steps: ${run.done.map(show).join('\n         ')}`);
      }
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`${SEQUENCES} random sequences, ${violations} violations\n`);
    console.log(
      `(${steps} steps, ${reverts} expected reverts, ${leaked} pending transactions dropped, ${retried} sequences re-run after a late transaction, seed ${SEED}, ${secs} s)`,
    );
    console.log(
      `(ok/reverted per action: ${Object.entries(coverage)
        .map(([k, v]) => `${k} ${v.ok}/${v.reverted}`)
        .join(', ')})`,
    );
    console.log(
      `(reverts: ${Object.entries(errorTally)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    for (const r of reports) console.log(r);
    expect(reports).toEqual([]);
    expect(violations).toBe(0);
  });
});

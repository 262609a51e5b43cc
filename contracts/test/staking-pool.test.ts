/**
 * StakingPool against the faithful NMR and Numerai's staking stand-in on a real local EVM: the happy
 * paths of the README's timeline, fee changes with notice, finalized positions, the fairness rule, pause,
 * the admin delay, and every custom error the pool raises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFactory, Wallet } from 'ethers';
import { stakingPoolAbi, stakingPoolBytecode } from '../generated/index';
import { startAnvil, type Anvil } from '../test-support/anvil';
import {
  WAD,
  authorize,
  createRound,
  deployWorld,
  errorName,
  fund,
  numeraiIface,
  numeraiModelId,
  poolIface,
  postRoot,
  stakeRoundData,
  tokenIface,
  type World,
} from '../test-support/staking';

const nmr = (n: number | bigint) => BigInt(n) * WAD;
const DAY = 86_400n;
const M1 = numeraiModelId(1);
const M2 = numeraiModelId(2);

interface PositionView {
  shares: bigint;
  valueWei: bigint;
  pendingDepositWei: bigint;
  exitingShares: bigint;
  exitingValueWei: bigint;
  unlockRound: bigint;
  withdrawableWei: bigint;
}
interface ModelView {
  navWei: bigint;
  idleWei: bigint;
  atStakeWei: bigint;
  totalShares: bigint;
  exitingShares: bigint;
  pendingDepositWei: bigint;
  feesOwedWei: bigint;
  feeBps: bigint;
  nextFeeBps: bigint;
  nextFeeAt: bigint;
  headRound: bigint;
}

describe('StakingPool', () => {
  let chain: Anvil;
  let w: World;
  let a: string, b: string, c: string, op: string, stranger: string;
  let snap: string;

  const ok = async (p: Promise<{ ok: boolean; error?: string }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  };
  const fails = async (p: Promise<{ ok: boolean; error?: string }>, name: string) => {
    const r = await p;
    expect(r.ok ? 'success' : r.error).toBe(name);
  };
  const balance = async (who: string) => w.view<bigint>('balanceOf', [who], w.token, tokenIface);
  const position = (h: string, id: number) => w.view<PositionView>('positionOf', [h, id]);
  const model = (id: number) => w.view<ModelView>('model', [id]);
  const nonce = () => w.view<bigint>('nonces', [w.pool], w.staking, numeraiIface);
  const stake = async (from: string, items: { id: number; round: bigint; model: string; max?: bigint }[]) => {
    let n = await nonce();
    const auths = [];
    for (const it of items)
      auths.push(await authorize(w, { roundId: it.round, modelId: it.model, maxAmount: it.max ?? nmr(1_000_000), nonce: n++ }));
    return w.send(
      from,
      w.pool,
      stakeRoundData(
        items.map((x) => x.id),
        auths,
      ),
    );
  };
  const claim = (from: string, round: bigint, id: number, payout: bigint, burn: bigint, proof: string[]) =>
    w.pool$(from, 'claim', [round, id, payout, burn, proof]);

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 8 });
    w = await deployWorld(chain.url, { concurrentRounds: 4, feeNoticeSeconds: Number(30n * DAY) });
    [a, b, c, op, stranger] = w.accounts.slice(2, 7) as [string, string, string, string, string];
    await fund(w, [a, b, c], nmr(10_000), w.pool);
    await fund(w, [w.numerai], nmr(1_000_000), w.staking);
    await ok(w.pool$(w.admin, 'registerModel', [M1, 'alpha', op, 1000, nmr(1_000_000)]));
    await ok(w.pool$(w.admin, 'registerModel', [M2, 'beta', op, 0, nmr(5000)]));
    snap = await w.rpc.call<string>('evm_snapshot');
  });
  afterAll(async () => {
    w?.stop();
    await chain?.stop();
  });
  const fresh = async () => {
    await w.rpc.call('evm_revert', [snap]);
    snap = await w.rpc.call<string>('evm_snapshot');
    const latest = await w.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
    w.now = BigInt(latest.timestamp) + 1n;
  };

  it('stakes, settles gains and losses, charges the fee on gains only, and pays exits (the README timeline)', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    await ok(
      w.pool$(b, 'delegateBatch', [
        [1, 2],
        [nmr(3000), nmr(200)],
      ]),
    );
    await ok(w.pool$(c, 'delegate', [1, nmr(500)]));
    expect((await position(c, 1)).pendingDepositWei).toBe(nmr(500));
    await ok(w.pool$(c, 'cancelDeposit', [1]));
    expect(await balance(c)).toBe(nmr(10_000));

    // Round 100: the checkpoint inside stakeRound converts the deposits, then a quarter of NAV is staked.
    await createRound(w, 100n, 2n * DAY, 10n * DAY);
    await ok(stake(c, [{ id: 1, round: 100n, model: M1 }]));
    const pa = await position(a, 1);
    expect(pa.shares).toBe(nmr(1000) * 1_000_000n);
    expect(pa.valueWei).toBe(nmr(1000));
    let m = await model(1);
    expect(m.atStakeWei).toBe(nmr(1000));
    expect(m.idleWei).toBe(nmr(3000));
    const pos = (await w.view<[bigint, string, boolean]>('positions', [100n, w.pool, M1], w.staking, numeraiIface)) as unknown as {
      amount: bigint;
    };
    expect(pos.amount).toBe(nmr(1000));

    // Round 101 one day later: again NAV ÷ 4.
    w.warp(DAY);
    await createRound(w, 101n, 2n * DAY, 10n * DAY);
    await ok(stake(c, [{ id: 1, round: 101n, model: M1 }]));
    m = await model(1);
    expect(m.atStakeWei).toBe(nmr(2000));

    // A asks to leave half: at risk until rounds 100 and 101 have settled.
    await ok(w.pool$(a, 'requestRedeem', [1, pa.shares / 2n]));
    expect((await position(a, 1)).unlockRound).toBe(101n);

    // Round 100 resolves +20%: its root is public, so no conversion may happen before it is claimed.
    w.warp(3n * DAY);
    const t100 = await postRoot(w, 100n, [{ modelId: M1, payout: nmr(200), burn: 0n }]);
    await fails(w.pool$(stranger, 'checkpoint', [[1]]), 'ClaimRoundFirst');
    await ok(w.pool$(b, 'delegate', [1, nmr(100)]));
    await ok(claim(stranger, 100n, 1, nmr(200), 0n, t100.proofOf(w.pool, M1)));
    m = await model(1);
    expect(m.feesOwedWei).toBe(nmr(20)); // 10% of the gain, nothing of the principal
    expect(m.navWei).toBe(nmr(4180));
    // A's exit is still waiting for round 101.
    await ok(w.pool$(stranger, 'checkpoint', [[1]]));
    expect((await position(a, 1)).exitingShares).toBe(pa.shares / 2n);
    // B's new deposit converted at the price after the gain.
    const pb = await position(b, 1);
    expect(pb.pendingDepositWei).toBe(0n);

    // Round 101 resolves −50%: burned at Numerai, no fee.
    w.warp(2n * DAY);
    const t101 = await postRoot(w, 101n, [{ modelId: M1, payout: 0n, burn: nmr(500) }]);
    const supplyBefore = await w.view<bigint>('totalSupply', [], w.token, tokenIface);
    await ok(claim(stranger, 101n, 1, 0n, nmr(500), t101.proofOf(w.pool, M1)));
    expect(supplyBefore - (await w.view<bigint>('totalSupply', [], w.token, tokenIface))).toBe(nmr(500));
    m = await model(1);
    expect(m.feesOwedWei).toBe(nmr(20));
    expect(m.navWei).toBe(nmr(4180) + nmr(100) - nmr(500));
    expect(m.atStakeWei).toBe(0n);

    // Now the exit converts at the next checkpoint and is paid.
    const exitValue = (await position(a, 1)).exitingValueWei;
    await ok(w.pool$(stranger, 'checkpoint', [[1]]));
    const after = await position(a, 1);
    expect(after.exitingShares).toBe(0n);
    expect(after.withdrawableWei).toBe(exitValue);
    const before = await balance(a);
    await ok(w.pool$(a, 'withdraw', [1]));
    expect((await balance(a)) - before).toBe(exitValue);
    await fails(w.pool$(a, 'withdraw', [1]), 'NothingToWithdraw');

    // The operator takes its fee.
    await fails(w.pool$(stranger, 'claimFees', [1]), 'NotOperator');
    await ok(w.pool$(op, 'claimFees', [1]));
    expect(await balance(op)).toBe(nmr(20));
    await fails(w.pool$(op, 'claimFees', [1]), 'NothingToClaim');

    // The books: the pool's NMR is idle + pending + owed exits + fees; the rest is at Numerai.
    const [idle, atStake, pending, owed, fees] = await w.view<bigint[]>('totals');
    expect(await balance(w.pool)).toBe(idle! + pending! + owed! + fees!);
    expect(atStake).toBe(0n);
  });

  it('lists the models’ views in id ranges, each as model(id) answers it, cut short at the last model', async () => {
    await fresh();
    const plain = (v: unknown) =>
      JSON.stringify((v as { toObject(deep: boolean): unknown }).toObject(true), (_, x: unknown) =>
        typeof x === 'bigint' ? x.toString() : x,
      );
    const range = async (first: number, count: number) => (await w.view<unknown[]>('modelViews', [first, count])).map(plain);
    const one = [plain(await model(1))];
    const both = [...one, plain(await model(2))];
    expect(await range(1, 2)).toEqual(both);
    expect(await range(0, 3)).toEqual(both); // id 0 is no model: the range starts at 1
    expect(await range(1, 1)).toEqual(one);
    expect(await range(2, 100)).toEqual([both[1]]);
    expect(await range(3, 10)).toEqual([]);
    expect(await range(1, 0)).toEqual([]);
    expect(await range(2 ** 32 - 1, 2 ** 32 - 1)).toEqual([]); // no overflow at the top of uint32
  });

  it('keeps tranches in a ring of 64 slots per model: reuses a settled slot, refuses a round 64 after an unsettled one', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    for (const r of [200n, 263n, 264n]) await createRound(w, r, 2n * DAY, 10n * DAY);
    await ok(stake(c, [{ id: 1, round: 200n, model: M1 }]));
    await ok(stake(c, [{ id: 1, round: 263n, model: M1 }])); // same ring window (63 rounds on)
    expect((await model(1)).headRound).toBe(200n);
    // Round 264 would take round 200's ring slot while 200 is unsettled (its root is not even posted).
    await fails(stake(c, [{ id: 1, round: 264n, model: M1 }]), 'TrancheRingFull');
    const [p200] = await w.view<[bigint, bigint]>('tranche', [1, 200n]);
    w.warp(2n * DAY);
    const tree = await postRoot(w, 200n, [{ modelId: M1, payout: nmr(10), burn: 0n }]);
    await ok(claim(stranger, 200n, 1, nmr(10), 0n, tree.proofOf(w.pool, M1)));
    expect((await model(1)).headRound).toBe(263n);
    await createRound(w, 265n, 2n * DAY, 10n * DAY);
    // Round 265 reuses round 201's slot, never used by a tranche (written at registration).
    await ok(stake(c, [{ id: 1, round: 265n, model: M1 }]));
    expect((await w.view<[bigint, bigint]>('tranche', [1, 265n]))[0]).toBeGreaterThan(0n);
    expect((await w.view<[bigint, bigint]>('tranche', [1, 200n]))[0]).toBe(0n); // settled
    expect((await w.view<[bigint, bigint]>('tranche', [1, 264n]))[0]).toBe(0n); // same slot as 200, never staked
    expect(p200).toBe(nmr(250)); // a quarter of the NAV (concurrentRounds 4)
    expect((await model(1)).headRound).toBe(263n);
    expect(await w.view<bigint[]>('activeRounds')).toEqual(expect.arrayContaining([263n, 265n]));
  });

  it('reads a position Numerai finalized, checked against its root, and refuses a wrong result', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(4000)]));
    await createRound(w, 200n, DAY, DAY);
    await ok(stake(b, [{ id: 1, round: 200n, model: M1 }]));
    w.warp(2n * DAY);
    const tree = await postRoot(w, 200n, [
      { modelId: M1, payout: nmr(50), burn: 0n },
      { modelId: M2, payout: 0n, burn: 0n, staker: stranger },
    ]);
    await fails(claim(b, 200n, 1, nmr(50), 0n, []), 'InvalidProof');
    w.warp(8n * DAY);
    const proof = tree.proofOf(w.pool, M1);
    await ok(w.send(w.numerai, w.staking, numeraiIface.encodeFunctionData('finalize', [200n, w.pool, M1, nmr(50), 0n, proof])));
    expect(await balance(w.pool)).toBe(nmr(4000) - nmr(1000) + nmr(1050)); // arrived, not booked yet
    await fails(w.pool$(b, 'checkpoint', [[1]]), 'ClaimRoundFirst');
    await fails(claim(b, 200n, 1, nmr(51), 0n, proof), 'InvalidSettledProof');
    const r = await claim(b, 200n, 1, nmr(50), 0n, proof);
    await ok(Promise.resolve(r));
    const log = r.ok ? r.receipt.logs.map((l) => poolIface.parseLog(l)).find((l) => l?.name === 'TrancheSettled') : undefined;
    expect(log?.args.alreadySettled).toBe(true);
    expect(log?.args.returnedWei).toBe(nmr(1050));
    expect((await model(1)).navWei).toBe(nmr(4050) - nmr(5)); // 10% fee on the 50 gain
    await fails(claim(b, 200n, 1, nmr(50), 0n, proof), 'NoTranche');
    await ok(w.pool$(b, 'checkpoint', [[1]]));
  });

  it('applies a fee change only to tranches staked after the notice', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(4000)]));
    await fails(w.pool$(stranger, 'scheduleFeeChange', [1, 2000]), 'NotOperator');
    await fails(w.pool$(op, 'scheduleFeeChange', [1, 5001]), 'FeeTooHigh');
    await ok(w.pool$(op, 'scheduleFeeChange', [1, 3000]));
    let m = await model(1);
    expect([m.feeBps, m.nextFeeBps]).toEqual([1000n, 3000n]);
    await createRound(w, 300n, DAY, DAY);
    await ok(stake(b, [{ id: 1, round: 300n, model: M1 }]));
    expect((await w.view<[bigint, bigint]>('tranche', [1, 300n]))[1]).toBe(1000n);
    w.warp(31n * DAY);
    await createRound(w, 301n, DAY, DAY);
    await ok(stake(b, [{ id: 1, round: 301n, model: M1 }]));
    expect((await w.view<[bigint, bigint]>('tranche', [1, 301n]))[1]).toBe(3000n);
    m = await model(1);
    expect([m.feeBps, m.nextFeeAt]).toEqual([3000n, 0n]);
  });

  it('stakes nothing a matured exit needs, skips a zero tranche, and honours the authorization cap', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    await ok(w.pool$(b, 'delegate', [1, nmr(1000)]));
    await createRound(w, 400n, DAY, DAY);
    await ok(stake(c, [{ id: 1, round: 400n, model: M1, max: nmr(100) }]));
    expect((await model(1)).atStakeWei).toBe(nmr(100));
    // Everyone leaves: nothing is free to stake any more; the model is skipped (no Numerai nonce used).
    await ok(w.pool$(a, 'requestRedeem', [1, (await position(a, 1)).shares]));
    await ok(w.pool$(b, 'requestRedeem', [1, (await position(b, 1)).shares]));
    w.warp(DAY);
    await createRound(w, 401n, DAY, DAY);
    const n0 = await nonce();
    const r = await stake(c, [{ id: 1, round: 401n, model: M1 }]);
    await ok(Promise.resolve(r));
    expect(r.ok && r.receipt.logs.some((l) => poolIface.parseLog(l)?.name === 'StakeSkipped')).toBe(true);
    expect(await nonce()).toBe(n0);
    expect(await w.view<bigint>('stakeable', [1])).toBe(0n);
  });

  it('pauses new money in and out of staking but never traps idle NMR', async () => {
    await fresh();
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    await ok(w.pool$(b, 'delegate', [1, nmr(400)]));
    await createRound(w, 500n, DAY, DAY);
    await ok(stake(c, [{ id: 1, round: 500n, model: M1 }]));
    await ok(w.pool$(a, 'requestRedeem', [1, (await position(a, 1)).shares / 4n]));
    await ok(w.pool$(b, 'delegate', [1, nmr(10)]));
    await fails(w.pool$(stranger, 'pause'), 'AccessControlUnauthorizedAccount');
    await ok(w.pool$(w.admin, 'pause'));
    await fails(w.pool$(a, 'delegate', [1, nmr(1)]), 'EnforcedPause');
    await fails(w.pool$(a, 'delegateBatch', [[1], [nmr(1)]]), 'EnforcedPause');
    await fails(w.pool$(a, 'requestRedeem', [1, 1n]), 'EnforcedPause');
    await fails(w.pool$(w.admin, 'registerModel', [numeraiModelId(9), 'x', op, 0, 1n]), 'EnforcedPause');
    await createRound(w, 501n, DAY, DAY);
    await fails(stake(c, [{ id: 1, round: 501n, model: M1 }]), 'EnforcedPause');
    // Still possible: cancelling a deposit, claims, checkpoints, withdrawals, fees.
    await ok(w.pool$(b, 'cancelDeposit', [1]));
    w.warp(2n * DAY);
    const t = await postRoot(w, 500n, [{ modelId: M1, payout: nmr(10), burn: 0n }]);
    await ok(claim(stranger, 500n, 1, nmr(10), 0n, t.proofOf(w.pool, M1)));
    await ok(w.pool$(stranger, 'checkpoint', [[1]]));
    await ok(w.pool$(a, 'withdraw', [1]));
    await ok(w.pool$(op, 'claimFees', [1]));
    await ok(w.pool$(w.admin, 'unpause'));
  });

  it('refuses every invalid call with its own error', async () => {
    await fresh();
    // construction
    const f = new ContractFactory(stakingPoolAbi, stakingPoolBytecode);
    const zero = '0x0000000000000000000000000000000000000000';
    const tryDeploy = async (args: unknown[]) => {
      const tx = await f.getDeployTransaction(...(args as Parameters<typeof f.getDeployTransaction>));
      const [r] = await w.rpc.batch([['eth_call', [{ from: w.admin, data: tx.data }, 'latest']]]);
      return r!.error ? errorName(r!.error.data) : 'success';
    };
    expect(await tryDeploy([zero, w.staking, w.admin, 1, 4, 1])).toBe('ZeroAddress');
    expect(await tryDeploy([w.token, zero, w.admin, 1, 4, 1])).toBe('ZeroAddress');
    expect(await tryDeploy([w.token, w.staking, zero, 1, 4, 1])).toBe('AccessControlInvalidDefaultAdmin');
    expect(await tryDeploy([w.token, w.staking, w.admin, 1, 0, 1])).toBe('InvalidConcurrentRounds');
    expect(await tryDeploy([w.token, w.staking, w.admin, 1, 257, 1])).toBe('InvalidConcurrentRounds');
    expect(await tryDeploy([w.token, w.staking, w.admin, 1, 4, 0])).toBe('InvalidFeeNotice');
    expect(await tryDeploy([w.token, w.staking, w.admin, 1, 4, 2n ** 32n])).toBe('InvalidFeeNotice'); // over 136 years
    expect(await tryDeploy([w.token, w.staking, w.admin, 1, 4, 2n ** 32n - 1n])).toBe('success');

    // registration and admin
    await fails(w.pool$(stranger, 'registerModel', [numeraiModelId(3), 'g', op, 0, 1n]), 'AccessControlUnauthorizedAccount');
    await fails(w.pool$(w.admin, 'registerModel', [numeraiModelId(3), 'g', zero, 0, 1n]), 'ZeroAddress');
    await fails(w.pool$(w.admin, 'registerModel', ['0x' + '00'.repeat(32), 'g', op, 0, 1n]), 'InvalidNumeraiModelId');
    await fails(w.pool$(w.admin, 'registerModel', [numeraiModelId(3), '', op, 0, 1n]), 'InvalidName');
    await fails(w.pool$(w.admin, 'registerModel', [numeraiModelId(3), 'x'.repeat(65), op, 0, 1n]), 'InvalidName');
    await fails(w.pool$(w.admin, 'registerModel', [numeraiModelId(3), 'g', op, 5001, 1n]), 'FeeTooHigh');
    await fails(w.pool$(w.admin, 'registerModel', [M1, 'again', op, 0, 1n]), 'NumeraiModelTaken');
    await fails(w.pool$(w.admin, 'setCap', [9, 1n]), 'UnknownModel');
    await fails(w.pool$(stranger, 'setCap', [1, 1n]), 'AccessControlUnauthorizedAccount');
    await ok(w.pool$(w.admin, 'setCap', [2, nmr(1000)]));

    // holders
    await fails(w.pool$(a, 'delegate', [1, 0n]), 'ZeroAmount');
    await fails(w.pool$(a, 'delegate', [7, nmr(1)]), 'UnknownModel');
    await fails(w.pool$(a, 'delegate', [2, nmr(1001)]), 'CapExceeded');
    await fails(w.pool$(a, 'delegate', [1, nmr(20_000)]), 'ERC20InsufficientBalance');
    await fails(w.pool$(a, 'delegateBatch', [[], []]), 'EmptyBatch');
    await fails(w.pool$(a, 'delegateBatch', [[1, 2], [nmr(1)]]), 'LengthMismatch');
    await fails(w.pool$(a, 'cancelDeposit', [1]), 'NothingToCancel');
    await fails(w.pool$(a, 'requestRedeem', [1, 0n]), 'ZeroAmount');
    await fails(w.pool$(a, 'requestRedeem', [1, 1n]), 'InsufficientShares');
    await fails(w.pool$(a, 'withdraw', [1]), 'NothingToWithdraw');
    await fails(w.pool$(a, 'checkpoint', [[3]]), 'UnknownModel');

    // staking
    await ok(w.pool$(a, 'delegate', [1, nmr(1000)]));
    await createRound(w, 600n, DAY, DAY);
    await fails(w.pool$(c, 'stakeRound', [[], []]), 'EmptyBatch');
    const n = await nonce();
    const good = await authorize(w, { roundId: 600n, modelId: M1, maxAmount: nmr(10_000), nonce: n });
    await fails(w.pool$(c, 'stakeRound', [[1], []]), 'LengthMismatch');
    // The pool names itself as the staker and the model's own Numerai id in what it submits, so an
    // authorization Numerai signed for another staker or another model fails Numerai's signature check.
    const other = await authorize(w, { roundId: 600n, modelId: M1, maxAmount: nmr(10_000), nonce: n, staker: stranger });
    await fails(w.send(c, w.pool, stakeRoundData([1], [other])), 'InvalidSigner');
    await ok(w.pool$(b, 'delegate', [2, nmr(100)]));
    await fails(w.send(c, w.pool, stakeRoundData([2], [good])), 'InvalidSigner');
    await ok(w.pool$(b, 'cancelDeposit', [2]));
    const forged = { ...good, signature: await new Wallet('0x' + '11'.repeat(32)).signMessage('no') };
    await fails(w.send(c, w.pool, stakeRoundData([1], [forged])), 'InvalidSigner');
    await ok(w.send(c, w.pool, stakeRoundData([1], [good])));
    const again = await authorize(w, { roundId: 600n, modelId: M1, maxAmount: nmr(10_000), nonce: n + 1n });
    await fails(w.send(c, w.pool, stakeRoundData([1], [again])), 'RoundNotAfterLast');

    // claims and the fairness rule
    await fails(claim(c, 600n, 1, 0n, 0n, []), 'RoundNotResolved');
    await fails(claim(c, 601n, 1, 0n, 0n, []), 'NoTranche');
    await fails(claim(c, 600n, 9, 0n, 0n, []), 'UnknownModel');
    w.warp(2n * DAY);
    const t = await postRoot(w, 600n, [{ modelId: M1, payout: 0n, burn: nmr(1) }]);
    await fails(w.pool$(c, 'checkpoint', [[1]]), 'ClaimRoundFirst');
    await ok(w.pool$(c, 'checkpoint', [[2]])); // another model is not held up
    w.warp(DAY);
    await createRound(w, 602n, DAY, DAY);
    const next = await authorize(w, { roundId: 602n, modelId: M1, maxAmount: nmr(10_000), nonce: n + 1n });
    await fails(w.send(c, w.pool, stakeRoundData([1], [next])), 'ClaimRoundFirst');
    await ok(claim(c, 600n, 1, 0n, nmr(1), t.proofOf(w.pool, M1)));
    await ok(w.send(c, w.pool, stakeRoundData([1], [next])));

    // the admin role changes only after its delay
    await ok(w.pool$(w.admin, 'beginDefaultAdminTransfer', [stranger]));
    await fails(w.pool$(stranger, 'acceptDefaultAdminTransfer'), 'AccessControlEnforcedDefaultAdminDelay');
    w.warp(2n * DAY + 1n);
    await ok(w.pool$(stranger, 'acceptDefaultAdminTransfer'));
    expect((await w.view<string>('defaultAdmin')).toLowerCase()).toBe(stranger);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContractFactory, id as keccakId, ZeroAddress, type Contract, type JsonRpcProvider, type JsonRpcSigner, type Log } from 'ethers';
import { delegationPoolAbi, delegationPoolBytecode } from '../generated/index';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { deploy, expectRevert, mined, nmr, revertTo, snapshot, type Deployed } from '../test-support/deploy';

const V = 1_000_000n;
const BIG = 2n ** 96n - 1n;
const MODEL_ADMIN_ROLE = keccakId('MODEL_ADMIN_ROLE');
const REPORTER_ROLE = keccakId('REPORTER_ROLE');
const PAUSER_ROLE = keccakId('PAUSER_ROLE');
const DEFAULT_ADMIN_ROLE = '0x' + '00'.repeat(32);

type Receipt = Awaited<ReturnType<typeof mined>>;

describe('DelegationPool', () => {
  let chain: Anvil;
  let provider: JsonRpcProvider;
  let d: Deployed;
  let pool: Contract;
  let token: Contract;
  let admin: JsonRpcSigner;
  let alice: JsonRpcSigner;
  let bob: JsonRpcSigner;
  let carol: JsonRpcSigner;
  let op1: JsonRpcSigner;
  let op2: JsonRpcSigner;
  let stranger: JsonRpcSigner;
  let snap: string;
  const L = 2;
  const R0 = 100;

  const P = (s: JsonRpcSigner) => pool.connect(s) as Contract;
  const send = (s: JsonRpcSigner, fn: string, ...args: unknown[]) => mined(P(s).getFunction(fn)(...args));
  const call = (fn: string, ...args: unknown[]) => pool.getFunction(fn)(...args);
  const events = (r: Receipt, name: string) =>
    (r.logs as Log[])
      .filter((l) => l.address.toLowerCase() === d.poolAddress.toLowerCase())
      .map((l) => pool.interface.parseLog(l)!)
      .filter((e) => e && e.name === name)
      .map((e) => e.args);
  const balance = async (a: string) => (await token.getFunction('balanceOf')(a)) as bigint;
  const pos = (who: JsonRpcSigner, id: number) => call('positionOf', who.address, id);
  const model = (id: number) => call('model', id);
  const round = async () => Number(await call('currentRound'));
  const resolve = async (returns: Record<number, number>) => {
    const ids = Object.keys(returns).map(Number);
    return send(
      admin,
      'resolveRound',
      await round(),
      ids,
      ids.map((i) => returns[i]!),
    );
  };

  beforeAll(async () => {
    chain = await startAnvil();
    provider = chain.provider();
    d = await deploy(provider, { lockRounds: L, firstRound: R0 });
    ({ pool, token, admin } = d);
    [, alice, bob, carol, op1, op2, stranger] = d.signers as [
      JsonRpcSigner,
      JsonRpcSigner,
      JsonRpcSigner,
      JsonRpcSigner,
      JsonRpcSigner,
      JsonRpcSigner,
      JsonRpcSigner,
    ];
    await send(admin, 'registerModel', 'alpha', op1.address, 1000, nmr(1_000_000)); // 10% fee
    await send(admin, 'registerModel', 'beta', op2.address, 0, nmr(1000)); // no fee, cap 1000
    await send(admin, 'registerModel', 'gamma', op1.address, 2000, BIG); // 20%, no cap
    for (const s of [admin, alice, bob, carol]) {
      await mined(token.connect(admin).getFunction('demoMint')(s.address, nmr(100_000)));
      await mined(token.connect(s).getFunction('approve')(d.poolAddress, 2n ** 255n));
    }
    await send(admin, 'fundReserve', nmr(10_000));
    snap = await snapshot(provider);
  });
  beforeEach(async () => {
    await revertTo(provider, snap);
    snap = await snapshot(provider);
  });
  afterAll(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  describe('constructor and roles', () => {
    it('sets the round, the lock and all four roles on the admin', async () => {
      expect(await call('currentRound')).toBe(BigInt(R0));
      expect(await call('lockRounds')).toBe(BigInt(L));
      expect(await call('feeChangeDelayRounds')).toBe(BigInt(L + 1));
      expect((await call('nmr')).toLowerCase()).toBe(d.tokenAddress.toLowerCase());
      for (const role of [DEFAULT_ADMIN_ROLE, MODEL_ADMIN_ROLE, REPORTER_ROLE, PAUSER_ROLE]) {
        expect(await call('hasRole', role, admin.address)).toBe(true);
        expect(await call('hasRole', role, alice.address)).toBe(false);
      }
    });

    it('rejects bad arguments', async () => {
      const f = new ContractFactory(delegationPoolAbi, delegationPoolBytecode, admin);
      await expectRevert(f.deploy(ZeroAddress, admin.address, 2, 1), 'ZeroAddress');
      await expectRevert(f.deploy(d.tokenAddress, ZeroAddress, 2, 1), 'ZeroAddress');
      await expectRevert(f.deploy(d.tokenAddress, admin.address, 0, 1), 'InvalidLockRounds', [0]);
      await expectRevert(f.deploy(d.tokenAddress, admin.address, 65, 1), 'InvalidLockRounds', [65]);
      await expectRevert(f.deploy(d.tokenAddress, admin.address, 2, 0), 'InvalidFirstRound', [0]);
      await expectRevert(f.deploy(d.tokenAddress, admin.address, 2, 2 ** 31 + 1), 'InvalidFirstRound');
    });

    it('admin can hand roles to others', async () => {
      await send(admin, 'grantRole', REPORTER_ROLE, carol.address);
      await send(carol, 'resolveRound', R0, [1], [0]);
      expect(await round()).toBe(R0 + 1);
      await expectRevert(P(alice).getFunction('grantRole')(REPORTER_ROLE, alice.address), 'AccessControlUnauthorizedAccount');
    });
  });

  describe('registerModel / setCap', () => {
    it('registers with sequential ids and an event', async () => {
      expect(await call('modelCount')).toBe(3n);
      const r = await send(admin, 'registerModel', 'delta', op2.address, 500, nmr(42));
      const [ev] = events(r, 'ModelRegistered');
      expect(ev!.modelId).toBe(4n);
      expect(ev!.name).toBe('delta');
      expect(ev!.operator).toBe(op2.address);
      expect(ev!.feeBps).toBe(500n);
      expect(ev!.capWei).toBe(nmr(42));
      const m = await model(4);
      expect(m.id).toBe(4n);
      expect(m.name).toBe('delta');
      expect(m.operator).toBe(op2.address);
      expect(m.feeBps).toBe(500n);
      expect(m.capWei).toBe(nmr(42));
      expect(m.stakeWei).toBe(0n);
      expect(m.pendingInWei).toBe(0n);
      expect(m.totalShares).toBe(0n);
      expect(m.pendingOutShares).toBe(0n);
      expect(m.openRound).toBe(BigInt(R0));
      expect(m.nextFeeRound).toBe(0n);
      const many = await call('models', [1, 2, 4]);
      expect(many.map((x: { name: string }) => x.name)).toEqual(['alpha', 'beta', 'delta']);
    });

    it('stores a cap above 2^96-1 as 2^96-1 (no cap)', async () => {
      await send(admin, 'registerModel', 'huge', op2.address, 0, 2n ** 200n);
      expect((await model(4)).capWei).toBe(BIG);
    });

    it('reverts for non-admins, bad operator, bad name, fee too high, while paused', async () => {
      await expectRevert(P(alice).getFunction('registerModel')('x', op1.address, 0, 1n), 'AccessControlUnauthorizedAccount', [
        alice.address,
        MODEL_ADMIN_ROLE,
      ]);
      await expectRevert(P(admin).getFunction('registerModel')('x', ZeroAddress, 0, 1n), 'ZeroAddress');
      await expectRevert(P(admin).getFunction('registerModel')('', op1.address, 0, 1n), 'InvalidName');
      await expectRevert(P(admin).getFunction('registerModel')('x'.repeat(65), op1.address, 0, 1n), 'InvalidName');
      await expectRevert(P(admin).getFunction('registerModel')('x', op1.address, 5001, 1n), 'FeeTooHigh', [5001, 5000]);
      await send(admin, 'pause');
      await expectRevert(P(admin).getFunction('registerModel')('x', op1.address, 0, 1n), 'EnforcedPause');
    });

    it('setCap changes the cap with an event; only model admins; known models only', async () => {
      const r = await send(admin, 'setCap', 2, nmr(5));
      const [ev] = events(r, 'CapChanged');
      expect([ev!.modelId, ev!.previousCapWei, ev!.newCapWei]).toEqual([2n, nmr(1000), nmr(5)]);
      expect((await model(2)).capWei).toBe(nmr(5));
      await expectRevert(P(alice).getFunction('setCap')(2, 1n), 'AccessControlUnauthorizedAccount');
      await expectRevert(P(admin).getFunction('setCap')(9, 1n), 'UnknownModel', [9]);
      await expectRevert(P(admin).getFunction('setCap')(0, 1n), 'UnknownModel', [0]);
    });
  });

  describe('fundReserve', () => {
    it('adds to the reserve with an event; anyone may fund', async () => {
      const r = await send(alice, 'fundReserve', nmr(5));
      const [ev] = events(r, 'ReserveFunded');
      expect([ev!.from, ev!.amountWei]).toEqual([alice.address, nmr(5)]);
      expect(await call('reserveWei')).toBe(nmr(10_005));
    });
    it('reverts on zero and without allowance', async () => {
      await expectRevert(P(alice).getFunction('fundReserve')(0n), 'ZeroAmount');
      await expectRevert(P(stranger).getFunction('fundReserve')(1n), 'ERC20InsufficientAllowance');
    });
  });

  describe('delegate / delegateBatch', () => {
    it('takes the NMR, records a pending deposit for the open round, emits Delegated', async () => {
      const before = await balance(alice.address);
      const r = await send(alice, 'delegate', 1, nmr(100));
      expect(await balance(alice.address)).toBe(before - nmr(100));
      const [ev] = events(r, 'Delegated');
      expect([ev!.holder, ev!.modelId, ev!.round, ev!.amountWei]).toEqual([alice.address, 1n, BigInt(R0), nmr(100)]);
      const p = await pos(alice, 1);
      expect(p.pendingInWei).toBe(nmr(100));
      expect(p.pendingInRound).toBe(BigInt(R0));
      expect(p.shares).toBe(0n);
      expect((await model(1)).pendingInWei).toBe(nmr(100));
      expect((await model(1)).stakeWei).toBe(0n);
      // more in the same round adds up
      await send(alice, 'delegate', 1, nmr(5));
      expect((await pos(alice, 1)).pendingInWei).toBe(nmr(105));
    });

    it('reverts on zero, unknown model, cap, pause, missing allowance', async () => {
      await expectRevert(P(alice).getFunction('delegate')(1, 0n), 'ZeroAmount');
      await expectRevert(P(alice).getFunction('delegate')(0, 1n), 'UnknownModel', [0]);
      await expectRevert(P(alice).getFunction('delegate')(4, 1n), 'UnknownModel', [4]);
      await send(alice, 'delegate', 2, nmr(600));
      await expectRevert(P(bob).getFunction('delegate')(2, nmr(401)), 'CapExceeded', [2, nmr(1000), nmr(1001)]);
      await send(bob, 'delegate', 2, nmr(400)); // exactly at the cap
      await expectRevert(P(stranger).getFunction('delegate')(1, 1n), 'ERC20InsufficientAllowance');
      await send(admin, 'pause');
      await expectRevert(P(alice).getFunction('delegate')(1, 1n), 'EnforcedPause');
    });

    it('cap counts stake plus pending, and gains may grow the stake past it', async () => {
      await send(alice, 'delegate', 2, nmr(1000));
      await resolve({ 2: 0 });
      await resolve({ 2: 500 });
      expect((await model(2)).stakeWei).toBe(nmr(1050));
      await expectRevert(P(bob).getFunction('delegate')(2, 1n), 'CapExceeded');
    });

    it('batch: one transfer for the total, one Delegated per model', async () => {
      const r = await send(alice, 'delegateBatch', [1, 2, 3], [nmr(1), nmr(2), nmr(3)]);
      const delegated = events(r, 'Delegated');
      expect(delegated.map((e) => [e.modelId, e.amountWei])).toEqual([
        [1n, nmr(1)],
        [2n, nmr(2)],
        [3n, nmr(3)],
      ]);
      const transfers = (r.logs as Log[]).filter((l) => l.address.toLowerCase() === d.tokenAddress.toLowerCase());
      expect(transfers.length).toBe(1);
      const positions = await call('positionsOf', alice.address, [1, 2, 3]);
      expect(positions.map((p: { pendingInWei: bigint }) => p.pendingInWei)).toEqual([nmr(1), nmr(2), nmr(3)]);
    });

    it('batch reverts: length mismatch, empty, zero amount, unknown model, cap, pause', async () => {
      await expectRevert(P(alice).getFunction('delegateBatch')([1, 2], [1n]), 'LengthMismatch', [2, 1]);
      await expectRevert(P(alice).getFunction('delegateBatch')([], []), 'EmptyBatch');
      await expectRevert(P(alice).getFunction('delegateBatch')([1, 2], [1n, 0n]), 'ZeroAmount');
      await expectRevert(P(alice).getFunction('delegateBatch')([1, 7], [1n, 1n]), 'UnknownModel', [7]);
      await expectRevert(P(alice).getFunction('delegateBatch')([1, 2], [1n, nmr(1001)]), 'CapExceeded');
      await send(admin, 'pause');
      await expectRevert(P(alice).getFunction('delegateBatch')([1], [1n]), 'EnforcedPause');
    });
  });

  describe('rounds: entry at the next round, results, fees, burns', () => {
    it('a deposit is not touched by the result of its own round and converts at the price after it', async () => {
      await send(alice, 'delegate', 1, nmr(100));
      await resolve({ 1: 0 });
      expect((await pos(alice, 1)).shares).toBe(nmr(100) * V);
      // bob delegates in round 101, alice is at risk in 101
      await send(bob, 'delegate', 1, nmr(100));
      const r = await resolve({ 1: 500 }); // +5%: gain 5, fee 0.5
      const [ev] = events(r, 'RoundResolved');
      expect(ev!.round).toBe(101n);
      expect(ev!.modelId).toBe(1n);
      expect(ev!.returnBps).toBe(500n);
      expect(ev!.stakeBeforeWei).toBe(nmr(100));
      expect(ev!.rewardWei).toBe(nmr(5));
      expect(ev!.feeWei).toBe(nmr(0.5));
      expect(ev!.burnedWei).toBe(0n);
      expect(ev!.depositsInWei).toBe(nmr(100));
      expect(ev!.exitSharesBurned).toBe(0n);
      expect(ev!.exitAssetsWei).toBe(0n);
      expect(ev!.stakeAfterWei).toBe(nmr(204.5));
      const priceShares = nmr(100) * V + V;
      const priceAssets = nmr(104.5) + 1n;
      const bobShares = (nmr(100) * priceShares) / priceAssets;
      expect(ev!.sharesMinted).toBe(bobShares);
      expect(ev!.totalSharesAfter).toBe(nmr(100) * V + bobShares);
      const [closed] = events(r, 'RoundClosed');
      expect(closed!.round).toBe(101n);
      expect(closed!.reserveAfterWei).toBe(nmr(9995));

      const a = await pos(alice, 1);
      const b = await pos(bob, 1);
      expect(a.valueWei).toBeLessThanOrEqual(nmr(104.5)); // bob's entry rounds in the pool's favour
      expect(a.valueWei).toBeGreaterThanOrEqual(nmr(104.5) - 1n);
      expect(b.shares).toBe(bobShares);
      expect(b.valueWei).toBeLessThanOrEqual(nmr(100)); // bob got none of round 101's gain
      expect(b.valueWei).toBeGreaterThan(nmr(100) - 2n);
      expect(await call('reserveWei')).toBe(nmr(9995));
      expect((await model(1)).feesOwedWei).toBe(nmr(0.5));
    });

    it('losses are burned (total supply falls) and no fee is taken', async () => {
      await send(alice, 'delegate', 1, nmr(200));
      await resolve({ 1: 0 });
      const supply = (await token.getFunction('totalSupply')()) as bigint;
      const poolBal = await balance(d.poolAddress);
      const r = await resolve({ 1: -500 });
      const [ev] = events(r, 'RoundResolved');
      expect(ev!.burnedWei).toBe(nmr(10));
      expect(ev!.feeWei).toBe(0n);
      expect(ev!.returnBps).toBe(-500n);
      expect(await token.getFunction('totalSupply')()).toBe(supply - nmr(10));
      expect(await balance(d.poolAddress)).toBe(poolBal - nmr(10));
      expect((await model(1)).stakeWei).toBe(nmr(190));
      expect((await model(1)).feesOwedWei).toBe(0n);
    });

    it('one burn call per resolution across models', async () => {
      await send(alice, 'delegateBatch', [1, 2, 3], [nmr(100), nmr(100), nmr(100)]);
      await resolve({ 1: 0, 2: 0, 3: 0 });
      const r = await resolve({ 1: -100, 2: -200, 3: 300 });
      const burns = (r.logs as Log[]).filter(
        (l) => l.address.toLowerCase() === d.tokenAddress.toLowerCase() && l.topics[2] === '0x' + '00'.repeat(32),
      );
      expect(burns.length).toBe(1);
      expect(BigInt(burns[0]!.data)).toBe(nmr(1) + nmr(2));
    });

    it('return bounds are ±500 bps inclusive', async () => {
      await send(alice, 'delegate', 1, nmr(1));
      await resolve({ 1: 500 });
      await resolve({ 1: -500 });
      await expectRevert(P(admin).getFunction('resolveRound')(R0 + 2, [1], [501]), 'ReturnOutOfBounds', [1, 501]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0 + 2, [1], [-501]), 'ReturnOutOfBounds', [1, -501]);
    });

    it('resolveRound reverts: not a reporter, wrong round, length mismatch, unknown model, twice, reserve, paused', async () => {
      await expectRevert(P(alice).getFunction('resolveRound')(R0, [1], [0]), 'AccessControlUnauthorizedAccount', [
        alice.address,
        REPORTER_ROLE,
      ]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0 + 1, [1], [0]), 'WrongRound', [R0 + 1, R0]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0 - 1, [1], [0]), 'WrongRound', [R0 - 1, R0]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0, [1, 2], [0]), 'LengthMismatch', [2, 1]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0, [1, 4], [0, 0]), 'UnknownModel', [4]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0, [0], [0]), 'UnknownModel', [0]);
      await expectRevert(P(admin).getFunction('resolveRound')(R0, [1, 2, 1], [0, 0, 0]), 'AlreadyResolved', [1, R0]);
      // reserve cannot cover: 10,000 reserve, gain of 5% on 300,000 = 15,000
      await send(alice, 'delegate', 3, nmr(100_000));
      await send(bob, 'delegate', 3, nmr(100_000));
      await send(carol, 'delegate', 3, nmr(100_000));
      await resolve({ 3: 0 });
      await expectRevert(P(admin).getFunction('resolveRound')(R0 + 1, [3], [500]), 'ReserveTooLow', [nmr(15_000), nmr(10_000)]);
      await send(admin, 'resolveRound', R0 + 1, [3], [300]); // 9,000 fits
      expect(await call('reserveWei')).toBe(nmr(1000));
      await send(admin, 'pause');
      await expectRevert(P(admin).getFunction('resolveRound')(R0 + 2, [3], [0]), 'EnforcedPause');
      await expectRevert(P(admin).getFunction('postResults')(R0 + 2, [3], [0]), 'EnforcedPause');
    });

    it('empty resolveRound just closes the round', async () => {
      const r = await send(admin, 'resolveRound', R0, [], []);
      expect(events(r, 'RoundClosed')[0]!.round).toBe(BigInt(R0));
      expect(await round()).toBe(R0 + 1);
    });
  });

  describe('postResults (batches) and models left out of a round', () => {
    it('posts in batches; a posted model takes new deposits for the next round; resolveRound closes', async () => {
      await send(alice, 'delegateBatch', [1, 2], [nmr(100), nmr(100)]);
      await send(admin, 'postResults', R0, [1], [100]);
      expect(await round()).toBe(R0);
      expect((await model(1)).openRound).toBe(BigInt(R0 + 1));
      await expectRevert(P(admin).getFunction('postResults')(R0, [1], [100]), 'AlreadyResolved', [1, R0]);
      await expectRevert(P(alice).getFunction('postResults')(R0, [2], [0]), 'AccessControlUnauthorizedAccount');
      // bob delegates to model 1 after its result for R0: tagged R0 + 1
      const r = await send(bob, 'delegate', 1, nmr(50));
      expect(events(r, 'Delegated')[0]!.round).toBe(BigInt(R0 + 1));
      expect((await pos(alice, 1)).shares).toBe(nmr(100) * V);
      await send(admin, 'resolveRound', R0, [2], [0]);
      expect(await round()).toBe(R0 + 1);
      expect((await pos(bob, 1)).pendingInWei).toBe(nmr(50));
      await resolve({ 1: 0, 2: 0 });
      expect((await pos(bob, 1)).pendingInWei).toBe(0n);
      expect((await pos(bob, 1)).valueWei).toBe(nmr(50));
    });

    it('a model left out of closed rounds counts zero returns and catches up lazily, with the same figures as the views', async () => {
      await send(alice, 'delegate', 1, nmr(100));
      await resolve({ 1: 0 });
      await send(alice, 'requestUndelegate', 1, (await pos(alice, 1)).shares / 2n);
      await send(bob, 'delegate', 1, nmr(30));
      // rounds 101..103 close without model 1
      await resolve({ 2: 0 });
      await resolve({ 2: 0 });
      await resolve({ 2: 0 });
      const viewA = await pos(alice, 1);
      const viewB = await pos(bob, 1);
      const viewM = await model(1);
      expect(viewM.openRound).toBe(104n);
      expect(viewA.withdrawableWei).toBe(nmr(50));
      expect(viewA.pendingOutShares).toBe(0n);
      expect(viewB.pendingInWei).toBe(0n);
      expect(viewB.valueWei).toBe(nmr(30));
      // catch-up happens on the next touch and emits RoundResolved with return 0 for the converted rounds
      const r = await send(alice, 'withdraw', 1);
      const resolved = events(r, 'RoundResolved');
      expect(resolved.map((e) => [e.round, e.returnBps, e.depositsInWei])).toEqual([
        [101n, 0n, nmr(30)],
        [102n, 0n, 0n],
      ]);
      expect(resolved[1]!.exitAssetsWei).toBe(nmr(50));
      expect(events(r, 'Withdrawn')[0]!.amountWei).toBe(nmr(50));
      expect((await pos(bob, 1)).valueWei).toBe(viewB.valueWei);
      const m = await model(1);
      expect([m.stakeWei, m.totalShares, m.openRound]).toEqual([viewM.stakeWei, viewM.totalShares, 104n]);
      // the next result applies normally
      await resolve({ 1: 100 });
      expect((await model(1)).stakeWei).toBe(nmr(80) + nmr(0.72));
    });

    it('resolution catches up a left-out model before applying the new result', async () => {
      await send(alice, 'delegate', 1, nmr(100));
      await resolve({ 2: 0 }); // model 1 left out of R0: deposit converts at the unchanged price
      const r = await resolve({ 1: 200 });
      const resolved = events(r, 'RoundResolved');
      expect(resolved.map((e) => [e.round, e.returnBps])).toEqual([
        [100n, 0n],
        [101n, 200n],
      ]);
      const v = (await pos(alice, 1)).valueWei as bigint; // 100 + 2% less the 10% fee, rounded down
      expect(v).toBeLessThanOrEqual(nmr(101.8));
      expect(v).toBeGreaterThanOrEqual(nmr(101.8) - 1n);
    });
  });

  describe('requestUndelegate / withdraw / cancelDelegation / settle', () => {
    beforeEach(async () => {
      await send(alice, 'delegate', 1, nmr(100));
      await send(bob, 'delegate', 1, nmr(100));
      await resolve({ 1: 0 });
    });

    it('an exit stays at risk for lockRounds results, then is withdrawable at that price', async () => {
      const shares = (await pos(alice, 1)).shares as bigint;
      const r = await send(alice, 'requestUndelegate', 1, shares);
      const [ev] = events(r, 'UndelegateRequested');
      expect([ev!.holder, ev!.modelId, ev!.round, ev!.shares, ev!.unlockRound, ev!.pendingOutSharesTotal]).toEqual([
        alice.address,
        1n,
        101n,
        shares,
        103n,
        shares,
      ]);
      let p = await pos(alice, 1);
      expect(p.shares).toBe(0n);
      expect(p.pendingOutShares).toBe(shares);
      expect(p.pendingOutValueWei).toBe(nmr(100));
      expect(p.unlockRound).toBe(103n);
      expect((await model(1)).pendingOutShares).toBe(shares);
      await expectRevert(P(alice).getFunction('withdraw')(1), 'NothingToWithdraw');
      await resolve({ 1: -500 }); // round 101: alice still at risk
      await expectRevert(P(alice).getFunction('withdraw')(1), 'NothingToWithdraw');
      const r102 = await resolve({ 1: 200 }); // round 102: last round at risk
      const [rr] = events(r102, 'RoundResolved');
      expect(rr!.exitSharesBurned).toBe(shares);
      const expected = nmr(95) + (nmr(95) * 200n * 9000n) / 10000n / 10000n; // -5%, then +2% less the 10% fee
      expect(rr!.exitAssetsWei).toBeLessThanOrEqual(expected);
      expect(rr!.exitAssetsWei).toBeGreaterThan(expected - 2n);
      p = await pos(alice, 1);
      expect(p.pendingOutShares).toBe(0n);
      expect(p.unlockRound).toBe(0n);
      expect(p.withdrawableWei).toBe(rr!.exitAssetsWei);
      expect(await call('unlockedWei')).toBe(rr!.exitAssetsWei);
      expect((await model(1)).pendingOutShares).toBe(0n);
      const before = await balance(alice.address);
      const w = await send(alice, 'withdraw', 1);
      expect(await balance(alice.address)).toBe(before + p.withdrawableWei);
      expect(events(w, 'ExitSettled')[0]!.amountWei).toBe(p.withdrawableWei);
      expect(events(w, 'ExitSettled')[0]!.unlockRound).toBe(103n);
      expect(events(w, 'Withdrawn')[0]!.amountWei).toBe(p.withdrawableWei);
      expect(await call('unlockedWei')).toBe(0n);
      await expectRevert(P(alice).getFunction('withdraw')(1), 'NothingToWithdraw');
      // bob, who stayed, has the same value as alice got
      expect((await pos(bob, 1)).valueWei - p.withdrawableWei).toBeLessThanOrEqual(1n);
    });

    it('a second request while one is locked merges and restarts the lock', async () => {
      const shares = (await pos(alice, 1)).shares as bigint;
      await send(alice, 'requestUndelegate', 1, shares / 4n);
      await resolve({ 1: 0 });
      const r = await send(alice, 'requestUndelegate', 1, shares / 4n);
      const [ev] = events(r, 'UndelegateRequested');
      expect(ev!.round).toBe(102n);
      expect(ev!.unlockRound).toBe(104n);
      expect(ev!.pendingOutSharesTotal).toBe(shares / 2n);
      await resolve({ 1: 0 }); // 102: the first request would have matured here
      expect((await pos(alice, 1)).withdrawableWei).toBe(0n);
      expect((await pos(alice, 1)).pendingOutShares).toBe(shares / 2n);
      await resolve({ 1: 0 }); // 103
      expect((await pos(alice, 1)).withdrawableWei).toBe(nmr(50));
    });

    it('a second request in the same round adds to it', async () => {
      const shares = (await pos(alice, 1)).shares as bigint;
      await send(alice, 'requestUndelegate', 1, 10n);
      const r = await send(alice, 'requestUndelegate', 1, 20n);
      expect(events(r, 'UndelegateRequested')[0]!.pendingOutSharesTotal).toBe(30n);
      expect((await pos(alice, 1)).shares).toBe(shares - 30n);
    });

    it('reverts: zero, more than settled shares, pending deposits are not shares yet, unknown model, paused', async () => {
      const shares = (await pos(alice, 1)).shares as bigint;
      await expectRevert(P(alice).getFunction('requestUndelegate')(1, 0n), 'ZeroAmount');
      await expectRevert(P(alice).getFunction('requestUndelegate')(1, shares + 1n), 'InsufficientShares', [shares + 1n, shares]);
      await send(carol, 'delegate', 1, nmr(10));
      await expectRevert(P(carol).getFunction('requestUndelegate')(1, 1n), 'InsufficientShares', [1n, 0n]);
      await expectRevert(P(alice).getFunction('requestUndelegate')(9, 1n), 'UnknownModel', [9]);
      await send(admin, 'pause');
      await expectRevert(P(alice).getFunction('requestUndelegate')(1, 1n), 'EnforcedPause');
    });

    it('withdraw and cancelDelegation work while paused; unknown model reverts', async () => {
      await send(alice, 'requestUndelegate', 1, (await pos(alice, 1)).shares);
      await resolve({ 1: 0 });
      await resolve({ 1: 0 });
      await send(carol, 'delegate', 1, nmr(7));
      await send(admin, 'pause');
      await send(alice, 'withdraw', 1);
      const before = await balance(carol.address);
      const r = await send(carol, 'cancelDelegation', 1);
      expect(await balance(carol.address)).toBe(before + nmr(7));
      const [ev] = events(r, 'DelegationCancelled');
      expect([ev!.holder, ev!.modelId, ev!.round, ev!.amountWei]).toEqual([carol.address, 1n, 103n, nmr(7)]);
      expect((await model(1)).pendingInWei).toBe(0n);
      await expectRevert(P(alice).getFunction('withdraw')(9), 'UnknownModel', [9]);
      await expectRevert(P(alice).getFunction('cancelDelegation')(9), 'UnknownModel', [9]);
    });

    it('cancelDelegation reverts once the deposit is at risk (converted) or when there is none', async () => {
      await expectRevert(P(alice).getFunction('cancelDelegation')(1), 'NothingToCancel');
      await expectRevert(P(carol).getFunction('cancelDelegation')(1), 'NothingToCancel');
    });

    it('settle converts lazily with SharesIssued and ExitSettled', async () => {
      const r = await send(alice, 'settle', 1);
      const [ev] = events(r, 'SharesIssued');
      expect([ev!.holder, ev!.modelId, ev!.round, ev!.amountWei, ev!.shares]).toEqual([alice.address, 1n, 100n, nmr(100), nmr(100) * V]);
      const again = await send(alice, 'settle', 1);
      expect(events(again, 'SharesIssued').length).toBe(0);
    });

    it('convertToAssets / convertToShares use the virtual offset and round down', async () => {
      expect(await call('convertToAssets', 1, nmr(1) * V)).toBe(nmr(1));
      expect(await call('convertToShares', 1, nmr(1))).toBe(nmr(1) * V);
      await resolve({ 1: 300 });
      const a = (await call('convertToAssets', 1, nmr(1) * V)) as bigint;
      expect(a).toBeLessThanOrEqual(nmr(1.027));
      expect(a).toBeGreaterThan(nmr(1.027) - 2n);
    });
  });

  describe('operator fees', () => {
    beforeEach(async () => {
      await send(alice, 'delegate', 1, nmr(1000));
      await resolve({ 1: 0 });
    });

    it('claimFees pays the operator, even while paused; others and empty claims revert', async () => {
      await resolve({ 1: 100 }); // gain 10, fee 1
      await expectRevert(P(alice).getFunction('claimFees')(1), 'NotOperator', [1, alice.address]);
      await send(admin, 'pause');
      const r = await send(op1, 'claimFees', 1);
      const [ev] = events(r, 'FeesClaimed');
      expect([ev!.modelId, ev!.operator, ev!.amountWei]).toEqual([1n, op1.address, nmr(1)]);
      expect(await balance(op1.address)).toBe(nmr(1));
      expect((await model(1)).feesOwedWei).toBe(0n);
      await expectRevert(P(op1).getFunction('claimFees')(1), 'NothingToClaim');
      await expectRevert(P(op1).getFunction('claimFees')(9), 'UnknownModel', [9]);
    });

    it('a fee change applies only from currentRound + lockRounds + 1', async () => {
      const now = await round(); // 101
      const r = await send(op1, 'scheduleFeeChange', 1, 3000);
      const [ev] = events(r, 'FeeChangeScheduled');
      const effective = now + L + 1;
      expect([ev!.modelId, ev!.currentFeeBps, ev!.newFeeBps, ev!.effectiveRound]).toEqual([1n, 1000n, 3000n, BigInt(effective)]);
      let m = await model(1);
      expect([m.feeBps, m.nextFeeBps, m.nextFeeRound]).toEqual([1000n, 3000n, BigInt(effective)]);
      // rounds before the effective round still pay 10%
      while ((await round()) < effective) {
        const rr = await resolve({ 1: 100 });
        const [res] = events(rr, 'RoundResolved');
        expect(res!.feeWei * 10n).toBe(res!.rewardWei);
      }
      m = await model(1);
      expect(m.feeBps).toBe(3000n); // in force for the open round
      const rr = await resolve({ 1: 100 });
      const [res] = events(rr, 'RoundResolved');
      expect((res!.rewardWei * 3000n) / 10000n).toBe(res!.feeWei);
      expect(events(rr, 'FeeChangeApplied')[0]!.feeBps).toBe(3000n);
      m = await model(1);
      expect([m.feeBps, m.nextFeeBps, m.nextFeeRound]).toEqual([3000n, 3000n, 0n]);
    });

    it('a holder who exits at once never pays the new fee', async () => {
      await send(op1, 'scheduleFeeChange', 1, 5000);
      await send(alice, 'requestUndelegate', 1, (await pos(alice, 1)).shares);
      const effective = Number((await model(1)).nextFeeRound);
      const unlock = Number((await pos(alice, 1)).unlockRound);
      expect(unlock).toBeLessThanOrEqual(effective);
    });

    it('scheduling the fee in force cancels; losses never pay a fee; reverts for others and too-high fees', async () => {
      await send(op1, 'scheduleFeeChange', 1, 3000);
      const r = await send(op1, 'scheduleFeeChange', 1, 1000);
      expect(events(r, 'FeeChangeScheduled')[0]!.effectiveRound).toBe(0n);
      const m = await model(1);
      expect([m.feeBps, m.nextFeeBps, m.nextFeeRound]).toEqual([1000n, 1000n, 0n]);
      await expectRevert(P(alice).getFunction('scheduleFeeChange')(1, 0), 'NotOperator', [1, alice.address]);
      await expectRevert(P(op1).getFunction('scheduleFeeChange')(1, 5001), 'FeeTooHigh', [5001, 5000]);
      await expectRevert(P(op1).getFunction('scheduleFeeChange')(5, 1), 'UnknownModel', [5]);
      const rr = await resolve({ 1: -300 });
      expect(events(rr, 'RoundResolved')[0]!.feeWei).toBe(0n);
    });

    it('a change that came into force is kept when a new one is scheduled later', async () => {
      await send(op1, 'scheduleFeeChange', 1, 2000);
      for (let i = 0; i < L + 1; i++) await resolve({ 1: -1 }); // no gains: nothing folds it in
      expect((await model(1)).feeBps).toBe(2000n);
      const r = await send(op1, 'scheduleFeeChange', 1, 2500);
      expect(events(r, 'FeeChangeApplied')[0]!.feeBps).toBe(2000n);
      expect(events(r, 'FeeChangeScheduled')[0]!.currentFeeBps).toBe(2000n);
      const rr = await resolve({ 1: 100 });
      const [res] = events(rr, 'RoundResolved');
      expect((res!.rewardWei * 2000n) / 10000n).toBe(res!.feeWei);
    });

    it('setOperator hands over fees and fee changes', async () => {
      await resolve({ 1: 100 });
      await expectRevert(P(alice).getFunction('setOperator')(1, alice.address), 'NotOperator', [1, alice.address]);
      await expectRevert(P(op1).getFunction('setOperator')(1, ZeroAddress), 'ZeroAddress');
      const r = await send(op1, 'setOperator', 1, op2.address);
      const [ev] = events(r, 'OperatorChanged');
      expect([ev!.modelId, ev!.previousOperator, ev!.newOperator]).toEqual([1n, op1.address, op2.address]);
      expect((await model(1)).operator).toBe(op2.address);
      await expectRevert(P(op1).getFunction('claimFees')(1), 'NotOperator');
      await send(op2, 'claimFees', 1);
      expect(await balance(op2.address)).toBe(nmr(1));
    });
  });

  describe('pause', () => {
    it('only pausers pause and unpause; events; double pause/unpause revert', async () => {
      await expectRevert(P(alice).getFunction('pause')(), 'AccessControlUnauthorizedAccount', [alice.address, PAUSER_ROLE]);
      const r = await send(admin, 'pause');
      expect(events(r, 'Paused').length).toBe(1);
      expect(await call('paused')).toBe(true);
      await expectRevert(P(admin).getFunction('pause')(), 'EnforcedPause');
      await expectRevert(P(alice).getFunction('unpause')(), 'AccessControlUnauthorizedAccount');
      // fundReserve and fee claims are not blocked
      await send(alice, 'fundReserve', 1n);
      await send(admin, 'unpause');
      await expectRevert(P(admin).getFunction('unpause')(), 'ExpectedPause');
      await send(alice, 'delegate', 1, 1n);
    });
  });

  describe('share pricing', () => {
    it('a first depositor cannot be robbed: donations do not move the price', async () => {
      await send(carol, 'delegate', 3, 1n); // attacker: 1 wei
      await resolve({ 3: 0 });
      await mined(token.connect(carol).getFunction('transfer')(d.poolAddress, nmr(5000))); // donation
      await send(alice, 'delegate', 3, nmr(100));
      await resolve({ 3: 0 });
      expect((await pos(alice, 3)).valueWei).toBe(nmr(100));
      expect((await pos(carol, 3)).valueWei).toBeLessThanOrEqual(1n);
    });

    it('knowing a result does not pay: a deposit before a +5% result is worth what was paid', async () => {
      await send(alice, 'delegate', 3, nmr(1000));
      await resolve({ 3: 0 });
      await send(bob, 'delegate', 3, nmr(1000)); // "knows" the next result is +5%
      await resolve({ 3: 500 });
      expect((await pos(bob, 3)).valueWei).toBeLessThanOrEqual(nmr(1000));
      const aliceValue = (await pos(alice, 3)).valueWei as bigint; // 5% minus the 20% fee
      expect(aliceValue).toBeLessThanOrEqual(nmr(1040));
      expect(aliceValue).toBeGreaterThanOrEqual(nmr(1040) - 1n);
    });

    it('rounding favours the pool: values never exceed what was paid in plus gains', async () => {
      for (const [who, amt] of [
        [alice, 3n],
        [bob, 7n],
        [carol, 11n],
      ] as const) {
        await send(who, 'delegate', 1, amt);
      }
      await resolve({ 1: 0 });
      await resolve({ 1: 333 });
      const m = await model(1);
      const sum = (await Promise.all([alice, bob, carol].map((s) => pos(s, 1)))).reduce((a, p) => a + (p.valueWei as bigint), 0n);
      expect(sum).toBeLessThanOrEqual(m.stakeWei);
    });
  });
});

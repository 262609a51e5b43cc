import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonRpcProvider } from 'ethers';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { deploy, fundReserve, mined, nmr, type Deployed } from '../test-support/deploy';

const V = 1_000_000n; // VIRTUAL_SHARES

describe('DelegationPool happy path', () => {
  let chain: Anvil;
  let provider: JsonRpcProvider;
  let d: Deployed;

  beforeAll(async () => {
    chain = await startAnvil();
    provider = chain.provider();
    d = await deploy(provider, { lockRounds: 2, firstRound: 100 });
  });
  afterAll(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  it('registers a model, takes a delegation at the next round, pays a gain with fee, exits after the lock', async () => {
    const { pool, token, admin, signers } = d;
    const alice = signers[1]!;
    const operator = signers[2]!;
    await mined(pool.connect(admin).getFunction('registerModel')('alpha', operator.address, 1000, nmr(1_000_000)));
    expect(await pool.getFunction('modelCount')()).toBe(1n);
    await fundReserve(d, nmr(1000));
    expect(await pool.getFunction('reserveWei')()).toBe(nmr(1000));

    await mined(token.connect(admin).getFunction('demoMint')(alice.address, nmr(500)));
    await mined(token.connect(alice).getFunction('approve')(d.poolAddress, nmr(500)));
    await mined(pool.connect(alice).getFunction('delegate')(1, nmr(100)));

    let pos = await pool.getFunction('positionOf')(alice.address, 1);
    expect(pos.pendingInWei).toBe(nmr(100));
    expect(pos.pendingInRound).toBe(100n);
    expect(pos.shares).toBe(0n);

    // Round 100's result does not touch the deposit; it converts at the price after it.
    await mined(pool.connect(admin).getFunction('resolveRound')(100, [1], [500]));
    expect(await pool.getFunction('currentRound')()).toBe(101n);
    pos = await pool.getFunction('positionOf')(alice.address, 1);
    expect(pos.pendingInWei).toBe(0n);
    expect(pos.shares).toBe(nmr(100) * V); // empty model: 1 wei = 1e6 shares
    expect(pos.valueWei).toBe(nmr(100));

    // Round 101: +4% → gain 4 NMR, fee 10% → +3.6 NMR for the holder.
    await mined(pool.connect(admin).getFunction('resolveRound')(101, [1], [400]));
    const m = await pool.getFunction('model')(1);
    expect(m.stakeWei).toBe(nmr(103.6));
    expect(m.feesOwedWei).toBe(nmr(0.4));
    expect(await pool.getFunction('reserveWei')()).toBe(nmr(996));

    // Exit: requested in 102, at risk for 102 and 103, withdrawable from 104.
    const shares = (await pool.getFunction('positionOf')(alice.address, 1)).shares as bigint;
    await mined(pool.connect(alice).getFunction('requestUndelegate')(1, shares));
    pos = await pool.getFunction('positionOf')(alice.address, 1);
    expect(pos.pendingOutShares).toBe(shares);
    expect(pos.unlockRound).toBe(104n);
    await mined(pool.connect(admin).getFunction('resolveRound')(102, [1], [-500]));
    await mined(pool.connect(admin).getFunction('resolveRound')(103, [1], [0]));
    pos = await pool.getFunction('positionOf')(alice.address, 1);
    expect(pos.pendingOutShares).toBe(0n);
    const expected = (nmr(103.6) * 9500n) / 10000n;
    expect(pos.withdrawableWei).toBeLessThanOrEqual(expected);
    expect(pos.withdrawableWei).toBeGreaterThan(expected - 2n);

    const before = (await token.getFunction('balanceOf')(alice.address)) as bigint;
    await mined(pool.connect(alice).getFunction('withdraw')(1));
    const after = (await token.getFunction('balanceOf')(alice.address)) as bigint;
    expect(after - before).toBe(pos.withdrawableWei);

    await mined(pool.connect(operator).getFunction('claimFees')(1));
    expect(await token.getFunction('balanceOf')(operator.address)).toBe(nmr(0.4));
  });
});

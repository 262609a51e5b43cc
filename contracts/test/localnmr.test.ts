import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contract, JsonRpcProvider, JsonRpcSigner } from 'ethers';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { deploy, expectRevert, mined, nmr, revertTo, snapshot, type Deployed } from '../test-support/deploy';

describe('LocalNMR', () => {
  let chain: Anvil;
  let provider: JsonRpcProvider;
  let d: Deployed;
  let token: Contract;
  let minter: JsonRpcSigner;
  let alice: JsonRpcSigner;
  let bob: JsonRpcSigner;
  let snap: string;

  beforeAll(async () => {
    chain = await startAnvil();
    provider = chain.provider();
    d = await deploy(provider);
    token = d.token;
    minter = d.admin;
    alice = d.signers[1]!;
    bob = d.signers[2]!;
    await mined(token.connect(minter).getFunction('mint')(alice.address, nmr(100)));
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

  const as = (s: JsonRpcSigner) => token.connect(s) as Contract;

  it('looks like NMR', async () => {
    expect(await token.getFunction('name')()).toBe('Numeraire (local demo)');
    expect(await token.getFunction('symbol')()).toBe('NMR');
    expect(await token.getFunction('decimals')()).toBe(18n);
    expect(await token.getFunction('minter')()).toBe(minter.address);
  });

  it('lets only the deployer mint', async () => {
    await mined(as(minter).getFunction('mint')(bob.address, nmr(5)));
    expect(await token.getFunction('balanceOf')(bob.address)).toBe(nmr(5));
    expect(await token.getFunction('totalSupply')()).toBe(nmr(105));
    await expectRevert(as(alice).getFunction('mint')(alice.address, 1n), 'NotMinter', [alice.address]);
  });

  it('approve: zero → value and value → zero work, value → other value reverts (NumeraireBackend rule)', async () => {
    await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(10));
    await expectRevert(as(alice).getFunction('approve')(bob.address, nmr(20)), 'NonZeroAllowance', [bob.address, nmr(10)]);
    // the same non-zero value again is refused too, as on mainnet
    await expectRevert(as(alice).getFunction('approve')(bob.address, nmr(10)), 'NonZeroAllowance');
    await mined(as(alice).getFunction('approve')(bob.address, 0n));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(0n);
    await mined(as(alice).getFunction('approve')(bob.address, nmr(20)));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(20));
  });

  it('approve to zero from zero is allowed', async () => {
    await mined(as(alice).getFunction('approve')(bob.address, 0n));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(0n);
  });

  it('transferFrom spends the allowance down without tripping the approve rule', async () => {
    await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
    await mined(as(bob).getFunction('transferFrom')(alice.address, bob.address, nmr(4)));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(6));
    await mined(as(bob).getFunction('transferFrom')(alice.address, bob.address, nmr(6)));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(0n);
    expect(await token.getFunction('balanceOf')(bob.address)).toBe(nmr(10));
    await expectRevert(as(bob).getFunction('transferFrom')(alice.address, bob.address, 1n), 'ERC20InsufficientAllowance');
  });

  it('changeApproval moves a non-zero allowance only from the expected value', async () => {
    await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
    await expectRevert(as(alice).getFunction('changeApproval')(bob.address, nmr(9), nmr(20)), 'AllowanceMismatch', [
      bob.address,
      nmr(10),
      nmr(9),
    ]);
    expect(await as(alice).getFunction('changeApproval').staticCall(bob.address, nmr(10), nmr(20))).toBe(true);
    await mined(as(alice).getFunction('changeApproval')(bob.address, nmr(10), nmr(20)));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(20));
    await mined(as(alice).getFunction('changeApproval')(bob.address, nmr(20), 0n));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(0n);
  });

  it('burn and burnFrom destroy tokens like NMR 2.0', async () => {
    await mined(as(alice).getFunction('burn')(nmr(1)));
    expect(await token.getFunction('balanceOf')(alice.address)).toBe(nmr(99));
    expect(await token.getFunction('totalSupply')()).toBe(nmr(99));
    await expectRevert(as(bob).getFunction('burn')(1n), 'ERC20InsufficientBalance');

    await expectRevert(as(bob).getFunction('burnFrom')(alice.address, 1n), 'ERC20InsufficientAllowance');
    await mined(as(alice).getFunction('approve')(bob.address, nmr(3)));
    await mined(as(bob).getFunction('burnFrom')(alice.address, nmr(2)));
    expect(await token.getFunction('balanceOf')(alice.address)).toBe(nmr(97));
    expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(1));
    expect(await token.getFunction('totalSupply')()).toBe(nmr(97));
  });

  it('emits Transfer and Approval', async () => {
    const r = await mined(as(alice).getFunction('approve')(bob.address, 7n));
    const parsed = (r.logs as { topics: string[]; data: string }[]).map((l) => token.interface.parseLog(l)!);
    expect(parsed.map((p) => p.name)).toEqual(['Approval']);
    const t = await mined(as(alice).getFunction('transfer')(bob.address, 7n));
    const p2 = (t.logs as { topics: string[]; data: string }[]).map((l) => token.interface.parseLog(l)!);
    expect(p2[0]!.name).toBe('Transfer');
    expect(p2[0]!.args[2]).toBe(7n);
  });
});
